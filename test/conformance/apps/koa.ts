import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import cors from '@koa/cors';
import Koa from 'koa';
import type { Context, Middleware } from 'koa';
import { BulwarkError } from 'bulwark';
import { payloadLimit, rateLimit, rejectKoa, securityHeaders, verifyWebhook } from 'bulwark/koa';
import { rateLimitOptions } from '../types.js';
import type { AppSpec, MiddlewareSpec, ReplySpec, RouteSpec, RunningApp } from '../types.js';
import { listen, serverOptions } from './listen.js';

function middleware(spec: MiddlewareSpec): Middleware {
  switch (spec.kind) {
    case 'securityHeaders':
      return securityHeaders(spec.options);
    case 'cors':
      return cors();
    case 'payloadLimit':
      return payloadLimit(spec.options);
    case 'verifyWebhook':
      return verifyWebhook(spec.options);
    case 'rateLimit':
      if (spec.options === false) return (_ctx, next) => next();
      return rateLimit(
        rateLimitOptions(spec.options, (ctx: Context, name) => ctx.get(name) || undefined),
      );
  }
}

function handler(reply: ReplySpec): Middleware {
  return async (ctx) => {
    switch (reply.kind) {
      case 'json':
        ctx.status = reply.status ?? 200;
        ctx.body = reply.body;
        return;
      case 'throw':
        throw Object.assign(
          new Error('route failed'),
          reply.status === undefined ? {} : { status: reply.status },
        );
      case 'stream':
        ctx.type = 'text/plain';
        ctx.body = Readable.from(reply.chunks);
        return;
      case 'set-header':
        ctx.set(reply.name, reply.value);
        ctx.body = reply.body;
        return;
      case 'reject':
        await rejectKoa(new BulwarkError(reply.error), ctx, undefined);
        return;
      case 'echo-body':
        ctx.status = 202;
        ctx.body = {
          body: ctx.request.body ?? null,
          rawBytes: ctx.request.rawBody?.length ?? null,
        };
        return;
    }
  };
}

/** A minimal router: Koa has none built in, and the harness must not depend on one. */
function route(spec: RouteSpec): Middleware {
  const chain = [...(spec.use ?? []).map(middleware), handler(spec.reply)];
  return async (ctx, next) => {
    if (ctx.method !== spec.method || ctx.path !== spec.path) {
      await next();
      return;
    }
    const run = async (i: number): Promise<void> => {
      const m = chain[i];
      if (m !== undefined) await m(ctx, () => run(i + 1));
    };
    await run(0);
  };
}

/** `KoaClass` is Koa 3 by default; the suite also passes Koa 2. */
export async function startKoa(spec: AppSpec, KoaClass = Koa): Promise<RunningApp> {
  const app = new KoaClass();
  app.silent = true;
  for (const m of spec.use) app.use(middleware(m));
  for (const r of spec.routes) app.use(route(r));
  // Koa's callback returns a promise per request; Node's listener ignores it by design.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  return listen(createServer(serverOptions(spec), app.callback()));
}
