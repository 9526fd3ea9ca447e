import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { applySecurityHeaders, compileSecurityHeaders } from 'bulwark';
import type { CompiledSecurityHeaders, HeaderAccess, SecurityHeadersOptions } from 'bulwark';
import { addRouteOnRequest, markHeadersHook } from './route-settings.js';

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

const replyHeaders: HeaderAccess<FastifyReply> = {
  get: (reply, name) => reply.getHeader(name),
  set: (reply, name, value) => {
    reply.header(name, value);
  },
  remove: (reply, name) => {
    reply.removeHeader(name);
  },
};

type Hook = (request: FastifyRequest, reply: FastifyReply, done: () => void) => void;

const hookFor =
  (compiled: CompiledSecurityHeaders): Hook =>
  (_request, reply, done) => {
    applySecurityHeaders(reply, replyHeaders, compiled);
    done();
  };

const plugin: FastifyPluginCallback<FastifySecurityHeadersOptions> = (fastify, options, done) => {
  const { global = true, ...headerOptions } = options;
  // The headers are written when the request arrives (onRequest, as @fastify/helmet does):
  // Fastify keeps reply headers through thrown errors and the 404 handler, and every later
  // hook, plugin answer (CORS preflights, bulwark's 413 and 429) and handler sees them. A
  // global hook is one synchronous call with nothing looked up per request; a route with its
  // own entry gets a route-level hook, compiled at startup, that runs after it and replaces
  // what it wrote.
  if (global) fastify.addHook('onRequest', hookFor(compileSecurityHeaders(headerOptions)));
  const perRoute = new Map<SecurityHeadersOptions | false, Hook>();
  fastify.addHook('onRoute', (route) => {
    const own = route.config?.securityHeaders;
    if (own === undefined) return;
    let hook = perRoute.get(own);
    if (hook === undefined) {
      hook = markHeadersHook(hookFor(compileSecurityHeaders(own)));
      perRoute.set(own, hook);
    }
    addRouteOnRequest(route, hook);
  });
  done();
};

/**
 * Security response headers as a Fastify plugin, global by default (registered with
 * fastify-plugin, so it reaches every route, the 404 handler and error replies). A route
 * overrides through `config: { securityHeaders: { ... } }` or opts out with `false`.
 */
export const securityHeaders = fp(plugin, { fastify: '5.x', name: 'bulwark-security-headers' });
