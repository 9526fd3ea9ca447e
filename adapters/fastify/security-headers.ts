import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import fp from 'fastify-plugin';
import {
  applySecurityHeaders,
  compileSecurityHeaders,
  hasSecurityHeaders,
  securityHeadersSlot,
} from 'bulwark';
import type { CompiledSecurityHeaders, HeaderAccess, SecurityHeadersOptions } from 'bulwark';
import { checkedPlugin, scopeSettings } from './route-settings.js';
import type { SettingsLookup } from './route-settings.js';

/** Options for the Fastify `securityHeaders` plugin. */
export interface FastifySecurityHeadersOptions extends SecurityHeadersOptions {
  /** Apply to every route. With `false`, only routes whose `config.securityHeaders` is set get headers. Default: `true`. */
  readonly global?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Per-route security headers: options replace the plugin's for this route, `false` sends none. */
    securityHeaders?: SecurityHeadersOptions | false;
  }
}

// Fastify stores reply header names in lower case and sends them so: given lowered names,
// it has nothing to lower per request.
const replyHeaders: HeaderAccess<FastifyReply> = {
  lowerCase: true,
  get: (reply, name) => reply.getHeader(name),
  set: (reply, name, value) => {
    reply.header(name, value);
  },
  remove: (reply, name) => {
    reply.removeHeader(name);
  },
};

// The scope's header lookup, kept on the instance the plugin was registered in. Fastify's
// child scopes inherit it (they are prototype children of their parent), so a rejection
// answered by another bulwark plugin registered before this one still carries the headers.
const kHeadersLookup = Symbol.for('bulwark.fastify.securityHeaders');
interface WithHeaders {
  [kHeadersLookup]?: SettingsLookup<CompiledSecurityHeaders>;
}

/**
 * Writes the scope's security headers on a reply if the `securityHeaders` plugin covers the
 * request's route. Called before a bulwark rejection is sent, so a 413 or 429 carries them
 * whatever order the plugins were registered in.
 */
export function applyScopeSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  // Written already by the plugin's own hook (registered first, the usual order).
  if (hasSecurityHeaders(reply)) return;
  const lookup = (request.server as WithHeaders)[kHeadersLookup];
  const compiled = lookup?.(request);
  if (compiled !== undefined) applySecurityHeaders(reply, replyHeaders, compiled);
}

/**
 * Compiles the plugin's options for the scope (and each route's own, as routes are added) and
 * returns the per-request work of its hook; `protect` runs it too, passing the route config
 * it has read once for all its parts.
 */
export function headersSetup(
  fastify: FastifyInstance,
  options: FastifySecurityHeadersOptions,
): (request: FastifyRequest, reply: FastifyReply, config?: FastifyContextConfig) => void {
  const { global = true, ...headerOptions } = options;
  // Fastify builds every reply of the scope with this property (null until written), so the
  // mark of what was written is a property store on a reply of fixed shape, not a WeakMap
  // entry per request. A scope that already has it (a second plugin) keeps it.
  if (!fastify.hasReplyDecorator(securityHeadersSlot)) {
    fastify.decorateReply(securityHeadersSlot, null);
  }
  const headersFor = scopeSettings<SecurityHeadersOptions, CompiledSecurityHeaders>(fastify, {
    read: (config) => config?.securityHeaders,
    global,
    defaults: compileSecurityHeaders(headerOptions),
    compile: compileSecurityHeaders,
  });
  (fastify as WithHeaders)[kHeadersLookup] = headersFor;
  return (request, reply, config) => {
    const compiled = headersFor(request, config);
    if (compiled !== undefined) applySecurityHeaders(reply, replyHeaders, compiled);
  };
}

const plugin: FastifyPluginCallback<FastifySecurityHeadersOptions> = (fastify, options, done) => {
  const apply = headersSetup(fastify, options);
  // The headers are written when the request arrives (onRequest, as @fastify/helmet does):
  // Fastify keeps reply headers through thrown errors and the 404 handler, and every later
  // hook, plugin answer (CORS preflights, bulwark's 413 and 429) and handler sees them.
  fastify.addHook('onRequest', (request, reply, next) => {
    apply(request, reply);
    next();
  });
  done();
};

/**
 * Security response headers as a Fastify plugin, for every route of the scope it is
 * registered in (fastify-plugin: registered on the root, that is the whole app, its 404
 * handler and error replies included), whether the routes are declared before or after it.
 * A route overrides through `config: { securityHeaders: { ... } }` or opts out with `false`.
 */
export const securityHeaders = fp(checkedPlugin(plugin), {
  fastify: '5.x',
  name: 'bulwark-security-headers',
});
