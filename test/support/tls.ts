import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, connect, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, TLSSocket } from 'node:tls';

/** A throw-away CA with one server and one client certificate (openssl, no download). */
export interface TestCertificates {
  dir: string;
  caPath: string;
  serverName: string;
  clientCertPath: string;
  clientKeyPath: string;
  remove(): void;
}

export function makeTestCertificates(serverName: string, clientName: string): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'walt-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=walt-test-ca', '-addext',
    'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'); // prettier-ignore
  const sign = (name: string, cn: string, extensions: string) => {
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    writeFileSync(join(dir, `${name}.ext`), `basicConstraints=CA:FALSE\n${extensions}\n`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
      '-extfile', `${name}.ext`, '-out', `${name}.pem`); // prettier-ignore
  };
  // The server's name is not the address's host (127.0.0.1): the client must say TEMPORAL_TLS_SERVER_NAME.
  sign('server', serverName, `subjectAltName=DNS:${serverName}\nextendedKeyUsage=serverAuth`);
  sign('client', clientName, 'extendedKeyUsage=clientAuth');
  return {
    dir,
    caPath: join(dir, 'ca.pem'),
    serverName,
    clientCertPath: join(dir, 'client.pem'),
    clientKeyPath: join(dir, 'client.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface MtlsEndpoint {
  address: string;
  /** Common names of the client certificates of the connections accepted so far. */
  clients: string[];
  /** Handshakes refused (no client certificate, or one the CA did not sign). */
  refused: number;
  close(): Promise<void>;
}

/**
 * A TLS endpoint in front of a plain Temporal frontend, as a cloud or a load balancer would put
 * one: it demands a client certificate signed by the test CA, then relays the gRPC bytes (HTTP/2).
 */
export async function startMtlsEndpoint(certificates: TestCertificates, upstream: string): Promise<MtlsEndpoint> {
  const [host, port] = [upstream.slice(0, upstream.lastIndexOf(':')), Number(upstream.slice(upstream.lastIndexOf(':') + 1))];
  const sockets = new Set<Socket>();
  const endpoint = { clients: [] as string[], refused: 0 };
  const server = createServer(
    {
      key: readFileSync(join(certificates.dir, 'server.key')),
      cert: readFileSync(join(certificates.dir, 'server.pem')),
      ca: readFileSync(certificates.caPath),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket: TLSSocket) => {
      endpoint.clients.push(String(socket.getPeerCertificate().subject?.CN));
      const backend = connect(port, host);
      sockets.add(socket).add(backend);
      socket.pipe(backend).pipe(socket);
      const end = () => (socket.destroy(), backend.destroy());
      socket.on('error', end).on('close', end);
      backend.on('error', end).on('close', end);
    },
  );
  server.on('tlsClientError', () => endpoint.refused++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    get clients() {
      return endpoint.clients;
    },
    get refused() {
      return endpoint.refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
