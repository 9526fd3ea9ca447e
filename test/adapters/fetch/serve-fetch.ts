import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { HttpBindings } from '@hono/node-server';
import type { FetchRequestInfo } from 'bulwark/fetch';
import type { RunningApp } from '../../conformance/types.js';

/** A Fetch handler as the runtimes call it, with the client address beside the request. */
export type FetchApp = (request: Request, info: FetchRequestInfo) => Response | Promise<Response>;

/**
 * Serves a Fetch handler over real HTTP on 127.0.0.1, port 0, through @hono/node-server
 * (what Node users run a Fetch handler with), handing it the socket's peer address the way
 * Bun's `server.requestIP()` or Deno's `info.remoteAddr` would.
 */
export async function serveFetch(app: FetchApp): Promise<RunningApp> {
  return new Promise((resolve) => {
    const server = serve(
      {
        fetch: (request, env) =>
          app(request, { clientAddress: (env as HttpBindings).incoming.socket.remoteAddress }),
        port: 0,
        hostname: '127.0.0.1',
        // Node's own Request and Response stay the globals: the tests that build them
        // directly (immutable headers, used bodies) test the Fetch standard's objects.
        overrideGlobalObjects: false,
      },
      (info: AddressInfo) => {
        resolve({
          url: `http://127.0.0.1:${String(info.port)}`,
          close: () =>
            new Promise<void>((done, fail) => {
              server.close((error) => {
                if (error) fail(error);
                else done();
              });
              if ('closeAllConnections' in server) server.closeAllConnections();
            }),
        });
      },
    );
  });
}

/** A handler's plain answer, for routes that show what reached them. */
export function ok(body: unknown = { ok: true }, init?: ResponseInit): Response {
  return Response.json(body, init);
}
