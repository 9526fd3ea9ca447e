import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { Body, Controller, Get, HttpCode, Module, Param, Post, Req, Res } from '@nestjs/common';
import type { DynamicModule, INestApplication, Provider, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import express from 'express';
import type { Express } from 'express';
import { watch } from '../../helpers/serve.js';
import type { WatchedServer } from '../../helpers/serve.js';

/** Both of Nest's HTTP platforms: every test here runs on each. */
export const PLATFORMS = ['express', 'fastify'] as const;
export type Platform = (typeof PLATFORMS)[number];

type Decorator = (
  target: object,
  key?: string | symbol,
  descriptor?: PropertyDescriptor,
) => unknown;

/** One handler of a test controller, its decorators applied as functions (no experimentalDecorators here). */
export interface HandlerSpec {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** What the handler does with the request, the `@Body()`, the `:id` param and the response. */
  readonly handle?: (
    request: unknown,
    body: unknown,
    id: string | undefined,
    response: object,
  ) => unknown;
  readonly decorators?: readonly unknown[];
}

/** A controller built the way `@Controller(prefix) class { @Get(path) @X() handler() {} }` is. */
export function controller(
  prefix: string,
  handlers: readonly HandlerSpec[],
  decorators: readonly unknown[] = [],
): Type {
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- Nest's decorators, applied below, give the class its meaning
  class Routes {}
  const proto = Routes.prototype as Record<string, unknown>;
  handlers.forEach((h, i) => {
    const name = `handler${i}`;
    proto[name] = (request: unknown, body: unknown, id: string | undefined, response: object) =>
      h.handle === undefined ? { ok: true } : h.handle(request, body, id, response);
    const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
    Req()(proto, name, 0);
    Body()(proto, name, 1);
    Param('id')(proto, name, 2);
    Res({ passthrough: true })(proto, name, 3);
    const apply = (d: unknown): void => {
      (d as Decorator)(proto, name, descriptor);
    };
    apply((h.method === 'GET' ? Get : Post)(h.path));
    apply(HttpCode(h.method === 'POST' ? 202 : 200));
    for (const d of h.decorators ?? []) apply(d);
  });
  for (const d of decorators) (d as Decorator)(Routes);
  Controller(prefix)(Routes);
  return Routes;
}

export interface AppOptions {
  readonly imports?: readonly (DynamicModule | Type)[];
  readonly controllers: readonly Type[];
  readonly providers?: readonly Provider[];
  /** NestFactory.create's rawBody. Default: false. */
  readonly rawBody?: boolean;
  /** NestFactory.create's bodyParser. Default: true. */
  readonly bodyParser?: boolean;
  /** Express only: what the app registers on the Express instance it hands to Nest. */
  readonly express?: (instance: Express) => void;
  /** Called once the app is created, before it is initialized (app.useGlobalFilters and such). */
  readonly setup?: (app: INestApplication) => void;
}

export interface RunningNest extends WatchedServer {
  readonly app: INestApplication;
}

/** A real Nest app on a platform, listening on 127.0.0.1, port 0. */
export async function startApp(platform: Platform, options: AppOptions): Promise<RunningNest> {
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- Nest's decorators, applied below, give the class its meaning
  class AppModule {}
  Module({
    imports: [...(options.imports ?? [])],
    controllers: [...options.controllers],
    providers: [...(options.providers ?? [])],
  })(AppModule);
  const factoryOptions = {
    logger: false as const,
    abortOnError: false,
    rawBody: options.rawBody ?? false,
    bodyParser: options.bodyParser ?? true,
  };
  let app: INestApplication;
  let server: Server;
  if (platform === 'express') {
    const instance = express();
    options.express?.(instance);
    server = createServer(instance);
    // Nest declares its options as a class, written as an object literal, as its docs do.

    app = await NestFactory.create(AppModule, new ExpressAdapter(instance), factoryOptions);
  } else {
    app = await NestFactory.create(AppModule, new FastifyAdapter(), factoryOptions);
    server = app.getHttpServer() as Server;
  }
  options.setup?.(app);
  await app.init();
  if (platform === 'fastify') {
    await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  }
  const running = await watch(server);
  return {
    ...running,
    app,
    close: async () => {
      await running.close();
      await app.close().catch(() => undefined);
    },
  };
}
