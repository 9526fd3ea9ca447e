import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { watch } from '../../helpers/serve.js';
import type { WatchedServer } from '../../helpers/serve.js';

/** Serves a Hono app through @hono/node-server on 127.0.0.1, port 0. */
export function serveHono(app: Hono): Promise<WatchedServer> {
  const server = createAdaptorServer({ fetch: app.fetch, createServer }) as Server;
  return watch(server);
}
