import type { BulwarkError } from '../errors.js';
import { isPromise } from '../util/maybe-promise.js';
import type { MaybePromise } from '../util/maybe-promise.js';
import { compileClientIp } from './client-ip.js';
import type { ClientAddressInput, ProxyHeader } from './client-ip.js';
import { compileRateLimitHeaders } from './headers.js';
import type { RateLimitHeaderFormat } from './headers.js';
import { createRateLimiter } from './limiter.js';
import { rateLimitError } from './rejection.js';
import type { RateLimitDecision, RateLimiter, RateLimiterOptions } from './types.js';

/** The options every framework's `rateLimit()` shares; `Req` is the framework's request. */
export interface RateLimitMiddlewareOptions<Req> {
  /** A limiter, or the options to create one (a limiter per middleware). Required. */
  readonly limiter: RateLimiter | RateLimiterOptions;
  /**
   * The key a request is counted under, such as a token prefix or an organization id.
   * Default: the client IP from `resolveClientIp` with `trustedProxies`, `ipv6Subnet`
   * and `proxyHeader`.
   */
  readonly key?: (request: Req) => string | Promise<string>;
  /** Requests for which this returns true are not counted (health checks, allow-lists). Default: none skipped. */
  readonly skip?: (request: Req) => boolean | Promise<boolean>;
  /** The standard rate-limit fields to send, or `false` for none. Default: `'ietf'`. */
  readonly headers?: RateLimitHeaderFormat | false;
  /** Also send `X-RateLimit-*`. Default: `false`. */
  readonly legacyHeaders?: boolean;
  /** For the default key: proxies whose forwarding headers are believed. Default: none. */
  readonly trustedProxies?: readonly string[];
  /** For the default key: the IPv6 prefix length clients are grouped by. Default: `64`. */
  readonly ipv6Subnet?: number;
  /** For the default key: the forwarding header your proxy writes. Default: `'auto'`. */
  readonly proxyHeader?: ProxyHeader;
}

/** What a counted request gets: headers to set, and the rejection when it was refused. */
export interface RateLimitOutcome {
  /** The RateLimit fields (and Retry-After on a rejection) to send. */
  readonly headers: Readonly<Record<string, string>>;
  /** The 429 (or 503) to answer with; undefined when the request may proceed. */
  readonly error: BulwarkError | undefined;
}

/**
 * The compiled check an adapter runs per request; undefined when the request was skipped.
 * The outcome is returned synchronously when the limiter's store answers synchronously
 * (MemoryStore) and the `key` and `skip` functions do, and as a promise otherwise: adapters
 * branch with {@link isPromise}, so a memory-backed limit adds no microtask to a request.
 */
export type RateLimitCheck<Req> = (request: Req) => MaybePromise<RateLimitOutcome | undefined>;

function isLimiter(value: RateLimiter | RateLimiterOptions): value is RateLimiter {
  return typeof (value as Partial<RateLimiter>).decide === 'function';
}

/**
 * Everything an adapter needs, decided here: the limiter, the key, the headers and the
 * rejection. `peer` reads the socket address and headers from the framework's request.
 * Options are validated and compiled once.
 */
export function compileRateLimit<Req>(
  options: RateLimitMiddlewareOptions<Req>,
  peer: (request: Req) => ClientAddressInput,
): RateLimitCheck<Req> {
  if (typeof options !== 'object' || typeof options.limiter !== 'object') {
    throw new TypeError(
      'bulwark: rateLimit: the limiter is missing; write rateLimit({ limiter: { limit: 20, windowMs: 60_000 } }).',
    );
  }
  const limiter = isLimiter(options.limiter) ? options.limiter : createRateLimiter(options.limiter);
  const headersFor = compileRateLimitHeaders({
    name: limiter.name,
    windowMs: limiter.windowMs,
    format: options.headers ?? 'ietf',
    legacy: options.legacyHeaders ?? false,
  });
  const { key, skip } = options;
  if (key !== undefined && typeof key !== 'function') {
    throw new TypeError('bulwark: rateLimit key: not a function; write key: (req) => string.');
  }
  if (skip !== undefined && typeof skip !== 'function') {
    throw new TypeError('bulwark: rateLimit skip: not a function; write skip: (req) => boolean.');
  }
  const clientIp = compileClientIp({
    ...(options.trustedProxies === undefined ? {} : { trustedProxies: options.trustedProxies }),
    ...(options.ipv6Subnet === undefined ? {} : { ipv6Subnet: options.ipv6Subnet }),
    ...(options.proxyHeader === undefined ? {} : { proxyHeader: options.proxyHeader }),
  });
  const ipOf = (request: Req) => clientIp(peer(request));

  const outcome = (d: RateLimitDecision): RateLimitOutcome => {
    const headers = headersFor(d);
    return { headers, error: d.allowed ? undefined : rateLimitError(d, headers) };
  };
  const decide = (k: string): MaybePromise<RateLimitOutcome> => {
    const d = limiter.decide(k);
    return isPromise(d) ? d.then(outcome) : outcome(d);
  };

  // The common case (client IP, nothing skipped): no promise at all on a memory store.
  if (skip === undefined && key === undefined) return (request) => decide(ipOf(request));
  const keyOf = key ?? ipOf;
  const decideFor = (request: Req): MaybePromise<RateLimitOutcome> => {
    const k = keyOf(request);
    return isPromise(k) ? k.then(decide) : decide(k);
  };
  if (skip === undefined) return decideFor;
  return (request) => {
    const skipped = skip(request);
    if (!isPromise(skipped)) return skipped ? undefined : decideFor(request);
    return skipped.then((yes) => (yes ? undefined : decideFor(request)));
  };
}
