import type { Context, MiddlewareHandler } from 'hono';
import { compileRateLimit, isPromise, rateLimitLogger, rateLimitSlot } from 'bulwark';
import type {
  BulwarkError,
  RateLimitCheck,
  RateLimitMiddlewareOptions,
  RateLimitOutcome,
} from 'bulwark';
import { peerReader } from './client-address.js';
import type { HonoClientAddress } from './client-address.js';
import { fillHeaders } from '../shared/web.js';
import { declareRequestSlot, editAnswer, nodeOutgoing } from './context.js';
import { rejectHono } from './reject.js';
import type { HonoRejectOptions } from './reject.js';

/** Options for the Hono `rateLimit` middleware: the shared options, `clientAddress` and `onReject`. */
export interface HonoRateLimitOptions
  extends RateLimitMiddlewareOptions<Context, Response>, HonoRejectOptions {
  /**
   * The client's address, for runtimes whose `Request` does not carry it: Bun and Deno
   * (`(c) => getConnInfo(c).remote.address`, `getConnInfo` from `hono/bun` or `hono/deno`),
   * Cloudflare Workers (`(c) => c.req.header('cf-connecting-ip')`, set by Cloudflare's edge,
   * so only there). It is the peer `trustedProxies` is checked against. Not needed with a
   * `key`, which replaces the address. Default: the socket peer on @hono/node-server
   * (`c.env.incoming`); elsewhere none, and a request is then refused with 500 and the
   * wiring logged once (`misuse.client_address`), never counted in one bucket for all.
   */
  readonly clientAddress?: HonoClientAddress;
}

// The Fetch request: one object per request, whichever middleware (or sub-app's) sees it,
// so a limit mounted app-wide and again on a route counts a request once. Its slot is
// declared on its prototype when that is a server's own (see declareRequestSlot).
const carrier = (c: Context): object => {
  const raw = c.req.raw;
  if (!(rateLimitSlot in raw)) declareRequestSlot(raw, rateLimitSlot);
  return raw;
};

/** A compiled Hono rate limit: `protect` runs its halves inside its own middleware. */
export interface HonoLimit {
  /** The core's check: the outcome to apply, or undefined when the request is not counted. */
  readonly check: RateLimitCheck<Context>;
  /** The answer to a refused request (the default 429 JSON, or the app's `onReject`). */
  readonly refuse: (c: Context, error: BulwarkError) => Promise<Response>;
}

/** Compiles the options once: the check, and how a refusal is answered. */
export function compileHonoLimit(options: HonoRateLimitOptions): HonoLimit {
  const check = compileRateLimit(options, peerReader(options.clientAddress), carrier);
  const { onReject } = options;
  const logger = rateLimitLogger(options);
  return { check, refuse: (c, error) => rejectHono(error, c, onReject, logger) };
}

/**
 * Before `next()`, for an admitted request whose count may be taken back: on Node the
 * response's end is known (finished, or the client hung up: failed), so the count is settled
 * when Node's response closes.
 */
export function watchLimit(c: Context, outcome: RateLimitOutcome): void {
  const { settle } = outcome;
  if (settle === undefined) return;
  const outgoing = nodeOutgoing(c);
  if (outgoing === undefined) return;
  outgoing.once('close', () => {
    settle(c, c.res, outgoing.writableFinished ? c.res.status : undefined);
  });
}

/**
 * After `next()`: elsewhere than Node the answer the app returned is the end the rate limit
 * can see, so the count is settled on it. Then the RateLimit fields go onto the answer,
 * whichever way it was built (the context's helpers, a handler's own `new Response(...)`,
 * onError's), where it lacks them: the nearest limit fills first, so its fields win, and a
 * RateLimit header the app set stays.
 */
export function finishLimit(c: Context, outcome: RateLimitOutcome): void {
  settleLimit(c, outcome);
  editAnswer(c, undefined, fillHeaders, outcome.headers);
}

/** The settling half of {@link finishLimit}: `protect` writes the fields with its headers. */
export function settleLimit(c: Context, outcome: RateLimitOutcome): void {
  const { settle } = outcome;
  if (settle !== undefined && nodeOutgoing(c) === undefined) settle(c, c.res, c.res.status);
}

/**
 * Rate limiting for Hono: counts each request under its key (the client IP by default) and
 * answers 429 `{"detail":"Too Many Requests"}` with `Retry-After` and the RateLimit headers
 * once the limit is reached. Mount it after `securityHeaders` and `cors`, so the 429 carries
 * their headers and preflights are not counted.
 */
export function rateLimit(options: HonoRateLimitOptions): MiddlewareHandler {
  const { check, refuse } = compileHonoLimit(options);
  return async (c, next) => {
    const result = check(c);
    const outcome = isPromise(result) ? await result : result;
    if (outcome === undefined) {
      await next();
      return undefined;
    }
    if (outcome.error !== undefined) return refuse(c, outcome.error);
    watchLimit(c, outcome);
    await next();
    finishLimit(c, outcome);
    return undefined;
  };
}
