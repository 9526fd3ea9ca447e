import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { Context, MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { stream as streamBody } from 'hono/streaming';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { BulwarkError } from 'bulwark';
import {
  cors,
  payloadLimit,
  protect,
  rateLimit,
  rejectHono,
  securityHeaders,
  verifyWebhook,
} from 'bulwark/hono';
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

type Build = (spec: MiddlewareSpec) => MiddlewareHandler;

const proceed: MiddlewareHandler = async (_c, next) => {
  await next();
};

/** The request target as the app sees it, for a twilio `publicUrl` function. */
const target = (c: Context): string => {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
};

/**
 * A misbehaving spec's options for Hono: its `onReject` (which throws or rejects) typed as
 * Hono's, which returns the response to send.
 */
function misbehavingHono(spec: Parameters<typeof misbehaving>[0]) {
  const { onReject, ...rest } = misbehaving(spec);
  if (onReject === undefined) return rest;
  return {
    ...rest,
    onReject: async (): Promise<Response> => {
      await onReject();
      return new Response(null, { status: 204 });
    },
  };
}

/** Translates middleware specs for one app: shared instances and the app's logger. */
function builder(log: AppLog): Build {
  const shared = new Map<string, MiddlewareHandler>();
  const limiterFor = sharedLimiters();
  const { logger } = log;
  const limitOptions = (spec: RateLimitMiddlewareSpec, options: RateLimitSpec) => ({
    ...rateLimitOptions(
      options,
      (c: Context, name) => c.req.header(name),
      (res: Response) => res.status,
    ),
    ...(spec.sameLimiter === undefined
      ? {}
      : { limiter: limiterFor(spec.sameLimiter, options.limiter) }),
    logger,
    ...misbehavingHono(spec),
  });
  return (spec) => {
    switch (spec.kind) {
      case 'securityHeaders':
        return securityHeaders(spec.options);
      case 'corsPackage':
        // hono/cors with its default, every origin.
        return honoCors();
      case 'cors':
        return cors(spec.options);
      case 'header':
        return async (c, next) => {
          c.header(spec.name, spec.value);
          await next();
        };
      case 'bodyParser':
        // What a Hono validator does (hono/validator reads c.req.json()), or a middleware
        // that reads the Fetch request itself.
        return spec.parser === 'json'
          ? async (c, next) => {
              await c.req.json().catch(() => undefined);
              await next();
            }
          : async (c, next) => {
              await c.req.raw.arrayBuffer();
              await next();
            };
      case 'formParser':
        // verifyWebhook parses a verified form itself.
        return proceed;
      case 'payloadLimit':
        return payloadLimit({ ...spec.options, logger, ...misbehavingHono(spec) });
      case 'verifyWebhook':
        return verifyWebhook({
          ...spec.options,
          logger,
          ...misbehavingHono(spec),
          ...publicUrlOption(spec, target),
        });
      case 'rateLimit': {
        // A route-level `false` mounts nothing: Hono has no route config to opt out with.
        if (spec.options === false) return proceed;
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

function handler(reply: ReplySpec): MiddlewareHandler {
  return async (c) => {
    switch (reply.kind) {
      case 'json':
        return c.json(reply.body, (reply.status ?? 200) as ContentfulStatusCode);
      case 'throw':
        // Hono's way to fail with a status; any other Error is a 500 from onError.
        if (reply.status !== undefined)
          throw new HTTPException(reply.status as ContentfulStatusCode, {
            message: 'route failed',
          });
        throw new Error('route failed');
      case 'stream':
        c.header('Content-Type', 'text/plain');
        return streamBody(c, async (s) => {
          for (const chunk of reply.chunks) await s.write(chunk);
        });
      case 'set-header':
        c.header(reply.name, reply.value);
        return c.json(reply.body);
      case 'reject':
        return rejectHono(new BulwarkError(reply.error), c);
      case 'echo-body':
        return c.json(
          { body: c.get('body') ?? null, rawBytes: c.get('rawBody')?.length ?? null },
          202,
        );
      case 'vary':
        // Hono has no vary helper: appended to the header, as hono/cors does.
        c.header('Vary', reply.field, { append: true });
        return c.json(reply.body);
      case 'slow':
        await sleep(reply.ms);
        return c.json(reply.body);
      case 'login': {
        const { status, body } = loginAnswer(c.req.header('x-password'));
        return c.json(body, status);
      }
    }
  };
}

function addRoutes(app: Hono, routes: readonly RouteSpec[], build: Build): void {
  for (const route of routes) {
    app.on([route.method], [route.path], ...(route.use ?? []).map(build), handler(route.reply));
  }
}

export async function startHono(spec: AppSpec, log: AppLog = appLog()): Promise<RunningApp> {
  const app = new Hono();
  const build = builder(log);
  for (const m of spec.use) app.use(build(m));
  addRoutes(app, spec.routes, build);
  for (const scope of spec.scopes ?? []) {
    const sub = new Hono();
    for (const m of scope.use) sub.use(build(m));
    addRoutes(sub, scope.routes, build);
    app.route(scope.prefix, sub);
  }
  if (spec.errorHandler === true) app.onError((_error, c) => c.json({ error: 'handled' }, 500));
  // Hono's default error handler logs every thrown error; the suite throws on purpose.
  else
    app.onError((error, c) =>
      error instanceof HTTPException ? error.getResponse() : c.text('Internal Server Error', 500),
    );
  // serve() without its listen: the server @hono/node-server's serve() builds, which the
  // suite's listener puts on 127.0.0.1, port 0, and closes with every connection.
  const server = createAdaptorServer({
    fetch: app.fetch,
    hostname: '127.0.0.1',
    createServer,
    serverOptions: serverOptions(spec),
  }) as Server;
  return listen(server, spec);
}
