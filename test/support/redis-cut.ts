import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { testRedisUrl } from './run-id';

/** A TCP relay in front of Redis that can be cut (every connection dropped, none accepted) and restored on the same port. */
export class RedisCut {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;
  private readonly target = new URL(testRedisUrl());

  async open(): Promise<string> {
    this.server = createServer((client) => {
      const upstream = connect(Number(this.target.port || 6379), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Stops the relay for good (after the app is closed). */
  async close(): Promise<void> {
    this.sockets.forEach((s) => s.destroy());
    if (this.server?.listening) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.sockets.forEach((s) => s.destroy());
    await closed;
  }
}
