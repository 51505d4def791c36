import { createServer, IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP SMS provider (127.0.0.1, random port) recording every request; `fail(n)` makes
 * the next n requests answer 500, `fail(Infinity)` every one. Not exported from the index.
 */
export interface SmsRequest {
  body: { to: string; text: string };
  headers: IncomingHttpHeaders;
  status: number;
  at: number;
}

export interface SmsSink {
  url: string;
  requests: SmsRequest[];
  /** The requests that were answered 2xx. */
  accepted(): SmsRequest[];
  fail(times: number): void;
  close(): Promise<void>;
}

export async function startSmsSink(): Promise<SmsSink> {
  const requests: SmsRequest[] = [];
  let failures = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const status = failures > 0 ? 500 : 202;
      if (failures > 0) failures -= 1;
      requests.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: req.headers, status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 202 ? { id: `sms-${requests.length}` } : { error: 'provider down' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    requests,
    accepted: () => requests.filter((r) => r.status < 300),
    fail: (times) => (failures = times),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
