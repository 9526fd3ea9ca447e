import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyPluginCallback,
  FastifyPluginOptions,
  FastifyRequest,
  RouteOptions,
} from 'fastify';

/** How a bulwark plugin reads and compiles its per-route `config` entry. */
export interface ScopeSettingsOptions<O extends object, C> {
  /** The plugin's key in the route config (`securityHeaders`, `payloadLimit`, ...). */
  readonly read: (config: FastifyContextConfig | undefined) => O | false | undefined;
  /** Whether routes without their own entry get `defaults`. */
  readonly global: boolean;
  /** The plugin-wide compiled settings (used when `global`). */
  readonly defaults: C | undefined;
  /** Compiles a route's own options (merged with the plugin's as the plugin chooses). */
  readonly compile: (own: O) => C;
  /** Called for every route registered after the plugin that it applies to, for route-level adjustments. */
  readonly onRoute?: (route: RouteOptions, own: O | undefined) => void;
}

/**
 * What a request hook gets for its route: the compiled settings, or undefined for none. A
 * hook that has already read the route's config passes it, so the getter runs once.
 */
export type SettingsLookup<C> = (
  request: FastifyRequest,
  config?: FastifyContextConfig,
) => C | undefined;

/**
 * The scope convention every bulwark Fastify plugin follows. The plugin adds one hook to
 * the scope it is registered in (the encapsulation context; fastify-plugin keeps it there),
 * so it covers every route of that scope and its 404 handler, whether the routes were
 * declared before or after the plugin: a scope hook, unlike a hook added through onRoute,
 * cannot miss a route. Per route, `config[key]` overrides the plugin's options (as with
 * @fastify/rate-limit), `false` opts the route out, and without an entry the plugin's
 * defaults apply when it is global.
 *
 * A route's own options are compiled when the route is registered after the plugin, so a
 * bad one fails at startup; a route declared before the plugin is compiled on its first
 * request and cached. Per request: one `routeOptions` read and a WeakMap hit.
 */
export function scopeSettings<O extends object, C>(
  fastify: FastifyInstance,
  options: ScopeSettingsOptions<O, C>,
): SettingsLookup<C> {
  const { read, global, defaults, compile, onRoute } = options;
  const perRoute = new WeakMap<O, C>();
  const compiled = (own: O): C => {
    let c = perRoute.get(own);
    if (c === undefined) {
      c = compile(own);
      perRoute.set(own, c);
    }
    return c;
  };
  fastify.addHook('onRoute', (route) => {
    const own = read(route.config);
    if (own === false || (own === undefined && !global)) return;
    if (own !== undefined) compiled(own);
    onRoute?.(route, own);
  });
  return (request, config = request.routeOptions.config) => {
    const own = read(config);
    if (own === undefined) return global ? defaults : undefined;
    return own === false ? undefined : compiled(own);
  };
}

/**
 * A plugin whose options are checked when it is registered: a `TypeError` thrown while it
 * compiles them becomes the plugin's error, so `await app.register(plugin, opts)` (and
 * `app.ready()`) rejects with it, as with any Fastify boot error, instead of escaping as an
 * uncaught exception that no `try` around `register` can catch.
 */
export function checkedPlugin<O extends FastifyPluginOptions>(
  plugin: FastifyPluginCallback<O>,
): FastifyPluginCallback<O> {
  return (fastify, options, done) => {
    try {
      plugin(fastify, options, done);
    } catch (error: unknown) {
      done(error instanceof Error ? error : new Error(String(error)));
    }
  };
}
