import { decision } from './decision.js';
import type { Entry } from './entry.js';
import type { RateLimitDecision, RateLimitPolicy } from './types.js';

/**
 * Sliding window (two-window weighted counter): the previous aligned window's count is
 * weighted by how much of it still overlaps the sliding window ending now, plus the current
 * window's count. O(1) state, smooth at boundaries, an approximation of the exact log that
 * assumes the previous window's requests were evenly spread. Integer arithmetic throughout
 * (everything multiplied by `windowMs`), so decisions are exact and stores agree.
 * State: `a` = current window start, `b` = current count, `c` = previous count.
 */
export function slidingWindow(
  e: Entry,
  policy: RateLimitPolicy,
  cost: number,
  now: number,
  dry: boolean,
): RateLimitDecision {
  const { limit, windowMs: w } = policy;
  // Inside the current window (the usual case) no modulo is needed.
  const start = now >= e.a && now < e.a + w ? e.a : now - (now % w);
  if (start !== e.a) {
    e.c = start - e.a === w ? e.b : 0;
    e.b = 0;
    e.a = start;
  }
  const elapsed = now - start;
  const prevWeighted = e.c * (w - elapsed); // previous count x remaining overlap, scaled by w
  const allowed = prevWeighted + (e.b + cost) * w <= limit * w;
  const count = allowed ? !dry : policy.countRejected;
  if (count) e.b += cost;
  const remaining = Math.floor((limit * w - prevWeighted - e.b * w) / w);
  let resetMs = 0;
  if (e.b > 0) resetMs = start + 2 * w - now;
  else if (e.c > 0) resetMs = start + w - now;
  e.expiresAt = now + resetMs;
  let retryAfterMs = 0;
  if (!allowed) retryAfterMs = slidingWindowWait(e.b, e.c, limit, cost, w, elapsed);
  return decision(allowed, limit, remaining, resetMs, retryAfterMs, allowed && count ? now : 0);
}

/**
 * Takes back `cost` units counted at `stamp`: from the current count when that window is
 * still the current one, from the previous count when it has just become the previous one,
 * from nothing otherwise (that count no longer weighs, and another window's must not shrink).
 */
export function slidingWindowRefund(
  e: Entry,
  policy: RateLimitPolicy,
  cost: number,
  stamp: number,
): void {
  const w = policy.windowMs;
  const start = stamp - (stamp % w);
  if (start === e.a) e.b = Math.max(0, e.b - cost);
  else if (start + w === e.a) e.c = Math.max(0, e.c - cost);
}

/** The first moment a request of `cost` passes, with `curr` and `prev` as they stand now. */
export function slidingWindowWait(
  curr: number,
  prev: number,
  limit: number,
  cost: number,
  w: number,
  elapsed: number,
): number {
  // Still in this window: prev * (w - e) <= (limit - cost - curr) * w.
  const room = limit - cost - curr;
  if (room >= 0 && prev > 0) {
    const e = w - Math.floor((room * w) / prev);
    if (e < w) return e - elapsed;
  }
  // Next window: curr becomes the previous count, weighted down as that window advances.
  const roomNext = limit - cost;
  const eNext = curr > 0 ? Math.max(0, w - Math.floor((roomNext * w) / curr)) : 0;
  return w - elapsed + Math.min(eNext, w);
}
