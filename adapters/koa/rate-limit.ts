import type { Context, Middleware } from 'koa';
import { compileRateLimit } from 'bulwark';
import type { ClientAddressInput, RateLimitMiddlewareOptions } from 'bulwark';
import { rejectKoa } from './reject.js';
import type { KoaRejectOptions } from './reject.js';

/** Options for the Koa `rateLimit` middleware: the shared options plus `onReject`. */
export interface KoaRateLimitOptions
  extends RateLimitMiddlewareOptions<Context>, KoaRejectOptions {}

const peer = (ctx: Context): ClientAddressInput => ({
  remoteAddress: ctx.req.socket.remoteAddress,
  headers: ctx.req.headers,
});

/**
 * Rate limiting for Koa: counts each request under its key (the client IP by default) and
 * answers 429 `{"detail":"Too Many Requests"}` with `Retry-After` and the RateLimit headers
 * once the limit is reached. Mount it after `securityHeaders` so the 429 carries them.
 */
export function rateLimit(options: KoaRateLimitOptions): Middleware {
  const check = compileRateLimit(options, peer);
  const { onReject } = options;
  return async (ctx, next) => {
    const outcome = await check(ctx);
    if (outcome === undefined) {
      await next();
      return;
    }
    if (outcome.error !== undefined) {
      await rejectKoa(outcome.error, ctx, onReject);
      return;
    }
    const h = outcome.headers;
    for (const name in h) {
      const value = h[name];
      if (value !== undefined) ctx.res.setHeader(name, value);
    }
    await next();
  };
}
