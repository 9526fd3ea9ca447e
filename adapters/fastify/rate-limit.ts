import type {
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import { compileRateLimit, isPromise } from 'bulwark';
import type {
  ClientAddressInput,
  RateLimitCheck,
  RateLimitMiddlewareOptions,
  RateLimitOutcome,
} from 'bulwark';
import { rejectFastify } from './reject.js';
import { addRouteOnRequest } from './route-settings.js';
import type { FastifyRejectOptions } from './reject.js';

/** Options a route may set in `config.rateLimit`: any plugin option, the limiter included. */
export type FastifyRateLimitRouteOptions = Partial<FastifyRateLimitOptions>;

/** Options for the Fastify `rateLimit` plugin: the shared options plus `onReject` and `global`. */
export interface FastifyRateLimitOptions
  extends RateLimitMiddlewareOptions<FastifyRequest>, FastifyRejectOptions {
  /**
   * Limit every route registered after the plugin. With `false`, only routes whose
   * `config.rateLimit` is set are limited. Default: `true`.
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

const failure = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));

function hook(
  check: RateLimitCheck<FastifyRequest>,
  onReject: FastifyRateLimitOptions['onReject'],
): onRequestHookHandler {
  const apply = (
    outcome: RateLimitOutcome | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
    done: (error?: Error) => void,
  ): void => {
    if (outcome === undefined) {
      done();
    } else if (outcome.error === undefined) {
      reply.headers(outcome.headers);
      done();
    } else {
      // A sent reply ends the request; Fastify must not run the handler, so done is not called.
      rejectFastify(outcome.error, request, reply, onReject).catch(done);
    }
  };
  // Callback style: a memory-backed decision is ready now and the request goes on in the
  // same tick, with no promise at all.
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    let result: ReturnType<typeof check>;
    try {
      result = check(request);
    } catch (error: unknown) {
      done(failure(error));
      return;
    }
    if (!isPromise(result)) {
      apply(result, request, reply, done);
      return;
    }
    result.then(
      (outcome) => {
        apply(outcome, request, reply, done);
      },
      (error: unknown) => {
        done(failure(error));
      },
    );
  };
}

const plugin: FastifyPluginCallback<FastifyRateLimitOptions> = (fastify, options, done) => {
  const { global = true } = options;
  // Compiled once, at registration: the limiter and its store are shared by every route
  // that uses the plugin's policy. A route's own policy is compiled when the route is added,
  // so a bad route option fails at startup, as @fastify/rate-limit does.
  let shared: onRequestHookHandler | undefined;
  const sharedHook = (): onRequestHookHandler => {
    shared ??= hook(compileRateLimit(options, peer), options.onReject);
    return shared;
  };
  if (global) sharedHook();
  const perRoute = new WeakMap<FastifyRateLimitRouteOptions, onRequestHookHandler>();
  fastify.addHook('onRoute', (route) => {
    const own = route.config?.rateLimit;
    if (own === false || (own === undefined && !global)) return;
    let handler: onRequestHookHandler;
    if (own === undefined || (own.limiter === undefined && Object.keys(own).length === 0)) {
      handler = sharedHook();
    } else {
      // One limiter per config object: the HEAD route Fastify adds for a GET shares the GET's
      // config, and must share its count too, or HEAD requests would double the quota.
      const compiled = perRoute.get(own);
      if (compiled === undefined) {
        const merged: FastifyRateLimitOptions = { ...options, ...own };
        handler = hook(compileRateLimit(merged, peer), merged.onReject);
        perRoute.set(own, handler);
      } else handler = compiled;
    }
    addRouteOnRequest(route, handler);
  });
  done();
};

/**
 * Rate limiting as a Fastify plugin (fastify-plugin, so it reaches every route registered
 * after it). A route sets `config: { rateLimit: { limiter: {...} } }` for its own policy or
 * `config: { rateLimit: false }` to opt out, as with @fastify/rate-limit. Register it
 * after `securityHeaders` and before the routes.
 */
export const rateLimit = fp(plugin, { fastify: '5.x', name: 'bulwark-rate-limit' });
