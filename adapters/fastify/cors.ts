import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { compileCors, isPromise, mergeVary } from 'bulwark';
import type { CorsOptions, CorsOutcome, CorsPolicy } from 'bulwark';
import { checkedPlugin, scopeSettings } from './route-settings.js';
import type { SettingsLookup } from './route-settings.js';
import { applyScopeSecurityHeaders } from './security-headers.js';

/** CORS options a route gives in `config.cors`, merged over the plugin's. */
export type FastifyCorsRouteOptions = Partial<CorsOptions<FastifyRequest>>;

/** Options for the Fastify `cors` plugin. */
export interface FastifyCorsOptions extends CorsOptions<FastifyRequest> {
  /**
   * Apply to every route of the scope the plugin is registered in, and answer preflights for
   * every path of it. With `false`, only routes whose `config.cors` is set get CORS headers
   * (and no preflight is answered for them: give such routes their own scope). Default: `true`.
   */
  readonly global?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Per-route CORS: options merged over the plugin's for this route's answers, `false` for none. */
    cors?: FastifyCorsRouteOptions | false;
  }
}

type Policy = CorsPolicy<FastifyRequest>;

// The scope's policy lookup, kept on the instance the plugin was registered in (child
// scopes inherit it), so the other bulwark plugins of the scope can honour CORS whatever
// order they were registered in.
const kCorsLookup = Symbol.for('bulwark.fastify.cors');
interface WithCors {
  [kCorsLookup]?: SettingsLookup<Policy>;
}

/**
 * True for a preflight that the scope's `cors` plugin will answer: the rate limit lets it
 * through uncounted, as it would had `cors` been registered first.
 */
export function isAnsweredPreflight(request: FastifyRequest): boolean {
  const { headers } = request;
  if (headers.origin === undefined || headers['access-control-request-method'] === undefined) {
    return false;
  }
  const policy = (request.server as WithCors)[kCorsLookup]?.(request);
  return policy?.answersPreflights === true;
}

/**
 * Writes the scope's CORS headers on a reply if the `cors` plugin covers the request's
 * route and has not run yet. Called before a bulwark rejection is sent, so a page can read
 * a 413 or 429 whatever order the plugins were registered in.
 */
export async function applyScopeCors(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (reply.getHeader('access-control-allow-origin') !== undefined) return;
  const policy = (request.server as WithCors)[kCorsLookup]?.(request);
  if (policy === undefined) return;
  const outcome = await policy.decide(request.raw, request);
  reply.headers(outcome.headers);
  if (outcome.vary !== undefined) {
    reply.header('Vary', mergeVary(reply.getHeader('Vary'), outcome.vary));
  }
}

/** Applies an outcome; true when the preflight was answered here. */
function apply(outcome: CorsOutcome, request: FastifyRequest, reply: FastifyReply): boolean {
  reply.headers(outcome.headers);
  if (outcome.vary !== undefined) {
    reply.header('Vary', mergeVary(reply.getHeader('Vary'), outcome.vary));
  }
  if (!outcome.preflight) return false;
  // The preflight is answered before later hooks (authentication, rate limits); it carries
  // the scope's security headers whatever order the plugins were registered in.
  applyScopeSecurityHeaders(request, reply);
  void reply.code(204).send();
  return true;
}

const plugin: FastifyPluginCallback<FastifyCorsOptions> = (fastify, options, done) => {
  const { global = true, ...base } = options;
  const policyFor = scopeSettings<FastifyCorsRouteOptions, Policy>(fastify, {
    read: (config) => config?.cors,
    global,
    defaults: global ? compileCors<FastifyRequest>(base) : undefined,
    compile: (own) => compileCors<FastifyRequest>({ ...base, ...own }),
  });
  (fastify as WithCors)[kCorsLookup] = policyFor;
  // onRequest, as @fastify/cors does: a preflight is answered before any later hook runs.
  fastify.addHook('onRequest', (request, reply, next) => {
    const policy = policyFor(request);
    if (policy === undefined) {
      next();
      return;
    }
    const outcome = policy.decide(request.raw, request);
    if (!isPromise(outcome)) {
      if (!apply(outcome, request, reply)) next();
      return;
    }
    outcome.then(
      (o) => {
        if (!apply(o, request, reply)) next();
      },
      (error: unknown) => {
        next(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
  if (global) {
    // A preflight names a path that usually has no OPTIONS route: this catch-all brings it
    // into the scope (a scope with a prefix does not own the app's 404 handler), where the
    // hook above answers it. A plain OPTIONS request goes on to the app's 404 handler.
    try {
      fastify.route({
        method: 'OPTIONS',
        url: '*',
        handler: (_request, reply) => {
          reply.callNotFound();
        },
      });
    } catch (error: unknown) {
      if ((error as { code?: unknown }).code !== 'FST_ERR_DUPLICATED_ROUTE') throw error;
      throw new TypeError(
        'bulwark: cors: this scope already has a catch-all OPTIONS route (cors registered twice in one scope, or an OPTIONS * route of your own); register cors once per scope, or with { global: false } beside your own OPTIONS route.',
      );
    }
  }
  done();
};

/**
 * CORS as a Fastify plugin, for every route of the scope it is registered in (declared
 * before or after it) and every preflight to its paths, answered in `onRequest` before
 * authentication and rate limits. A route merges its own options over the plugin's with
 * `config: { cors: { ... } }` or opts out with `false`; a preflight is answered with the
 * plugin's options (an `OPTIONS` request is not the route it asks about), so routes whose
 * origins differ belong in a scope with their own `cors` registration.
 */
export const cors = fp(checkedPlugin(plugin), { fastify: '5.x', name: 'bulwark-cors' });
