import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import corsPackage from '@koa/cors';
import Koa from 'koa';
import type { Context, Middleware } from 'koa';
import { BulwarkError } from 'bulwark';
import {
  cors,
  payloadLimit,
  protect,
  rateLimit,
  rejectKoa,
  securityHeaders,
  verifyWebhook,
} from 'bulwark/koa';
import {
  appLog,
  loginAnswer,
  misbehaving,
  protectOptions,
  publicUrlOption,
  rateLimitOptions,
  sharedLimiters,
} from '../types.js';
import type {
  AppLog,
  AppSpec,
  MiddlewareSpec,
  RateLimitMiddlewareSpec,
  RateLimitSpec,
  ReplySpec,
  RouteSpec,
  RunningApp,
} from '../types.js';
import { listen, serverOptions } from './listen.js';

// Both body parsers' type files declare `rawBody: string` on Koa's request and on Node's
// IncomingMessage for every file of a program, which clashes with bulwark's Buffer (see
// docs/guide/mounting.md): loaded without their types, as a plain JavaScript user would.
const load = createRequire(import.meta.url);
const koaBodyparser = load('koa-bodyparser') as () => Middleware;
const koaBody = (load('@koa/bodyparser') as { bodyParser: () => Middleware }).bodyParser;

type Build = (spec: MiddlewareSpec) => Middleware;

/** Translates middleware specs for one app: shared instances and the app's logger. */
function builder(log: AppLog): Build {
  const shared = new Map<string, Middleware>();
  const limiterFor = sharedLimiters();
  const { logger } = log;
  const limitOptions = (spec: RateLimitMiddlewareSpec, options: RateLimitSpec) => ({
    ...rateLimitOptions(
      options,
      (ctx: Context, name) => ctx.get(name) || undefined,
      // Koa hands requestWasSuccessful the context for both arguments.
      (ctx: Context) => ctx.status,
    ),
    ...(spec.sameLimiter === undefined
      ? {}
      : { limiter: limiterFor(spec.sameLimiter, options.limiter) }),
    logger,
    ...misbehaving(spec),
  });
  return (spec) => {
    switch (spec.kind) {
      case 'securityHeaders':
        return securityHeaders(spec.options);
      case 'corsPackage':
        return corsPackage();
      case 'cors':
        return cors(spec.options);
      case 'header':
        return (ctx, next) => {
          ctx.set(spec.name, spec.value);
          return next();
        };
      case 'bodyParser':
        return spec.parser === 'json' ? koaBodyparser() : koaBody();
      case 'formParser':
        // verifyWebhook parses a verified form itself.
        return (_ctx, next) => next();
      case 'payloadLimit':
        return payloadLimit({
          ...spec.options,
          logger,
          ...misbehaving(spec),
        });
      case 'verifyWebhook':
        return verifyWebhook({
          ...spec.options,
          logger,
          ...misbehaving(spec),
          ...publicUrlOption(spec, (ctx: Context) => ctx.originalUrl),
        });
      case 'rateLimit': {
        if (spec.options === false) return (_ctx, next) => next();
        const existing = spec.share === undefined ? undefined : shared.get(spec.share);
        if (existing !== undefined) return existing;
        const made = rateLimit(limitOptions(spec, spec.options));
        if (spec.share !== undefined) shared.set(spec.share, made);
        return made;
      }
      case 'protect':
        return protect(protectOptions(spec, limitOptions));
    }
  };
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
      case 'vary':
        ctx.vary(reply.field);
        ctx.body = reply.body;
        return;
      case 'slow':
        await sleep(reply.ms);
        ctx.body = reply.body;
        return;
      case 'login': {
        const { status, body } = loginAnswer(ctx.get('x-password') || undefined);
        ctx.status = status;
        ctx.body = body;
        return;
      }
    }
  };
}

/** Runs middleware in order, as Koa's own compose does. */
function chain(middleware: readonly Middleware[]): Middleware {
  return async (ctx, next) => {
    const run = async (i: number): Promise<void> => {
      const m = middleware[i];
      if (m === undefined) await next();
      else await m(ctx, () => run(i + 1));
    };
    await run(0);
  };
}

/** A minimal router: Koa has none built in, and the harness must not depend on one. */
function route(spec: RouteSpec, build: Build, prefix = ''): Middleware {
  const run = chain([...(spec.use ?? []).map(build), handler(spec.reply)]);
  const path = prefix + spec.path;
  return async (ctx, next) => {
    if (ctx.method !== spec.method || ctx.path !== path) {
      await next();
      return;
    }
    await run(ctx, () => Promise.resolve());
  };
}

/** A scope: its middleware and routes run only for paths under the prefix. */
function scope(prefix: string, inner: Middleware): Middleware {
  return async (ctx, next) => {
    if (ctx.path === prefix || ctx.path.startsWith(`${prefix}/`)) await inner(ctx, next);
    else await next();
  };
}

const handled: Middleware = async (ctx, next) => {
  try {
    await next();
  } catch {
    ctx.status = 500;
    ctx.body = { error: 'handled' };
  }
};

/** `KoaClass` is Koa 3 by default; the suite also passes Koa 2. */
export async function startKoa(
  spec: AppSpec,
  log: AppLog = appLog(),
  KoaClass = Koa,
): Promise<RunningApp> {
  const app = new KoaClass();
  app.silent = true;
  const build = builder(log);
  if (spec.errorHandler === true) app.use(handled);
  for (const m of spec.use) app.use(build(m));
  for (const r of spec.routes) app.use(route(r, build));
  for (const s of spec.scopes ?? []) {
    const routes = s.routes.map((r) => route(r, build, s.prefix));
    app.use(scope(s.prefix, chain([...s.use.map(build), ...routes])));
  }
  // Koa's callback returns a promise per request; Node's listener ignores it by design.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  return listen(createServer(serverOptions(spec), app.callback()), spec);
}
