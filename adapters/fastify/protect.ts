import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import { checkProtectOptions } from '../shared/protect-options.js';
import { corsSetup } from './cors.js';
import type { FastifyCorsOptions } from './cors.js';
import { rateLimitSetup } from './rate-limit.js';
import type { FastifyRateLimitOptions, RateLimitHook } from './rate-limit.js';
import { checkedPlugin } from './route-settings.js';
import { headersSetup } from './security-headers.js';
import type { FastifySecurityHeadersOptions } from './security-headers.js';

/** Options for the Fastify `protect` plugin: each part takes its own plugin's options. */
export interface FastifyProtectOptions {
  /** Options for the security headers, or `false` for none. Default: `{}` (the default preset). */
  readonly securityHeaders?: FastifySecurityHeadersOptions | false;
  /** Options for CORS, or `false` (or leaving it out) for none. Default: none. */
  readonly cors?: FastifyCorsOptions | false;
  /** Options for the rate limit, or `false` (or leaving it out) for none. Default: none. */
  readonly rateLimit?: FastifyRateLimitOptions | false;
}

const proceed: RateLimitHook = (_request, _reply, next) => {
  next();
};

const plugin: FastifyPluginCallback<FastifyProtectOptions> = (fastify, options, done) => {
  checkProtectOptions(options);
  const { securityHeaders = {}, cors = false, rateLimit = false } = options;
  // Each part is set up exactly as its own plugin sets itself up (route config, scope
  // lookups that the other plugins read, preflight routes); only the hooks are merged.
  const headers = securityHeaders === false ? undefined : headersSetup(fastify, securityHeaders);
  const preflight = cors === false ? undefined : corsSetup(fastify, cors);
  const limit: RateLimitHook = rateLimit === false ? proceed : rateLimitSetup(fastify, rateLimit);
  fastify.addHook('onRequest', (request, reply, next) => {
    // Read once for the three parts: each read of routeOptions builds a new frozen object.
    const config = request.routeOptions.config;
    if (headers !== undefined) headers(request, reply, config);
    if (preflight === undefined) {
      limit(request, reply, next, config);
      return;
    }
    const answered = preflight(request, reply, config);
    if (answered === false) limit(request, reply, next, config);
    else if (answered !== true) {
      answered.then(
        (a) => {
          if (!a) limit(request, reply, next, config);
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
 * Security headers, CORS and a rate limit as one Fastify plugin with one `onRequest` hook,
 * applied in the order the separate plugins are meant to be registered: headers first, then
 * CORS (a preflight is answered before it is counted), then the rate limit. Routes set
 * `config.securityHeaders`, `config.cors` and `config.rateLimit` as with the separate
 * plugins, and the scope, route and ordering rules are theirs.
 */
export const protect = fp(checkedPlugin(plugin), { fastify: '5.x', name: 'bulwark-protect' });
