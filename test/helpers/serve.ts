import type { RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A server on 127.0.0.1 that counts what its sockets read, to prove a body was not drained. */
export interface WatchedServer {
  readonly url: string;
  /** Bytes read from clients so far, over every connection. */
  bytesRead(): number;
  /** Connections currently open. */
  openConnections(): number;
  close(): Promise<void>;
}

export async function watch(server: Server): Promise<WatchedServer> {
  const sockets = new Set<Socket>();
  let closedBytes = 0;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      closedBytes += socket.bytesRead;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bytesRead: () => closedBytes + [...sockets].reduce((n, s) => n + s.bytesRead, 0),
    openConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** Serves a request listener (Express app, Koa callback) on a watched server. */
export function serve(listener: RequestListener): Promise<WatchedServer> {
  return watch(createServer(listener));
}

/** Polls `check` until it holds or `timeoutMs` passes (for socket teardown, which is asynchronous). */
export async function eventually(check: () => boolean, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}
