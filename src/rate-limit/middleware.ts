import type { BulwarkError } from '../errors.js';
import type { LoggerLike } from '../log/logger-kind.js';
import { isPromise } from '../util/maybe-promise.js';
import { markSlot, sharedMarks } from '../util/shared-marks.js';
import type { MaybePromise } from '../util/maybe-promise.js';
import type { CombinedDecision } from './combined.js';
import {
  addressKey,
  checkIpv6Subnet,
  compileClientAddress,
  compileClientIp,
  UNKNOWN_CLIENT,
} from './client-ip.js';
import type { ClientAddressInput, ProxyHeader } from './client-ip.js';
import { compileCombinedLimit } from './combined.js';
import { compileCombinedRateLimitHeaders, compileRateLimitHeaders } from './headers.js';
import type { RateLimitHeaderFormat } from './headers.js';
import { compileIpList } from './ip-list.js';
import { countIdentity, createRateLimiter, limiterParts } from './limiter.js';
import { checkUntrustedProxy } from './proxy-check.js';
import { clientAddressUnavailable, clientDenied, rateLimitError } from './rejection.js';
import { reportMisuse } from '../log/misuse.js';
import type { RateLimitDecision, RateLimiter, RateLimiterOptions } from './types.js';

/**
 * A rate limit's key function: the request, and (read only when the function declares it)
 * the client IP the default key would be.
 */
export type RateLimitKey<Req> = (request: Req, clientIp: string) => string | Promise<string>;

/**
 * One limit of several on a request: a limiter (or its options), optionally under its own
 * key. `{ limiter, ipv6Subnet: 48 }` keys the limit by the client IP grouped by /48 (a whole
 * site) beside the default /64; `{ limiter, key: (req) => req.body.username }` by user.
 */
export interface RateLimitEntry<Req> {
  /** The limiter, or the options to create one. Required. */
  readonly limiter: RateLimiter | RateLimiterOptions;
  /**
   * This limit's key. A function that declares a second parameter receives the client IP
   * as this limit would key it (trusted proxies applied, IPv6 grouped by its `ipv6Subnet`),
   * for keys such as `(req, ip) => \`${req.body.username}:${ip}\``. Default: the
   * middleware's `key`, else the client IP.
   */
  readonly key?: RateLimitKey<Req>;
  /** For an IP key: the IPv6 prefix length this limit groups clients by. Default: the middleware's `ipv6Subnet`. */
  readonly ipv6Subnet?: number;
  /**
   * Forget this limit's key when a response is successful (see `requestWasSuccessful`):
   * consecutive failures, the login recipe's "5 wrong passwords in a row for this user from
   * this IP", wiped by a correct one. Default: `false`.
   */
  readonly resetOnSuccess?: boolean;
}

/** The options every framework's `rateLimit()` shares; `Req` is the framework's request. */
export interface RateLimitMiddlewareOptions<Req, Res = unknown> {
  /**
   * A limiter, or the options to create one (a limiter per middleware), or a list of them
   * (limiters, options, or {@link RateLimitEntry} with a key of its own): the request is
   * admitted only when every limit admits it, and no admitting limit counts it when another
   * refuses. Required.
   */
  readonly limiter:
    | RateLimiter
    | RateLimiterOptions
    | readonly (RateLimiter | RateLimiterOptions | RateLimitEntry<Req>)[];
  /**
   * The key a request is counted under, such as a token prefix or an organization id.
   * A function that declares a second parameter receives the client IP as the default key
   * would be (trusted proxies applied, IPv6 grouped). Default: the client IP from
   * `resolveClientIp` with `trustedProxies`, `ipv6Subnet` and `proxyHeader`.
   */
  readonly key?: RateLimitKey<Req>;
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
  /**
   * Take back the count of a request whose response turned out successful, so only failures
   * count (failed logins: a user who signs in correctly is never locked out). The decision is
   * still made before the handler runs. Default: `false`.
   */
  readonly skipSuccessfulRequests?: boolean;
  /**
   * Take back the count of a request whose response failed (status 400 or more, or a
   * connection closed before the response finished). Default: `false`.
   */
  readonly skipFailedRequests?: boolean;
  /**
   * Whether a finished response counts as successful, for the two options above. A throw
   * keeps the count and is logged once. Default: status below 400.
   */
  readonly requestWasSuccessful?: (request: Req, response: Res) => boolean;
  /**
   * Client addresses (IPs and CIDRs, IPv4 and IPv6) never limited or counted, matched on
   * the address resolved with `trustedProxies`. Default: none.
   */
  readonly allowList?: readonly string[];
  /**
   * Client addresses refused at once with 403 `{"detail":"Forbidden"}`, before anything is
   * counted, matched like `allowList` (which it overrides). Default: none.
   */
  readonly denyList?: readonly string[];
}

