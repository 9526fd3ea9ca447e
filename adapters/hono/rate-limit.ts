import type { Context, MiddlewareHandler } from 'hono';
import { compileRateLimit, isPromise, rateLimitLogger } from 'bulwark';
import type { RateLimitMiddlewareOptions } from 'bulwark';
import { peerReader } from './client-address.js';
import type { HonoClientAddress } from './client-address.js';
import { fillHeaders } from '../shared/web.js';
import { editAnswer, nodeOutgoing } from './context.js';
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
// so a limit mounted app-wide and again on a route counts a request once.
const carrier = (c: Context): object => c.req.raw;

/**
 * Rate limiting for Hono: counts each request under its key (the client IP by default) and
 * answers 429 `{"detail":"Too Many Requests"}` with `Retry-After` and the RateLimit headers
 * once the limit is reached. Mount it after `securityHeaders` and `cors`, so the 429 carries
 * their headers and preflights are not counted.
 */
export function rateLimit(options: HonoRateLimitOptions): MiddlewareHandler {
  const check = compileRateLimit(options, peerReader(options.clientAddress), carrier);
  const { onReject } = options;
  const logger = rateLimitLogger(options);
  return async (c, next) => {
    const result = check(c);
    const outcome = isPromise(result) ? await result : result;
    if (outcome === undefined) {
      await next();
      return undefined;
    }
    if (outcome.error !== undefined) return rejectHono(outcome.error, c, onReject, logger);
    const { settle } = outcome;
    // On Node the response's end is known (finished, or the client hung up: failed);
    // elsewhere the answer the app returns is the end the rate limit can see.
    const outgoing = settle === undefined ? undefined : nodeOutgoing(c);
    if (settle !== undefined && outgoing !== undefined) {
      outgoing.once('close', () => {
        settle(c, c.res, outgoing.writableFinished ? c.res.status : undefined);
      });
    }
    await next();
    if (settle !== undefined && outgoing === undefined) settle(c, c.res, c.res.status);
    // On the answer, whichever way it was built (the context's helpers, a handler's own
    // `new Response(...)`, onError's), where it lacks them: the nearest limit fills first, so
    // its fields win, and a RateLimit header the app set stays.
    editAnswer(c, undefined, (headers) => {
      fillHeaders(headers, outcome.headers);
    });
    return undefined;
  };
}
