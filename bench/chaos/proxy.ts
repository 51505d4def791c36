import { createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP relay that can hold what its clients send. Between the API and Temporal it freezes a
 * workflow start after intake's commit, so killing the API then loses the start for certain
 * (the reconciler's to recover), instead of hoping a SIGKILL lands in a millisecond window.
 */
export class TcpProxy {
  private server?: Server;
  private port = 0;
  private held = false;
  private readonly clients = new Map<Socket, { upstream: Socket; pending: Buffer[] }>();

  constructor(private readonly upstream: string) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    if (this.server) return;
    const [host, port] = this.upstream.split(':');
    this.server = createServer((client) => {
      const upstream = createConnection({ host, port: Number(port) });
      const link = { upstream, pending: [] as Buffer[] };
      this.clients.set(client, link);
      client.on('data', (chunk: Buffer) => (this.held ? link.pending.push(chunk) : upstream.write(chunk)));
      upstream.on('data', (chunk: Buffer) => client.write(chunk));
      const close = () => (this.clients.delete(client), client.destroy(), upstream.destroy());
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** From now on, nothing a client sends reaches the upstream (answers still come back). */
  hold(): void {
    this.held = true;
  }

  /**
   * Ends every connection that holds something and forgets it: what a killed process sent must
   * never reach the upstream after its death (its socket's close can come after a release).
   */
  dropHeld(): void {
    for (const [client, link] of [...this.clients]) {
      if (!link.pending.length) continue;
      link.pending.length = 0;
      this.clients.delete(client);
      client.destroy();
      link.upstream.destroy();
    }
    this.held = false;
  }

  release(): void {
    this.held = false;
    for (const link of this.clients.values()) for (const chunk of link.pending.splice(0)) link.upstream.write(chunk);
  }

  async close(): Promise<void> {
    for (const c of this.clients.keys()) c.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}
