import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import fp from 'fastify-plugin';
import { compileCors, isPromise, mergeVary } from 'bulwark';
import type { CorsOptions, CorsOutcome, CorsPolicy, MaybePromise } from 'bulwark';
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

// A preflight is an OPTIONS request: it does not reach the route it asks about, nor that
// route's config. For routes with their own `config.cors` (or `false`), the plugin adds an
// OPTIONS route on the same path whose config carries this table: the route's setting per
// method, so the preflight is answered as the route itself would answer.
const kPreflights = Symbol('bulwark.fastify.cors.preflights');
type PreflightTable = Map<string, FastifyCorsRouteOptions | false>;
interface WithPreflights {
  [kPreflights]?: PreflightTable;
}

const notFound = (_request: FastifyRequest, reply: FastifyReply): void => {
  reply.callNotFound();
};

function isPreflight(request: FastifyRequest): boolean {
  const { headers } = request;
  return (
    request.raw.method === 'OPTIONS' &&
    headers.origin !== undefined &&
    headers['access-control-request-method'] !== undefined
  );
}

/**
 * Compiles the plugin's options for the scope, adds the OPTIONS routes preflights need, and
 * returns the per-request work of its hook: true when the request was answered here (a
 * preflight), as a promise when the origin check is asynchronous. `protect` runs it too,
 * passing the route config it has read once for all its parts.
 */
export function corsSetup(
  fastify: FastifyInstance,
  options: FastifyCorsOptions,
): (
  request: FastifyRequest,
  reply: FastifyReply,
  config?: FastifyContextConfig,
) => MaybePromise<boolean> {
  const { global = true, ...base } = options;
  const compile = (own: FastifyCorsRouteOptions): Policy =>
    compileCors<FastifyRequest>({ ...base, ...own });
  const policyFor = scopeSettings<FastifyCorsRouteOptions, Policy>(fastify, {
    read: (config) => config?.cors,
    global,
    defaults: global ? compileCors<FastifyRequest>(base) : undefined,
    compile,
  });
  (fastify as WithCors)[kCorsLookup] = policyFor;
  const defaults = global ? policyFor : undefined;
  const refusing = compileCors<FastifyRequest>({ ...base, origins: [] });
  const routePolicies = new WeakMap<FastifyCorsRouteOptions, Policy>();
  const tables = new Map<string, PreflightTable>();
  fastify.addHook('onRoute', function preflightRoute(this: FastifyInstance, route) {
    const own = route.config?.cors;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]) as string[];
    if (own === undefined || methods.includes('OPTIONS')) return;
    if (own !== false && !routePolicies.has(own)) routePolicies.set(own, compile(own));
    const { url } = route;
    let table = tables.get(url);
    if (table === undefined) {
      table = new Map();
      tables.set(url, table);
      const prefix = (route as { prefix?: string }).prefix ?? '';
      try {
        this.route({
          method: 'OPTIONS',
          url: url.slice(prefix.length),
          config: { [kPreflights]: table } as unknown as FastifyContextConfig,
          handler: notFound,
        });
      } catch (error: unknown) {
        if ((error as { code?: unknown }).code !== 'FST_ERR_DUPLICATED_ROUTE') throw error;
        throw new TypeError(
          `bulwark: cors: the route ${url} has its own config.cors, and an OPTIONS route of your own on the same path, so bulwark cannot answer its preflights as the route would; declare the OPTIONS route with the same config: { cors } and let bulwark answer it, or drop the route's own cors options.`,
        );
      }
    }
    for (const method of methods) table.set(method.toUpperCase(), own);
  });
  /** The policy for a request; for a preflight, the one of the route it asks about. */
  const choose = (
    request: FastifyRequest,
    config: FastifyContextConfig = request.routeOptions.config,
  ): Policy | undefined => {
    if (isPreflight(request)) {
      const table = (config as unknown as WithPreflights)[kPreflights];
      if (table !== undefined) {
        const asked = request.headers['access-control-request-method'];
        const own = table.get(typeof asked === 'string' ? asked.toUpperCase() : '');
        if (own === false) return refusing;
        if (own !== undefined) return routePolicies.get(own);
        return defaults?.(request, config);
      }
    }
    return policyFor(request, config);
  };
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
  return (request, reply, config) => {
    const policy = choose(request, config);
    if (policy === undefined) return false;
    const outcome = policy.decide(request.raw, request);
    return isPromise(outcome)
      ? outcome.then((o) => apply(o, request, reply))
      : apply(outcome, request, reply);
  };
}

const plugin: FastifyPluginCallback<FastifyCorsOptions> = (fastify, options, done) => {
  const step = corsSetup(fastify, options);
  // onRequest, as @fastify/cors does: a preflight is answered before any later hook runs.
  fastify.addHook('onRequest', (request, reply, next) => {
    const answered = step(request, reply);
    if (answered === false) next();
    else if (answered !== true) {
      answered.then(
        (a) => {
          if (!a) next();
        },
        (error: unknown) => {
          next(error instanceof Error ? error : new Error(String(error)));
        },
      );
    }
  });
  done();
};

/**
 * CORS as a Fastify plugin, for every route of the scope it is registered in (declared
 * before or after it) and every preflight to its paths, answered in `onRequest` before
 * authentication and rate limits. A route merges its own options over the plugin's with
 * `config: { cors: { ... } }` or opts out with `false`, and a preflight to that route is
 * answered with them (for routes declared after the plugin).
 */
export const cors = fp(checkedPlugin(plugin), { fastify: '5.x', name: 'bulwark-cors' });
