import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import fp from 'fastify-plugin';
import { compileRateLimit, isPromise, rateLimitLogger, rateLimitSlot } from 'bulwark';
import type {
  ClientAddressInput,
  LoggerLike,
  RateLimitCheck,
  RateLimitMiddlewareOptions,
  RateLimitOutcome,
} from 'bulwark';
import { settleWhenClosed } from '../shared/node-settle.js';
import { isAnsweredPreflight } from './cors.js';
import { rejectFastify } from './reject.js';
import { checkedPlugin, scopeSettings } from './route-settings.js';
import type { FastifyOnReject, FastifyRejectOptions } from './reject.js';

/** Options a route may set in `config.rateLimit`: any plugin option, the limiter included. */
export type FastifyRateLimitRouteOptions = Partial<FastifyRateLimitOptions>;

/** Options for the Fastify `rateLimit` plugin: the shared options plus `onReject` and `global`. */
export interface FastifyRateLimitOptions
  extends RateLimitMiddlewareOptions<FastifyRequest, FastifyReply>, FastifyRejectOptions {
  /**
   * Limit every route of the scope the plugin is registered in, its 404 handler included.
   * With `false`, only routes whose `config.rateLimit` is set are limited. Default: `true`.
   */
  readonly global?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Per-route rate limiting: options (merged over the plugin's; give a `limiter` for the
     * route's own policy) or `false` to opt the route out.
     */
    rateLimit?: FastifyRateLimitRouteOptions | false;
  }
}

const peer = (request: FastifyRequest): ClientAddressInput => ({
  remoteAddress: request.raw.socket.remoteAddress,
  headers: request.headers,
});
// Node's request: one object for the request whichever scope's hook sees it, so a limit
// registered in two nested scopes counts a request once.
// Fastify's request: one per request, seen by every hook and by a Nest guard on the Fastify
// platform, and built with the rate limit's slot (see rateLimitSetup).
const carrier = (request: FastifyRequest): object => request;

const failure = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));

/** One compiled policy: the check and how its rejections are answered. */
interface Limit {
  readonly check: RateLimitCheck<FastifyRequest>;
  readonly onReject: FastifyOnReject | undefined;
  readonly logger: LoggerLike;
}

function compile(options: FastifyRateLimitOptions): Limit {
  return {
    check: compileRateLimit(options, peer, carrier),
    onReject: options.onReject,
    logger: rateLimitLogger(options),
  };
}

function apply(
  outcome: RateLimitOutcome | undefined,
  limit: Limit,
  request: FastifyRequest,
  reply: FastifyReply,
  done: (error?: Error) => void,
): void {
  if (outcome === undefined) {
    done();
  } else if (outcome.error === undefined) {
    reply.headers(outcome.headers);
    if (outcome.settle !== undefined) settleWhenClosed(reply.raw, outcome.settle, request, reply);
    done();
  } else {
    // A sent reply ends the request; Fastify must not run the handler, so done is not called.
    rejectFastify(outcome.error, request, reply, limit.onReject, limit.logger).catch(done);
  }
}

/** The plugin's `onRequest` hook; `protect` passes the route config it has read once. */
export type RateLimitHook = (
  request: FastifyRequest,
  reply: FastifyReply,
  next: (error?: Error) => void,
  config?: FastifyContextConfig,
) => void;

/**
 * Compiles the plugin's options for the scope (and each route's own, as routes are added) and
 * returns its `onRequest` hook; `protect` runs it too.
 */
export function rateLimitSetup(
  fastify: FastifyInstance,
  options: FastifyRateLimitOptions,
): RateLimitHook {
  const { global = true } = options;
  // Every request of the scope is built with this property (null until counted), so noting
  // what was counted is a property store on a request of fixed shape, not a WeakMap entry.
  if (!fastify.hasRequestDecorator(rateLimitSlot)) fastify.decorateRequest(rateLimitSlot, null);
  // Compiled once, at registration: the limiter and its store are shared by every route
  // that uses the plugin's policy. A route's own policy is compiled when the route is added
  // (once per config object: the HEAD route Fastify adds for a GET shares the GET's config,
  // and so its count), so a bad route option fails at startup, as @fastify/rate-limit does.
  const hasLimiter = (options as Partial<FastifyRateLimitOptions>).limiter !== undefined;
  const shared = global || hasLimiter ? compile(options) : undefined;
  const limitFor = scopeSettings<FastifyRateLimitRouteOptions, Limit>(fastify, {
    read: (config) => config?.rateLimit,
    global,
    defaults: shared,
    compile: (own) =>
      own.limiter === undefined && Object.keys(own).length === 0 && shared !== undefined
        ? shared
        : compile({ ...options, ...own }),
  });
  // Callback style: a memory-backed decision is ready now and the request goes on in the
  // same tick, with no promise at all.
  return (request, reply, next, config) => {
    let limit: Limit | undefined;
    let result: ReturnType<RateLimitCheck<FastifyRequest>>;
    try {
      limit = limitFor(request, config);
      // A preflight the scope's cors answers is not counted, whichever plugin came first.
      if (
        limit === undefined ||
        (request.raw.method === 'OPTIONS' && isAnsweredPreflight(request))
      ) {
        next();
        return;
      }
      result = limit.check(request);
    } catch (error: unknown) {
      next(failure(error));
      return;
    }
    if (!isPromise(result)) {
      apply(result, limit, request, reply, next);
      return;
    }
    const chosen = limit;
    result.then(
      (outcome) => {
        apply(outcome, chosen, request, reply, next);
      },
      (error: unknown) => {
        next(failure(error));
      },
    );
  };
}

const plugin: FastifyPluginCallback<FastifyRateLimitOptions> = (fastify, options, done) => {
  fastify.addHook('onRequest', rateLimitSetup(fastify, options));
  done();
};

/**
 * Rate limiting as a Fastify plugin, for every route of the scope it is registered in
 * (fastify-plugin: on the root, the whole app and its 404 handler), declared before or
 * after it. A route sets `config: { rateLimit: { limiter: {...} } }` for its own policy or
 * `config: { rateLimit: false }` to opt out, as with @fastify/rate-limit. Register it after
 * `securityHeaders`; a 429 carries the scope's security headers either way.
 */
export const rateLimit = fp(checkedPlugin(plugin), { fastify: '5.x', name: 'bulwark-rate-limit' });
