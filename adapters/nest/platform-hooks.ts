import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { isPromise, mergeVary, rememberBody } from 'bulwark';
import type { BulwarkError, MaybePromise } from 'bulwark';
import { rejection } from './exception.js';
import { routePlanOf } from './metadata.js';
import type { RoutePlan } from './metadata.js';
import { setHeaders } from './platform.js';
import type { NestRequest } from './platform.js';
import { applyLimits } from './rate-limit.js';
import { checkRoute, readsBody } from './route-check.js';
import type { BulwarkRuntime } from './runtime.js';

type Done = (error?: unknown) => void;

/** The parts of Fastify's request these hooks read (structural: Fastify is an optional peer). */
interface FastifyRequestLike extends NestRequest {
  readonly raw: IncomingMessage;
  readonly is404: boolean;
  readonly routeOptions: { readonly config?: Readonly<Record<symbol, unknown>> };
  rawBody?: Buffer;
}

/** The parts of Fastify's reply these hooks read. */
interface FastifyReplyLike {
  readonly raw: ServerResponse;
}

/** The parts of a Fastify route's options the onRoute hook reads and extends. */
interface FastifyRouteLike {
  readonly handler?: unknown;
  config?: Record<symbol, unknown>;
}

/** The parts of a Fastify instance these hooks use. */
interface FastifyLike {
  addHook(name: 'onRoute', hook: (route: FastifyRouteLike) => void): unknown;
  addHook(
    name: 'onRequest',
    hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: Done) => void,
  ): unknown;
  addHook(
    name: 'preParsing',
    hook: (
      request: FastifyRequestLike,
      reply: FastifyReplyLike,
      payload: Readable,
    ) => Promise<Readable>,
  ): unknown;
}

/** The parts of Express's router these hooks read (Express 5, which platform-express uses). */
interface ExpressLayerLike {
  match(path: string): boolean;
  readonly route?: {
    readonly stack: readonly { readonly handle: unknown }[];
    _handlesMethod(method: string | undefined): boolean;
  };
}

interface ExpressLike {
  readonly router: { readonly stack: readonly ExpressLayerLike[] };
}

interface ExpressRequestLike extends IncomingMessage {
  readonly path: string;
}

function settleWith(
  outcome: MaybePromise<BulwarkError | undefined>,
  res: ServerResponse,
  done: Done,
  prepare?: () => MaybePromise<void>,
): void {
  const settle = (error: BulwarkError | undefined): void => {
    if (error === undefined) {
      done();
      return;
    }
    const prepared = prepare?.();
    if (isPromise(prepared)) {
      prepared.then(
        () => {
          done(rejection(error, res));
        },
        () => {
          done(rejection(error, res));
        },
      );
    } else done(rejection(error, res));
  };
  if (isPromise(outcome)) outcome.then(settle, done);
  else settle(outcome);
}

/**
 * Counts a request no route matched under the module's global limit: guards never run for
 * a 404, and a scanner probing paths that do not exist must be limited like any client.
 */
function countUnmatched(
  runtime: BulwarkRuntime,
  request: NestRequest,
  res: ServerResponse,
  done: Done,
): void {
  if (runtime.rateLimit === undefined || res.writableEnded) {
    done();
    return;
  }
  try {
    settleWith(applyLimits([runtime.rateLimit], request, res), res, done);
  } catch (error: unknown) {
    done(error);
  }
}

/**
 * The bytes bulwark read, as the payload stream Fastify's content-type parsers read next;
 * `receivedEncodedLength` is what Fastify checks its own bodyLimit against.
 */
function replayed(raw: Buffer): Readable {
  const stream = Object.assign(Readable.from(raw.length === 0 ? [] : [raw]), {
    receivedEncodedLength: raw.length,
  });
  rememberBody(stream, raw);
  return stream;
}

/** The module's headers and CORS on a rejection answered before Nest's middleware ran. */
function prepareEarly(runtime: BulwarkRuntime, req: IncomingMessage, res: ServerResponse) {
  return (): MaybePromise<void> => {
    const { cors } = runtime;
    if (cors === undefined) return undefined;
    const outcome = cors.decide(req, req);
    const apply = (o: { headers: Readonly<Record<string, string>>; vary: string | undefined }) => {
      setHeaders(res, o.headers);
      if (o.vary !== undefined) res.setHeader('Vary', mergeVary(res.getHeader('Vary'), o.vary));
    };
    if (isPromise(outcome)) return outcome.then(apply);
    apply(outcome);
    return undefined;
  };
}

const kPlan = Symbol.for('bulwark.nest.routePlan');

/**
 * Express: Nest registers its JSON and form parsers when the app is initialized, after the
 * modules are created. A middleware added now runs before them: for a route whose handler
 * reads the body (`@VerifyWebhook`, `@PayloadLimit`, the module's payload limit) it counts
 * the limits and checks the body on the raw stream, under bulwark's limit, before any
 * parser; the parsers then see a finished request and keep bulwark's `body`. The routes are
 * looked up in Express's own router, filled in by `installLate`.
 */
