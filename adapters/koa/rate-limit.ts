import type { Context, Middleware, Next } from 'koa';
import { compileRateLimit, isPromise, rateLimitLogger, rateLimitSlot } from 'bulwark';
import type { ClientAddressInput, RateLimitMiddlewareOptions, RateLimitOutcome } from 'bulwark';
import { setNodeHeaders } from '../shared/node-headers.js';
import { settleWhenClosed } from '../shared/node-settle.js';
import { rejectKoa } from './reject.js';
import { declareSlot } from './slots.js';
import type { KoaRejectOptions } from './reject.js';

/**
 * Options for the Koa `rateLimit` middleware: the shared options plus `onReject`.
 * `requestWasSuccessful` receives the context twice, `(ctx, ctx)`: Koa's one object for both.
 */
export interface KoaRateLimitOptions
  extends RateLimitMiddlewareOptions<Context, Context>, KoaRejectOptions {}

const peer = (ctx: Context): ClientAddressInput => ({
  remoteAddress: ctx.req.socket.remoteAddress,
  headers: ctx.req.headers,
});
// Koa's context: built per request, and shared by every middleware (a mounted sub-app's
// too), so a limit mounted twice counts the request once. Its slot is declared on
// app.context, so noting the count is a property write.
const carrier = (ctx: Context): object => {
  declareSlot(ctx, rateLimitSlot);
  return ctx;
};

/**
 * Rate limiting for Koa: counts each request under its key (the client IP by default) and
 * answers 429 `{"detail":"Too Many Requests"}` with `Retry-After` and the RateLimit headers
 * once the limit is reached. Mount it after `securityHeaders` so the 429 carries them.
 */
export function rateLimit(options: KoaRateLimitOptions): Middleware {
  const check = compileRateLimit(options, peer, carrier);
  const { onReject } = options;
  const logger = rateLimitLogger(options);
  const apply = (
    outcome: RateLimitOutcome | undefined,
    ctx: Context,
    next: Next,
  ): Promise<void> => {
    if (outcome === undefined) return next();
    if (outcome.error !== undefined) return rejectKoa(outcome.error, ctx, onReject, logger);
    setNodeHeaders(ctx.res, outcome.headers);
    if (outcome.settle !== undefined) settleWhenClosed(ctx.res, outcome.settle, ctx, ctx);
    return next();
  };
  // Not an async function: a memory-backed decision is ready now, and the request goes on
  // without an extra promise and microtask. A throw here is turned into a rejection by Koa.
  return (ctx, next) => {
    const result = check(ctx);
    if (!isPromise(result)) return apply(result, ctx, next);
    return result.then((outcome) => apply(outcome, ctx, next));
  };
}
