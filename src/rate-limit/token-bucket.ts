import { decision } from './decision.js';
import type { Entry } from './entry.js';
import type { RateLimitDecision, RateLimitPolicy } from './types.js';

/** Float tolerance for the GCRA comparisons (a millionth of a millisecond). */
const EPSILON = 1e-6;

/**
 * Token bucket as GCRA (generic cell rate algorithm): one timestamp per key, the theoretical
 * arrival time (TAT). A unit is emitted every `windowMs / limit` ms and up to `limit` may be
 * taken at once (burst = limit, steady rate = limit per window). With `countRejected`, a
 * rejected attempt still takes its units, as debt capped at one extra window, so hammering
 * pushes the next success further away.
 * State: `a` = TAT in epoch milliseconds.
 */
export function tokenBucket(
  e: Entry,
  policy: RateLimitPolicy,
  cost: number,
  now: number,
  dry: boolean,
): RateLimitDecision {
  const { limit, windowMs } = policy;
  const interval = windowMs / limit;
  let tat = e.a > now ? e.a : now;
  const next = tat + cost * interval;
  const allowed = next - windowMs <= now + EPSILON;
  if (allowed) {
    if (!dry) tat = next;
  } else if (policy.countRejected) tat = Math.min(next, now + 2 * windowMs);
  e.a = tat;
  e.expiresAt = tat;
  const remaining = Math.floor((now + windowMs - tat) / interval + EPSILON);
  const retryAfterMs = allowed ? 0 : tat + cost * interval - windowMs - now;
  const stamp = allowed && !dry ? tat : 0;
  return decision(allowed, limit, Math.min(limit, remaining), tat - now, retryAfterMs, stamp);
}

/**
 * Takes back a count whose arrival time after counting was `stamp`: its units are the last
 * `cost * interval` ms before `stamp` on the bucket's timeline, and only the part not yet
 * drained by `now` is returned, so a refund never frees units another request took.
 */
export function tokenBucketRefund(
  e: Entry,
  policy: RateLimitPolicy,
  cost: number,
  stamp: number,
  now: number,
): void {
  const amount = Math.min((cost * policy.windowMs) / policy.limit, stamp - now);
  if (amount > 0) e.a = Math.max(now, e.a - amount);
}
