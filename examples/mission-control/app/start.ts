import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readConfig } from './config.js';
import type { MissionControlConfig } from './config.js';
import { createServices } from './create.js';
import type { LogSink } from './logger.js';
import type { Services } from './services.js';
import { createExpressApp } from '../frameworks/express.js';
import { createFastifyApp } from '../frameworks/fastify.js';
import { createKoaApp } from '../frameworks/koa.js';

export interface RunningMissionControl {
  readonly url: string;
  readonly config: MissionControlConfig;
  readonly services: Services;
  close(): Promise<void>;
}

async function listen(server: Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return (server.address() as AddressInfo).port;
}

/** Reads the environment, builds the services and serves them through FRAMEWORK. */
export async function startMissionControl(
  env: Readonly<Record<string, string | undefined>>,
  logSink?: LogSink,
): Promise<RunningMissionControl> {
  const config = readConfig(env);
  const created = await createServices(config, logSink);
  const { services } = created;
  let port: number;
  let stop: () => Promise<void>;
  if (config.framework === 'fastify') {
    const app = await createFastifyApp(services, config.slowRequestMs);
    await app.listen({ host: config.host, port: config.port });
    port = (app.server.address() as AddressInfo).port;
    stop = () => app.close();
  } else {
    const handler =
      config.framework === 'express'
        ? createExpressApp(services, config.slowRequestMs)
        : createKoaApp(services, config.slowRequestMs).callback();
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Koa's callback returns a promise Node ignores by design
    const server = createServer(handler);
    port = await listen(server, config.host, config.port);
    stop = () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
  }
  return {
    url: `http://${config.host}:${String(port)}`,
    config,
    services,
    close: async () => {
      await stop();
      await created.close();
    },
  };
}
