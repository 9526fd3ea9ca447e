import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppSpec, RunningApp } from '../types.js';

/** Node server options for an app spec: the lenient parser and the head size limit. */
export function serverOptions(spec: AppSpec): {
  insecureHTTPParser: boolean;
  maxHeaderSize?: number;
} {
  return {
    insecureHTTPParser: spec.lenientParser ?? false,
    ...(spec.maxHeaderSize === undefined ? {} : { maxHeaderSize: spec.maxHeaderSize }),
  };
}

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
