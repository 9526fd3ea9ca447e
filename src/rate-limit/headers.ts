import type { RateLimitDecision } from './types.js';

/**
 * Which standard rate-limit fields to send:
 * - `'ietf'`: the current IETF draft (draft-ietf-httpapi-ratelimit-headers-08 and later)
 *   structured fields, `RateLimit-Policy: "name";q=100;w=60` and `RateLimit: "name";r=42;t=17`;
 * - `'draft-7'`: `RateLimit-Policy: 100;w=60` and `RateLimit: limit=100, remaining=42, reset=17`;
 * - `'draft-6'`: `RateLimit-Policy: 100;w=60` with `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`.
 */
export type RateLimitHeaderFormat = 'ietf' | 'draft-7' | 'draft-6';

/** Options for {@link rateLimitHeaders}. */
export interface RateLimitHeaderOptions {
  /** The limiter's name, the policy identifier in the `'ietf'` fields. */
  readonly name: string;
  /** The limiter's window in milliseconds (sent as whole seconds, rounded up). */
  readonly windowMs: number;
  /** The standard fields to send, or `false` for none. Default: `'ietf'`. */
  readonly format?: RateLimitHeaderFormat | false;
  /** Also send `X-RateLimit-Limit`, `-Remaining` and `-Reset` (epoch seconds), as GitHub does. Default: `false`. */
  readonly legacy?: boolean;
}

/** A compiled header builder: constant parts computed once. */
export type RateLimitHeaderBuilder = (decision: RateLimitDecision) => Record<string, string>;

const FORMATS: readonly string[] = ['ietf', 'draft-7', 'draft-6'];

const seconds = (ms: number): number => Math.ceil(ms / 1000);

/**
 * Checks the options once and returns the per-decision builder. The policy field is
 * constant per limiter and computed here; per request only the numbers change.
 */
export function compileRateLimitHeaders(options: RateLimitHeaderOptions): RateLimitHeaderBuilder {
  const format = options.format ?? 'ietf';
  if (format !== false && !FORMATS.includes(format)) {
    throw new TypeError(
      `bulwark: rate limit headers: ${JSON.stringify(format)} is not a header format; write 'ietf', 'draft-7', 'draft-6' or false.`,
    );
  }
  const legacy = options.legacy ?? false;
  // The name goes into a structured-field string (RFC 9651 section 3.3.3): only printable
  // ASCII, with '"' and '\' escaped, so a name can never break the field.
  if (!/^[\x20-\x7e]*$/.test(options.name)) {
    throw new TypeError(
      `bulwark: rate limit headers: the name ${JSON.stringify(options.name)} is not printable ASCII; use letters, digits and '-'.`,
    );
  }
  const quoted = `"${options.name.replace(/["\\]/g, '\\$&')}"`;
  const w = seconds(options.windowMs);
  const retryAfter = (d: RateLimitDecision, h: Record<string, string>): Record<string, string> => {
    // Whole seconds, rounded up (RFC 9110 section 10.2.3): rounding down would invite the
    // client back a moment too early, into another rejection.
    if (!d.allowed) h['Retry-After'] = String(seconds(d.retryAfterMs));
    return h;
  };
  // The policy field only changes with the limit, which is the limiter's own: built once.
  let policyLimit = -1;
  let policy = '';
  return (d) => {
    // A decision made without the store (fail open or closed) has no honest counts to show.
    if (d.storeUnavailable) return retryAfter(d, {});
    const h: Record<string, string> = {};
    const t = seconds(d.resetMs);
    if (d.limit !== policyLimit) {
      policyLimit = d.limit;
      policy = format === 'ietf' ? `${quoted};q=${d.limit};w=${w}` : `${d.limit};w=${w}`;
    }
    if (format === 'ietf') {
      h['RateLimit-Policy'] = policy;
      h.RateLimit = `${quoted};r=${d.remaining};t=${t}`;
    } else if (format === 'draft-7') {
      h['RateLimit-Policy'] = policy;
      h.RateLimit = `limit=${d.limit}, remaining=${d.remaining}, reset=${t}`;
    } else if (format === 'draft-6') {
      h['RateLimit-Policy'] = policy;
      h['RateLimit-Limit'] = String(d.limit);
      h['RateLimit-Remaining'] = String(d.remaining);
      h['RateLimit-Reset'] = String(t);
    }
    if (legacy) {
      h['X-RateLimit-Limit'] = String(d.limit);
      h['X-RateLimit-Remaining'] = String(d.remaining);
      h['X-RateLimit-Reset'] = String(Math.ceil((Date.now() + d.resetMs) / 1000));
    }
    return retryAfter(d, h);
  };
}

/**
 * The header builder for several limits on one request: `RateLimit-Policy` lists every
 * policy (a structured-field list, as the IETF draft allows) and the other fields report the
 * limit closest to refusing: a refusing one, else the one with the fewest units left.
 */
export function compileCombinedRateLimitHeaders(
  limits: readonly { readonly name: string; readonly windowMs: number; readonly limit: number }[],
  format: RateLimitHeaderFormat | false,
  legacy: boolean,
): (decisions: readonly (RateLimitDecision | undefined)[]) => Record<string, string> {
  const builders = limits.map((l) =>
    compileRateLimitHeaders({ name: l.name, windowMs: l.windowMs, format, legacy }),
  );
  const policies = limits
    .map((l, i) => {
      const build = builders[i];
      const probe = build?.({
        allowed: true,
        limit: l.limit,
        remaining: l.limit,
        resetMs: 0,
        retryAfterMs: 0,
        storeUnavailable: false,
        stamp: 0,
      });
      return probe?.['RateLimit-Policy'];
    })
    .filter((p): p is string => p !== undefined)
    .join(', ');
  return (decisions) => {
    let closest = -1;
    let best: RateLimitDecision | undefined;
    for (let i = 0; i < decisions.length; i++) {
      const d = decisions[i];
      if (d === undefined) continue;
      if (
        best === undefined ||
        (!d.allowed && best.allowed) ||
        (d.allowed === best.allowed && d.remaining < best.remaining)
      ) {
        closest = i;
        best = d;
      }
    }
    const build = builders[closest];
    if (best === undefined || build === undefined) return {};
    const h = build(best);
    if (h['RateLimit-Policy'] !== undefined) h['RateLimit-Policy'] = policies;
    return h;
  };
}

const cache = new WeakMap<RateLimitHeaderOptions, RateLimitHeaderBuilder>();

/**
 * The response headers for a decision: the IETF `RateLimit` fields in the chosen format,
 * optional legacy `X-RateLimit-*`, and `Retry-After` on every rejection. Options are
 * compiled on first use and cached per options object.
 */
export function rateLimitHeaders(
  decision: RateLimitDecision,
  options: RateLimitHeaderOptions,
): Record<string, string> {
  let build = cache.get(options);
  if (build === undefined) {
    build = compileRateLimitHeaders(options);
    cache.set(options, build);
  }
  return build(decision);
}
