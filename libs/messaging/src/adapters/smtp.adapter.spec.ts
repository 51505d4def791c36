import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { SmtpAdapter } from './smtp.adapter';

/**
 * A server that accepts the connection and never greets: the send must fail within the
 * greeting timeout, not hang past the worker's send lease (SMTP_URL's query sets it here, 300 ms,
 * to keep the test short; the adapter's own default is 10 s).
 */
describe('SmtpAdapter', () => {
  let server: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up on a server that never greets within the greeting timeout', async () => {
    const { port } = server.address() as AddressInfo;
    const adapter = new SmtpAdapter(`smtp://127.0.0.1:${port}/?greetingTimeout=300`, 'Walt <no-reply@walt.localhost>');
    const started = Date.now();
    await expect(adapter.send({ to: 'lea@example.org', subject: 'Bonjour', text: 'Bonjour Léa' })).rejects.toThrow(/greeting/i);
    expect(Date.now() - started).toBeLessThan(5_000);
    adapter.close();
  });
});