/**
 * Called by the adapter once the response of an admitted request is finished (`status`) or
 * its connection closed first (`undefined`): takes the count back when
 * `skipSuccessfulRequests` or `skipFailedRequests` says so. Runs at most once per request,
 * however many times it is called.
 */
export type RateLimitSettle = (
  request: unknown,
  response: unknown,
  status: number | undefined,
) => void;

/** What a counted request gets: headers to set, and the rejection when it was refused. */
export interface RateLimitOutcome {
  /** The RateLimit fields (and Retry-After on a rejection) to send. */
  readonly headers: Readonly<Record<string, string>>;
  /** The 429 (or 503, or 403 for `denyList`) to answer with; undefined when the request may proceed. */
  readonly error: BulwarkError | undefined;
  /**
   * Set when the count may be taken back after the response (`skipSuccessfulRequests`,
   * `skipFailedRequests`): the adapter calls it when the response finishes or is aborted.
   */
  readonly settle: RateLimitSettle | undefined;
}

/**
 * The compiled check an adapter runs per request; undefined when the request was skipped.
 * The outcome is returned synchronously when the limiter's store answers synchronously
 * (MemoryStore) and the `key` and `skip` functions do, and as a promise otherwise: adapters
 * branch with {@link isPromise}, so a memory-backed limit adds no microtask to a request.
 */
export type RateLimitCheck<Req> = (request: Req) => MaybePromise<RateLimitOutcome | undefined>;

// What was counted for one request, keyed by the object that stands for it (the adapter's
// carrier): a limiter mounted twice (globally and again on a route, or one middleware used
// in two places) sees the request twice, and must count it once. Shared by every copy of
// bulwark in a process.
interface Counted {
  readonly id: object;
  readonly key: string;
  readonly outcome: RateLimitOutcome;
  readonly next: Counted | undefined;
}

const COUNTED = 'bulwark.rateLimit.counted';
const counted = sharedMarks<Counted>(COUNTED);

/**
 * For adapters: the property a framework may declare on its request objects when it builds
 * them, with `null` as its value (Fastify: `decorateRequest(rateLimitSlot, null)`), when its
 * carrier is that object. On such a request the rate limit notes what it counted in that
 * property instead of a process-wide WeakMap entry, which the garbage collector would trace
 * on every young-generation collection while the request lives.
 */
export const rateLimitSlot: symbol = markSlot(COUNTED);

type LimiterSpec<Req> = RateLimiter | RateLimiterOptions | RateLimitEntry<Req>;

function isLimiter(value: unknown): value is RateLimiter {
  return typeof (value as Partial<RateLimiter> | null)?.decide === 'function';
}

function isEntry<Req>(value: LimiterSpec<Req>): value is RateLimitEntry<Req> {
  return typeof value === 'object' && 'limiter' in value;
}

/** The logger a rate-limit middleware reports to: its own `logger`, else its limiter's, else `console`. */
export function rateLimitLogger(options: RateLimitMiddlewareOptions<never, never>): LoggerLike {
  if (options.logger !== undefined) return options.logger;
  let first: unknown = options.limiter;
  if (Array.isArray(first)) first = first[0];
  if (typeof first === 'object' && first !== null && 'limiter' in first) {
    first = first.limiter;
  }
  if (typeof first !== 'object' || first === null) return console;
  return (first as { logger?: LoggerLike }).logger ?? console;
}

/** One limit of the middleware, compiled. */
interface Limit<Req> {
  readonly limiter: RateLimiter;
  readonly key: RateLimitKey<Req> | undefined;
  readonly subnet: number | undefined;
  readonly resetOnSuccess: boolean;
}

const MISSING_LIMITER =
  'bulwark: rateLimit: the limiter is missing; write rateLimit({ limiter: { limit: 20, windowMs: 60_000 } }).';

