import type { BulwarkError } from '../errors.js';
import type { LoggerLike } from '../log/logger-kind.js';
import { isPromise } from '../util/maybe-promise.js';
import { sharedMarks } from '../util/shared-marks.js';
import type { MaybePromise } from '../util/maybe-promise.js';
import { compileClientIp } from './client-ip.js';
import type { ClientAddressInput, ProxyHeader } from './client-ip.js';
import { compileRateLimitHeaders } from './headers.js';
import type { RateLimitHeaderFormat } from './headers.js';
import { countIdentity, createRateLimiter } from './limiter.js';
import { checkUntrustedProxy } from './proxy-check.js';
import { clientAddressUnavailable, rateLimitError } from './rejection.js';
import { reportMisuse } from '../log/misuse.js';
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
  /**
   * Where wiring mistakes seen while serving are logged, once per process each (forwarding
   * headers from a proxy that is not in `trustedProxies`, an `onReject` that throws).
   * Default: the limiter's `logger` (itself `console` by default).
   */
  readonly logger?: LoggerLike;
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

// What was counted for one request, keyed by the request itself (Node's IncomingMessage): a
// limiter mounted twice (globally and again on a route, or one middleware used in two
// places) sees the request twice, and must count it once. Shared by every copy of bulwark in
// a process.
interface Counted {
  readonly id: object;
  readonly key: string;
  readonly outcome: RateLimitOutcome;
  readonly next: Counted | undefined;
}

const counted = sharedMarks<Counted>('bulwark.rateLimit.counted');

function isLimiter(value: RateLimiter | RateLimiterOptions): value is RateLimiter {
  return typeof (value as Partial<RateLimiter>).decide === 'function';
}

/** The logger a rate-limit middleware reports to: its own `logger`, else its limiter's, else `console`. */
export function rateLimitLogger(options: RateLimitMiddlewareOptions<never>): LoggerLike {
  if (options.logger !== undefined) return options.logger;
  const { limiter } = options;
  if (typeof limiter !== 'object') return console;
  return (isLimiter(limiter) ? limiter.logger : limiter.logger) ?? console;
}

const NO_ADDRESS =
  'rateLimit is keyed by client IP, but this runtime gave no client address, so the request was refused with 500; pass the address (bulwark/fetch: guard(request, { clientAddress }) or the clientAddress option; bulwark/hono: clientAddress: (c) => ...), or give rateLimit a key: (req) => string';

/**
 * Everything an adapter needs, decided here: the limiter, the key, the headers and the
 * rejection. `peer` reads the socket address and headers from the framework's request, or
 * returns undefined when the runtime gave no address at all (a Fetch `Request`): the default
 * key then refuses the request with 500 and logs `misuse.client_address` once;
 * `carrier`, when given, returns the one object that stands for the request however many
 * middlewares see it (Node's `IncomingMessage`), so a request is counted once per limiter
 * and key even when the same limit is mounted twice. Options are validated and compiled once.
 */
export function compileRateLimit<Req>(
  options: RateLimitMiddlewareOptions<Req>,
  peer: (request: Req) => ClientAddressInput | undefined,
  carrier?: (request: Req) => object,
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
  const logger = options.logger ?? limiter.logger;
  const noProxies = (options.trustedProxies ?? []).length === 0;
  // Without trusted proxies, a request from a private address carrying X-Forwarded-For is
  // the sign of a proxy nobody told bulwark about: checked until it has warned once.
  const ipOf = noProxies
    ? (request: Req): string | undefined => {
        const input = peer(request);
        if (input === undefined) return undefined;
        checkUntrustedProxy(input, logger);
        return clientIp(input);
      }
    : (request: Req): string | undefined => {
        const input = peer(request);
        return input === undefined ? undefined : clientIp(input);
      };
  const noAddress = (): RateLimitOutcome => {
    reportMisuse(logger, 'misuse.client_address', 'rateLimit', NO_ADDRESS);
    return { headers: {}, error: clientAddressUnavailable() };
  };

  const outcome = (d: RateLimitDecision): RateLimitOutcome => {
    const headers = headersFor(d);
    return { headers, error: d.allowed ? undefined : rateLimitError(d, headers) };
  };
  const id = countIdentity(limiter);
  const remember = (on: object, k: string, d: RateLimitDecision): RateLimitOutcome => {
    const o = outcome(d);
    counted.set(on, { id, key: k, outcome: o, next: counted.get(on) });
    return o;
  };
  const decideOnce = (request: Req, k: string): MaybePromise<RateLimitOutcome> => {
    if (carrier === undefined) {
      const d = limiter.decide(k);
      return isPromise(d) ? d.then(outcome) : outcome(d);
    }
    const on = carrier(request);
    const earlier = counted.get(on);
    // Counted already by this limit under this key: the same answer, nothing counted again.
    for (let c = earlier; c !== undefined; c = c.next) {
      if (c.id === id && c.key === k) return c.outcome;
    }
    const d = limiter.decide(k);
    // No closure on the synchronous path: a memory store's request allocates only its answer.
    return isPromise(d) ? d.then((late) => remember(on, k, late)) : remember(on, k, d);
  };

  // The common case (client IP, nothing skipped): no promise at all on a memory store.
  if (skip === undefined && key === undefined) {
    return (request) => {
      const ip = ipOf(request);
      return ip === undefined ? noAddress() : decideOnce(request, ip);
    };
  }
  const keyOf: (request: Req) => string | undefined | Promise<string> = key ?? ipOf;
  const decideFor = (request: Req): MaybePromise<RateLimitOutcome> => {
    const k = keyOf(request);
    if (k === undefined) return noAddress();
    return isPromise(k)
      ? k.then((resolved) => decideOnce(request, resolved))
      : decideOnce(request, k);
  };
  if (skip === undefined) return decideFor;
  return (request) => {
    const skipped = skip(request);
    if (!isPromise(skipped)) return skipped ? undefined : decideFor(request);
    return skipped.then((yes) => (yes ? undefined : decideFor(request)));
  };
}
