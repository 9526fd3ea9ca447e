import type { FastifyContextConfig, FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';

/** How a bulwark plugin reads and compiles its per-route `config` entry. */
export interface RouteSettingsOptions<O extends object, C> {
  /** The plugin's key in the route config (`securityHeaders`, `payloadLimit`, ...). */
  readonly read: (config: FastifyContextConfig | undefined) => O | false | undefined;
  /** Whether routes without their own entry get `defaults`. */
  readonly global: boolean;
  /** The plugin-wide compiled settings. */
  readonly defaults: C | undefined;
  /** Compiles a route's own options (merged with the plugin's as the plugin chooses). */
  readonly compile: (own: O) => C;
  /** Called for every route the plugin applies to, for route-level adjustments. */
  readonly onRoute?: (route: RouteOptions, own: O | undefined) => void;
}

/**
 * The per-route `config` convention every bulwark Fastify plugin follows (as
 * @fastify/rate-limit does): a route's options are compiled when it is registered, so a bad
 * one fails at startup; `false` opts the route out; without an entry the plugin's defaults
 * apply when it is global. Returns the lookup a request hook makes: a property read and a
 * WeakMap hit, nothing compiled per request.
 */
export function routeSettings<O extends object, C>(
  fastify: FastifyInstance,
  options: RouteSettingsOptions<O, C>,
): (request: FastifyRequest) => C | undefined {
  const { read, global, defaults, compile, onRoute } = options;
  const perRoute = new WeakMap<O, C>();
  fastify.addHook('onRoute', (route) => {
    const own = read(route.config);
    if (own === false || (own === undefined && !global)) return;
    if (own !== undefined && !perRoute.has(own)) perRoute.set(own, compile(own));
    onRoute?.(route, own);
  });
  return (request) => {
    const own = read(request.routeOptions.config);
    if (own === undefined) return global ? defaults : undefined;
    return own === false ? undefined : perRoute.get(own);
  };
}

type RouteHook =
  NonNullable<RouteOptions['onRequest']> extends infer H
    ? H extends readonly (infer F)[]
      ? F
      : H
    : never;

const kHeaders = Symbol('bulwark.securityHeaders.hook');

/** Marks a route-level hook as one that writes security headers (see {@link addRouteOnRequest}). */
export function markHeadersHook<H extends object>(hook: H): H {
  return Object.assign(hook, { [kHeaders]: true });
}

/**
 * Puts a bulwark hook in front of the route's own onRequest hooks (an auth check must not
 * run for a request the limiter refuses), behind any security-headers hook already there, so
 * a route's own headers are written before a 429 is answered.
 */
export function addRouteOnRequest(route: RouteOptions, hook: RouteHook): void {
  const existing = route.onRequest;
  const list: RouteHook[] =
    existing === undefined ? [] : Array.isArray(existing) ? [...existing] : [existing];
  let at = 0;
  while (at < list.length && (list[at] as { [kHeaders]?: boolean })[kHeaders] === true) at++;
  list.splice(at, 0, hook);
  route.onRequest = list;
}
