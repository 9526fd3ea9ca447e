import { decision } from './decision.js';
import type { Entry } from './entry.js';
import type { RateLimitDecision, RateLimitPolicy } from './types.js';

/**
 * Sliding log: exact "at most `limit` units in any `windowMs`". Keeps the timestamps of the
 * most recent `limit` units in a ring buffer (O(limit) state): a request of cost c passes
 * when the (limit - c + 1)-th most recent unit is at least `windowMs` old. With
 * `countRejected`, rejected attempts are logged too, so a client that keeps trying stays
 * locked out until it pauses for a whole window (Mission Control's brute-force defence).
 */
export function slidingLog(
  e: Entry,
  policy: RateLimitPolicy,
  cost: number,
  now: number,
): RateLimitDecision {
  const { limit, windowMs } = policy;
  let log = e.log;
  if (log?.length !== limit) {
    log = new Float64Array(limit);
    e.log = log;
    e.pos = 0;
    e.len = 0;
  }
  const horizon = now - windowMs;
  const k = limit - cost + 1;
  const allowed = k > e.len || recent(e, log, k) <= horizon;
  if (allowed || policy.countRejected) {
    for (let i = 0; i < cost; i++) {
      log[e.pos] = now;
      e.pos = e.pos + 1 === limit ? 0 : e.pos + 1;
    }
    e.len = Math.min(limit, e.len + cost);
  }
  const inWindow = countAfter(e, log, horizon);
  const newest = e.len === 0 ? 0 : recent(e, log, 1);
  const resetMs = inWindow === 0 ? 0 : newest + windowMs - now;
  e.expiresAt = inWindow === 0 ? now : newest + windowMs;
  const retryAfterMs = allowed ? 0 : recent(e, log, k) + windowMs - now;
  return decision(allowed, limit, limit - inWindow, resetMs, retryAfterMs);
}

/** The k-th most recent timestamp (k = 1 is the newest); the caller ensures k <= len. */
function recent(e: Entry, log: Float64Array, k: number): number {
  let i = e.pos - k;
  if (i < 0) i += log.length;
  return log[i] ?? 0;
}

/** How many stored timestamps are newer than `horizon` (binary search: they are ordered). */
function countAfter(e: Entry, log: Float64Array, horizon: number): number {
  let lo = 0; // recent(lo) > horizon holds for all k <= lo
  let hi = e.len;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (recent(e, log, mid) > horizon) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
