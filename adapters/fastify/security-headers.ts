import type { FastifyPluginCallback, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { applySecurityHeaders, compileSecurityHeaders } from 'bulwark';
import type { HeaderAccess, SecurityHeadersOptions } from 'bulwark';
import { routeSettings } from './route-settings.js';

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

const plugin: FastifyPluginCallback<FastifySecurityHeadersOptions> = (fastify, options, done) => {
  const { global = true, ...headerOptions } = options;
  const defaults = compileSecurityHeaders(headerOptions);
  const settingsFor = routeSettings(fastify, {
    read: (config) => config?.securityHeaders,
    global,
    defaults,
    compile: compileSecurityHeaders,
  });
  // onSend runs for every reply, including 404s, errors, CORS preflights and other
  // plugins' early answers, which is exactly where the headers must land.
  fastify.addHook('onSend', (request, reply, payload, next) => {
    const compiled = settingsFor(request);
    if (compiled !== undefined) applySecurityHeaders(reply, replyHeaders, compiled);
    next(null, payload);
  });
  done();
};

/**
 * Security response headers as a Fastify plugin, global by default (registered with
 * fastify-plugin, so it reaches every route, the 404 handler and error replies). A route
 * overrides through `config: { securityHeaders: { ... } }` or opts out with `false`.
 */
export const securityHeaders = fp(plugin, { fastify: '5.x', name: 'bulwark-security-headers' });
