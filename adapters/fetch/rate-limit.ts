import { compileRateLimit, isPromise, rateLimitLogger } from 'bulwark';
import type {
  ClientAddressInput,
  MaybePromise,
  RateLimitMiddlewareOptions,
  RateLimitOutcome,
} from 'bulwark';
import { guardOf } from './guard.js';
import type { FetchGuard, Pass, Step } from './guard.js';
import { rejectFetch } from './reject.js';
import type { FetchRejectOptions } from './reject.js';

/** Options for the Fetch `rateLimit` guard: the shared options, `onReject` and where the client address comes from. */
export interface FetchRateLimitOptions
  extends RateLimitMiddlewareOptions<Request, Response>, FetchRejectOptions {
  /**
   * The client's address for a request, for the default key (the client IP), when the
   * runtime exposes it through the request rather than beside it. Its answer is used when
   * it is a string; otherwise the guard's `info.clientAddress`. With neither (and no `key`)
   * a request is refused with 500 and `misuse.client_address` is logged once: a Fetch
   * `Request` carries no peer address, and one bucket shared by every client would let one
   * client lock everybody out. Default: none (`info.clientAddress` is read).
   */
  readonly clientAddress?: ((request: Request) => string | undefined) | undefined;
}

/**
 * Rate limiting over Fetch: counts each request under its key (the client IP by default)
 * and answers 429 `{"detail":"Too Many Requests"}` with `Retry-After` and the RateLimit
 * headers once the limit is reached; an admitted request's `finish` adds the RateLimit
 * fields to the handler's response. A memory-backed limit decides synchronously.
 */
export function rateLimit(options: FetchRateLimitOptions): FetchGuard {
  return guardOf([rateLimitStep(options)]);
}

/** The per-request work of {@link rateLimit}, compiled once; `protect` runs it too. */
export function rateLimitStep(options: FetchRateLimitOptions): Step {
  const addressOf = options.clientAddress;
  if (addressOf !== undefined && typeof addressOf !== 'function') {
    throw new TypeError(
      'bulwark: rateLimit clientAddress: not a function; write clientAddress: (request) => address, or pass the address per request: guard(request, { clientAddress }).',
    );
  }
  // The address travels beside the Request (which has no place for it) to the core's peer
  // reader; the Request is also what a request is counted once by.
  const passes = new WeakMap<Request, Pass>();
  const peer = (request: Request): ClientAddressInput | undefined => {
    const pass = passes.get(request);
    const remoteAddress = pass?.clientAddress;
    if (pass === undefined || remoteAddress === undefined) return undefined;
    return { remoteAddress, headers: pass.requestHeaders() };
  };
  const carrier = (request: Request): object => request;
  const check = compileRateLimit<Request, Response>(options, peer, carrier);
  const { onReject } = options;
  const logger = rateLimitLogger(options);
  const settle = (
    outcome: RateLimitOutcome | undefined,
    pass: Pass,
  ): MaybePromise<Response | undefined> => {
    if (outcome === undefined) return undefined;
    if (outcome.error !== undefined)
      return rejectFetch(outcome.error, pass.request, onReject, logger);
    pass.limit = outcome.headers;
    pass.settle = outcome.settle;
    return undefined;
  };
  return (pass) => {
    const { request } = pass;
    const own = addressOf === undefined ? undefined : addressOf(request);
    const address = typeof own === 'string' && own !== '' ? own : pass.info?.clientAddress;
    if (typeof address === 'string' && address !== '') pass.clientAddress = address;
    passes.set(request, pass);
    const result = check(request);
    return isPromise(result) ? result.then((o) => settle(o, pass)) : settle(result, pass);
  };
}