function expressEarly(
  adapter: AbstractHttpAdapter,
  runtime: BulwarkRuntime,
): (app: ExpressLike) => void {
  let table: readonly { readonly layer: ExpressLayerLike; readonly plan: RoutePlan }[] = [];
  // The module's security headers are written here, first, for every request: Nest's own
  // middleware route for them (forRoutes) would match each request's path again and wrap
  // the call, about a tenth of a small request's server CPU on Express. Here they also cover
  // the answers of Nest's body parsers and of the app's own app.use() middleware, whose own
  // values still win. CORS stays after the app's middleware (see BulwarkModule.configure),
  // so it merges into the Vary an app middleware sets.
  const { headers } = runtime;
  const routed = (req: ExpressRequestLike, res: ServerResponse, next: Done): void => {
    let plan: RoutePlan | undefined;
    for (const entry of table) {
      if (entry.layer.route?._handlesMethod(req.method) === true && entry.layer.match(req.path)) {
        plan = entry.plan;
        break;
      }
    }
    if (plan === undefined) {
      next();
      return;
    }
    try {
      settleWith(checkRoute(runtime, plan, req, res), res, next, prepareEarly(runtime, req, res));
    } catch (error: unknown) {
      next(error);
    }
  };
  adapter.use((req: ExpressRequestLike, res: ServerResponse, next: Done) => {
    headers?.(res);
    routed(req, res, next);
  });
  return (app) => {
    const entries: { layer: ExpressLayerLike; plan: RoutePlan }[] = [];
    for (const layer of app.router.stack) {
      for (const { handle } of layer.route?.stack ?? []) {
        if (typeof handle !== 'function') continue;
        const plan = routePlanOf(handle);
        if (readsBody(runtime, plan)) entries.push({ layer, plan });
      }
    }
    table = entries;
  };
}

/**
 * Fastify: each route's plan is put in its route config as the route is added (Nest adds
 * them when the app is initialized), and a preParsing hook runs it on the payload stream
 * before any content-type parser, as bulwark/fastify does: the limits first, then the body
 * under bulwark's limit; the bytes go on to Nest's parsers (for `@Body()`) with `rawBody`
 * set. The module's middleware ran before (onRequest), so a rejection carries its headers.
 */
function fastifyEarly(fastify: FastifyLike, runtime: BulwarkRuntime): void {
  fastify.addHook('onRoute', (route) => {
    if (typeof route.handler !== 'function') return;
    const plan = routePlanOf(route.handler);
    if (readsBody(runtime, plan)) route.config = { ...route.config, [kPlan]: plan };
  });
  fastify.addHook('preParsing', async (request, reply, payload) => {
    const plan = request.routeOptions.config?.[kPlan] as RoutePlan | undefined;
    if (plan === undefined) return payload;
    const error = await checkRoute(runtime, plan, request, reply.raw, payload);
    if (error !== undefined) throw rejection(error, reply.raw);
    return request.rawBody === undefined ? payload : replayed(request.rawBody);
  });
}

/** What {@link installPlatformHooks} installed, and what is left for later. */
export interface PlatformHooks {
  /** The security headers are written in the platform's own first middleware (Express). */
  readonly headersEarly: boolean;
  /**
   * Adds a plain middleware of the platform where it stands now (Express), in place of a
   * route of Nest's middleware consumer; absent where the consumer is the way (Fastify).
   */
  readonly use?: (
    middleware: (req: IncomingMessage, res: ServerResponse, next: Done) => void,
  ) => void;
  /** What to do once the routes are registered (from onModuleInit). */
  readonly whenRouted: () => void;
}

/**
 * What the platform needs before Nest initializes the app (called when the module is
 * created); returns what to do once the routes are registered (from onModuleInit, which
 * Nest calls after the routes and before its 404 handler).
 */
export function installPlatformHooks(
  adapter: AbstractHttpAdapter | undefined,
  runtime: BulwarkRuntime,
): PlatformHooks {
  const type = adapter?.getType();
  if (adapter !== undefined && type === 'express') {
    const fill = expressEarly(adapter, runtime);
    return {
      headersEarly: true,
      use: (middleware) => {
        adapter.use(middleware);
      },
      whenRouted: () => {
        fill(adapter.getInstance<ExpressLike>());
        // After every route, before Nest's 404 handler: only requests no route answered.
        if (runtime.rateLimit !== undefined) {
          adapter.use((req: IncomingMessage, res: ServerResponse, next: Done) => {
            countUnmatched(runtime, req, res, next);
          });
        }
      },
    };
  }
  if (adapter !== undefined && type === 'fastify') {
    const fastify = adapter.getInstance<FastifyLike>();
    fastifyEarly(fastify, runtime);
    return {
      headersEarly: false,
      whenRouted: () => {
        // After Nest's middleware (registered when the app is initialized), so a 429 for an
        // unmatched path carries the security and CORS headers.
        if (runtime.rateLimit === undefined) return;
        fastify.addHook('onRequest', (request, reply, done) => {
          if (request.is404) countUnmatched(runtime, request, reply.raw, done);
          else done();
        });
      },
    };
  }
  return { headersEarly: false, whenRouted: () => undefined };
}
