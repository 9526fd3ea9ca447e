import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningApp } from '../types.js';

/** Listens on 127.0.0.1, port 0, and closes every connection on close(). */
export async function listen(server: Server): Promise<RunningApp> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
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