function compileLimits<Req>(spec: RateLimitMiddlewareOptions<Req>['limiter']): Limit<Req>[] {
  const list: readonly LimiterSpec<Req>[] = Array.isArray(spec)
    ? (spec as readonly LimiterSpec<Req>[])
    : [spec as LimiterSpec<Req>];
  if (list.length === 0) {
    throw new TypeError(
      'bulwark: rateLimit limiter: the list is empty; write limiter: [{ limit: 10, windowMs: 1_000 }, { limit: 100, windowMs: 60_000 }].',
    );
  }
  const seen = new Set<RateLimiter>();
  return list.map((item, i) => {
    if (typeof item !== 'object' || (item as unknown) === null)
      throw new TypeError(MISSING_LIMITER);
    const entry = isEntry(item) ? item : { limiter: item };
    if (typeof entry.limiter !== 'object' || (entry.limiter as unknown) === null) {
      throw new TypeError(MISSING_LIMITER);
    }
    const limiter = isLimiter(entry.limiter) ? entry.limiter : createRateLimiter(entry.limiter);
    if (seen.has(limiter)) {
      throw new TypeError(
        `bulwark: rateLimit limiter[${i}]: the same limiter twice would count one request twice; list each limiter once, or give the second its own options.`,
      );
    }
    seen.add(limiter);
    if (entry.key !== undefined && typeof entry.key !== 'function') {
      throw new TypeError(
        `bulwark: rateLimit limiter[${i}] key: not a function; write key: (req) => string.`,
      );
    }
    const subnet =
      entry.ipv6Subnet === undefined
        ? undefined
        : checkIpv6Subnet(entry.ipv6Subnet, `rateLimit limiter[${i}] ipv6Subnet`);
    const resetOnSuccess = entry.resetOnSuccess ?? false;
    if (typeof resetOnSuccess !== 'boolean') {
      throw new TypeError(
        `bulwark: rateLimit limiter[${i}] resetOnSuccess: not a boolean; write true or false.`,
      );
    }
    return { limiter, key: entry.key, subnet, resetOnSuccess };
  });
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
export function compileRateLimit<Req, Res = unknown>(
  options: RateLimitMiddlewareOptions<Req, Res>,
  peer: (request: Req) => ClientAddressInput | undefined,
  carrier?: (request: Req) => object,
): RateLimitCheck<Req> {
  if (typeof options !== 'object' || typeof options.limiter !== 'object') {
    throw new TypeError(MISSING_LIMITER);
  }
  const limits = compileLimits(options.limiter);
  const head = limits[0];
  if (head === undefined) throw new TypeError(MISSING_LIMITER);
  const { key, skip } = options;
  if (key !== undefined && typeof key !== 'function') {
    throw new TypeError('bulwark: rateLimit key: not a function; write key: (req) => string.');
  }
  if (skip !== undefined && typeof skip !== 'function') {
    throw new TypeError('bulwark: rateLimit skip: not a function; write skip: (req) => boolean.');
  }
  const settleFor = compileSettle(options, limits, head);
  const deny = compileIpList('denyList', options.denyList);
  const allow = compileIpList('allowList', options.allowList);
  const clientIp = compileClientIp({
    ...(options.trustedProxies === undefined ? {} : { trustedProxies: options.trustedProxies }),
    ...(options.ipv6Subnet === undefined ? {} : { ipv6Subnet: options.ipv6Subnet }),
    ...(options.proxyHeader === undefined ? {} : { proxyHeader: options.proxyHeader }),
  });
  const first = head.limiter;
  const logger = options.logger ?? first.logger;
  const noProxies = (options.trustedProxies ?? []).length === 0;
  // Without trusted proxies, a request from a private address carrying X-Forwarded-For is
  // the sign of a proxy nobody told bulwark about: checked until it has warned once.
  const inputOf = noProxies
    ? (request: Req): ClientAddressInput | undefined => {
        const input = peer(request);
        if (input !== undefined) checkUntrustedProxy(input, logger);
        return input;
      }
    : peer;
  const ipOf = (request: Req): string | undefined => {
    const input = inputOf(request);
    return input === undefined ? undefined : clientIp(input);
  };
  const noAddress = (): RateLimitOutcome => {
    reportMisuse(logger, 'misuse.client_address', 'rateLimit', NO_ADDRESS);
    return { headers: {}, error: clientAddressUnavailable(), settle: undefined };
  };
  const single = limits.length === 1 && head.key === undefined && head.subnet === undefined;
  const format = options.headers ?? 'ietf';
  const legacy = options.legacyHeaders ?? false;

  const once = single ? singleDecision(first, format, legacy, settleFor, carrier) : undefined;
  const decideOnce: DecideOnce<Req> =
    once === undefined
      ? combinedDecision(limits, format, legacy, settleFor, carrier)
      : (request, keys) => once(request, keys[0] ?? '');

  // The common case (client IP, nothing skipped, no lists): no promise at all on a memory store.
  if (
    skip === undefined &&
    key === undefined &&
    deny === undefined &&
    allow === undefined &&
    once !== undefined
  ) {
    return (request) => {
      const ip = ipOf(request);
      return ip === undefined ? noAddress() : once(request, ip);
    };
  }
  const subnet = checkIpv6Subnet(options.ipv6Subnet ?? 64);
  const address = compileClientAddress({
    ...(options.trustedProxies === undefined ? {} : { trustedProxies: options.trustedProxies }),
    ...(options.proxyHeader === undefined ? {} : { proxyHeader: options.proxyHeader }),
  });
  // Which limits key by the client IP: no key function, or one that asks for the IP (a
  // second parameter, read once here from the function's arity).
  const byIp = limits.map((l) => {
    const own = l.key ?? key;
    return own === undefined || own.length >= 2;
  });
  const anyByIp = byIp.includes(true);
  const needsAddress = deny !== undefined || allow !== undefined || anyByIp;
  const denied: RateLimitOutcome = { headers: {}, error: clientDenied(), settle: undefined };

  const decideFor = (request: Req): MaybePromise<RateLimitOutcome | undefined> => {
    let input: ClientAddressInput | undefined;
    let ip: ReturnType<typeof address>;
    if (needsAddress) {
      input = inputOf(request);
      if (input === undefined) {
        if (anyByIp) return noAddress();
      } else {
        ip = address(input);
        if (ip !== undefined) {
          // A denied client is refused before anything is counted; an allowed one is not counted.
          if (deny?.(ip) === true) return denied;
          if (allow?.(ip) === true) return undefined;
        }
      }
    }
    const keys = limits.map((l, i): MaybePromise<string> => {
      const own = l.key ?? key;
      let clientIp = '';
      if (byIp[i] === true) {
        clientIp =
          ip === undefined
            ? (input?.remoteAddress ?? UNKNOWN_CLIENT)
            : addressKey(ip, l.subnet ?? subnet);
      }
      return own === undefined ? clientIp : own(request, clientIp);
    });
    const ready: string[] = [];
    for (const k of keys) {
      if (isPromise(k)) {
        return Promise.all(keys.map((each) => Promise.resolve(each))).then((resolved) =>
          decideOnce(request, resolved),
        );
      }
      ready.push(k);
    }
    return decideOnce(request, ready);
  };
  if (skip === undefined) return decideFor;
  return (request) => {
    const skipped = skip(request);
    if (!isPromise(skipped)) return skipped ? undefined : decideFor(request);
    return skipped.then((yes) => (yes ? undefined : decideFor(request)));
  };
}

/** The keys and decisions a settle takes back. */
type SettleFactory = (
  keys: readonly string[],
  decisions: readonly (RateLimitDecision | undefined)[],
) => RateLimitSettle | undefined;

function compileSettle<Req, Res>(
  options: RateLimitMiddlewareOptions<Req, Res>,
  limits: readonly Limit<Req>[],
  head: Limit<Req>,
): SettleFactory | undefined {
  const successful = options.skipSuccessfulRequests ?? false;
  const failed = options.skipFailedRequests ?? false;
  const judge = options.requestWasSuccessful;
  for (const [name, value] of [
    ['skipSuccessfulRequests', successful],
    ['skipFailedRequests', failed],
  ] as const) {
    if (typeof value !== 'boolean') {
      throw new TypeError(`bulwark: rateLimit ${name}: not a boolean; write true or false.`);
    }
  }
  if (judge !== undefined && typeof judge !== 'function') {
    throw new TypeError(
      'bulwark: rateLimit requestWasSuccessful: not a function; write requestWasSuccessful: (req, res) => res.statusCode < 400.',
    );
  }
  const resets = limits.some((l) => l.resetOnSuccess);
  if (!successful && !failed && !resets) {
    if (judge !== undefined) {
      throw new TypeError(
        'bulwark: rateLimit requestWasSuccessful: has no effect without skipSuccessfulRequests, skipFailedRequests or a limit with resetOnSuccess; add skipSuccessfulRequests: true (count only failures) or remove it.',
      );
    }
    // Nothing to settle: no factory, so an admitted request allocates nothing for it.
    return undefined;
  }
  limits.forEach(({ limiter }, i) => {
    if ((successful || failed) && limiterParts(limiter)?.store.refund === undefined) {
      throw new TypeError(
        `bulwark: rateLimit ${successful ? 'skipSuccessfulRequests' : 'skipFailedRequests'}: the store of limiter${limits.length > 1 ? `[${i}]` : ''} "${limiter.name}" cannot take a count back; use MemoryStore or RedisStore, or add refund() to your store.`,
      );
    }
  });
  const logger = options.logger ?? head.limiter.logger;
  return (keys, decisions) => {
    let done = false;
    return (request, response, status) => {
      if (done) return;
      done = true;
      let success = false;
      if (status !== undefined) {
        if (judge === undefined) success = status < 400;
        else {
          try {
            success = judge(request as Req, response as Res);
          } catch (error: unknown) {
            const reason = error instanceof Error ? error.message : String(error);
            reportMisuse(
              logger,
              'misuse.rate_limit_outcome',
              'rateLimit',
              `rateLimit requestWasSuccessful threw (${reason}); the request stays counted. Return a boolean from it.`,
            );
            return;
          }
        }
      }
      limits.forEach((l, i) => {
        const d = decisions[i];
        const k = keys[i] ?? '';
        if (success && l.resetOnSuccess) void l.limiter.reset(k).catch(() => undefined);
        else if (d?.allowed === true && (success ? successful : failed)) {
          void l.limiter.refund(k, d);
        }
      });
    };
  };
}

type DecideOnce<Req> = (request: Req, keys: readonly string[]) => MaybePromise<RateLimitOutcome>;

/** One limiter under one key: the hot path, with no list and no closure per request. */
function singleDecision<Req>(
  limiter: RateLimiter,
  format: RateLimitHeaderFormat | false,
  legacy: boolean,
  settleFor: SettleFactory | undefined,
  carrier: ((request: Req) => object) | undefined,
): (request: Req, key: string) => MaybePromise<RateLimitOutcome> {
  const headersFor = compileRateLimitHeaders({
    name: limiter.name,
    windowMs: limiter.windowMs,
    format,
    legacy,
  });
  const outcome = (k: string, d: RateLimitDecision): RateLimitOutcome => {
    const headers = headersFor(d);
    if (!d.allowed) return { headers, error: rateLimitError(d, headers), settle: undefined };
    return { headers, error: undefined, settle: settleFor?.([k], [d]) };
  };
  const id = countIdentity(limiter);
  const remember = (on: object, k: string, d: RateLimitDecision): RateLimitOutcome => {
    const o = outcome(k, d);
    counted.set(on, { id, key: k, outcome: o, next: counted.get(on) });
    return o;
  };
  return (request, k) => {
    if (carrier === undefined) {
      const d = limiter.decide(k);
      return isPromise(d) ? d.then((late) => outcome(k, late)) : outcome(k, d);
    }
    const on = carrier(request);
    // Counted already by this limit under this key: the same answer, nothing counted again.
    for (let c = counted.get(on); c !== undefined; c = c.next) {
      if (c.id === id && c.key === k) return c.outcome;
    }
    const d = limiter.decide(k);
    // No closure on the synchronous path: a memory store's request allocates only its answer.
    return isPromise(d) ? d.then((late) => remember(on, k, late)) : remember(on, k, d);
  };
}

/** Several limits, each under its own key, decided as one (see compileCombinedLimit). */
function combinedDecision<Req>(
  limits: readonly Limit<Req>[],
  format: RateLimitHeaderFormat | false,
  legacy: boolean,
  settleFor: SettleFactory | undefined,
  carrier: ((request: Req) => object) | undefined,
): DecideOnce<Req> {
  const limiters = limits.map((l) => l.limiter);
  const combined = compileCombinedLimit(limiters);
  const headersFor = compileCombinedRateLimitHeaders(limiters, format, legacy);
  // The middleware is the identity: mounted twice, it counts a request once.
  const id = {};
  const outcome = (keys: readonly string[], c: CombinedDecision): RateLimitOutcome => {
    const headers = headersFor(c.decisions);
    if (!c.allowed) {
      for (const d of c.decisions) {
        if (d !== undefined && !d.allowed) {
          return { headers, error: rateLimitError(d, headers), settle: undefined };
        }
      }
    }
    return { headers, error: undefined, settle: settleFor?.(keys, c.decisions) };
  };
  return (request, keys) => {
    const on = carrier?.(request);
    const k = keys.join('\0');
    if (on !== undefined) {
      for (let c = counted.get(on); c !== undefined; c = c.next) {
        if (c.id === id && c.key === k) return c.outcome;
      }
    }
    const finish = (c: CombinedDecision): RateLimitOutcome => {
      const o = outcome(keys, c);
      if (on !== undefined) counted.set(on, { id, key: k, outcome: o, next: counted.get(on) });
      return o;
    };
    const c = combined(keys);
    return isPromise(c) ? c.then(finish) : finish(c);
  };
}
