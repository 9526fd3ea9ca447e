import type { Middleware } from 'koa';
import { checkProtectOptions } from '../shared/protect-options.js';
import { corsStep } from './cors.js';
import type { KoaCorsOptions } from './cors.js';
import { rateLimit } from './rate-limit.js';
import type { KoaRateLimitOptions } from './rate-limit.js';
import { headersStep } from './security-headers.js';
import type { KoaSecurityHeadersOptions } from './security-headers.js';

/** Options for the Koa `protect` middleware: each part takes its own middleware's options. */
export interface KoaProtectOptions {
  /** Options for the security headers, or `false` for none. Default: `{}` (the default preset). */
  readonly securityHeaders?: KoaSecurityHeadersOptions | false;
  /** Options for CORS, or `false` (or leaving it out) for none. Default: none. */
  readonly cors?: KoaCorsOptions | false;
  /** Options for the rate limit, or `false` (or leaving it out) for none. Default: none. */
  readonly rateLimit?: KoaRateLimitOptions | false;
}

const proceed: Middleware = (_ctx, next) => next();

/**
 * Security headers, CORS and a rate limit as one middleware, applied in the order they are
 * meant to be mounted: headers first (so every answer, errors included, carries them), then
 * CORS (a preflight is answered before it is counted), then the rate limit. It behaves
 * exactly as `securityHeaders()`, `cors()` and `rateLimit()` mounted in that order, for one
 * step of Koa's middleware chain instead of three. Mount it first.
 */
export function protect(options: KoaProtectOptions = {}): Middleware {
  checkProtectOptions(options);
  const { securityHeaders = {}, cors = false, rateLimit: limit = false } = options;
  const headers = securityHeaders === false ? undefined : headersStep(securityHeaders);
  const preflight = cors === false ? undefined : corsStep(cors);
  const counted: Middleware = limit === false ? proceed : rateLimit(limit);
  // Not an async function: on a memory store the request goes on without a promise of its own.
  return (ctx, next) => {
    if (headers !== undefined) headers(ctx);
    if (preflight === undefined) return counted(ctx, next) as Promise<void>;
    const answered = preflight(ctx);
    if (answered === false) return counted(ctx, next) as Promise<void>;
    if (answered === true) return Promise.resolve();
    return answered.then((a) => (a ? undefined : (counted(ctx, next) as Promise<void>)));
  };
}
