import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import bodyParser from 'body-parser';
import corsPackage from 'cors';
import express from 'express';
import type { ErrorRequestHandler, Request, RequestHandler, Response, Router } from 'express';
import { BulwarkError } from 'bulwark';
import {
  cors,
  payloadLimit,
  protect,
  rateLimit,
  rejectExpress,
  securityHeaders,
  verifyWebhook,
} from 'bulwark/express';
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

type Build = (spec: MiddlewareSpec) => RequestHandler;

/** Translates middleware specs for one app: shared instances and the app's logger. */
function builder(log: AppLog, json: () => RequestHandler): Build {
  const shared = new Map<string, RequestHandler>();
  const limiterFor = sharedLimiters();
  const { logger } = log;
  const limitOptions = (spec: RateLimitMiddlewareSpec, options: RateLimitSpec) => ({
    ...rateLimitOptions(
      options,
      (req: Request, name) => req.get(name),
      (res: Response) => res.statusCode,
    ),
    ...(spec.sameLimiter === undefined
      ? {}
      : { limiter: limiterFor(spec.sameLimiter, options.limiter) }),
    logger,
    ...misbehaving(spec),
  });
  const build: Build = (spec) => {
    switch (spec.kind) {
      case 'securityHeaders':
        return securityHeaders(spec.options);
      case 'corsPackage':
        return corsPackage();
      case 'cors':
        return cors(spec.options);
      case 'header':
        return (_req, res, next) => {
          res.setHeader(spec.name, spec.value);
          next();
        };
      case 'bodyParser':
        return spec.parser === 'json' ? json() : bodyParser.json();
      case 'formParser':
        // verifyWebhook parses a verified form itself.
        return (_req, _res, next) => {
          next();
        };
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
          ...publicUrlOption(spec, (req: Request) => req.originalUrl),
        });
      case 'rateLimit': {
        // A route-level `false` mounts nothing: Express has no global middleware to opt out of.
        if (spec.options === false)
          return (_req, _res, next) => {
            next();
          };
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
  return build;
}

function handler(reply: ReplySpec): RequestHandler {
  return (req, res, next) => {
    switch (reply.kind) {
      case 'json':
        res.status(reply.status ?? 200).json(reply.body);
        return;
      case 'throw':
        throw Object.assign(
          new Error('route failed'),
          reply.status === undefined ? {} : { status: reply.status },
        );
      case 'stream':
        res.type('text/plain');
        Readable.from(reply.chunks).pipe(res);
        return;
      case 'set-header':
        res.setHeader(reply.name, reply.value);
        res.json(reply.body);
        return;
      case 'reject':
        rejectExpress(new BulwarkError(reply.error), req, res, next, undefined);
        return;
      case 'echo-body':
        res
          .status(202)
          .json({ body: (req.body as unknown) ?? null, rawBytes: req.rawBody?.length ?? null });
        return;
      case 'vary':
        res.vary(reply.field).json(reply.body);
        return;
      case 'slow':
        setTimeout(() => {
          res.json(reply.body);
        }, reply.ms);
        return;
      case 'login': {
        const { status, body } = loginAnswer(req.get('x-password'));
        res.status(status).json(body);
        return;
      }
    }
  };
}

function addRoutes(target: Router, routes: readonly RouteSpec[], build: Build): void {
  for (const route of routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    target[method](route.path, ...(route.use ?? []).map(build), handler(route.reply));
  }
}

// Express tells error handlers apart by their four parameters.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
const handled: ErrorRequestHandler = (_error, _req, res, _next) => {
  res.status(500).json({ error: 'handled' });
};

/** `createApp` is Express 5 by default; the suite also passes Express 4's factory. */
export async function startExpress(
  spec: AppSpec,
  log: AppLog = appLog(),
  createApp = express,
): Promise<RunningApp> {
  const app = createApp();
  const build = builder(log, () => createApp.json());
  for (const m of spec.use) app.use(build(m));
  addRoutes(app, spec.routes, build);
  for (const scope of spec.scopes ?? []) {
    const router = createApp.Router();
    for (const m of scope.use) router.use(build(m));
    addRoutes(router, scope.routes, build);
    app.use(scope.prefix, router);
  }
  if (spec.errorHandler === true) app.use(handled);
  return listen(createServer(serverOptions(spec), app), spec);
}

export type { AddressInfo };
