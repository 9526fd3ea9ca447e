import { decision } from './decision.js';
import type { Entry } from './entry.js';
import type { RateLimitDecision, RateLimitPolicy } from './types.js';

/**
 * Fixed window: at most `limit` units between a key's first request and `windowMs` later,
 * then a fresh window. Cheapest, but a client can send `limit` at the end of one window and
 * `limit` at the start of the next (twice the rate across the boundary).
 * State: `a` = window start, `b` = units counted in it.
 */
export function fixedWindow(
  e: Entry,
  policy: RateLimitPolicy,
  cost: number,
  now: number,
  dry: boolean,
): RateLimitDecision {
  const { limit, windowMs } = policy;
  if (e.b === 0 || now >= e.a + windowMs) {
    e.a = now;
    e.b = 0;
  }
  const allowed = e.b + cost <= limit;
  const count = allowed ? !dry : policy.countRejected;
  if (count) e.b += cost;
  const end = e.a + windowMs;
  e.expiresAt = e.b === 0 ? 0 : end;
  return decision(allowed, limit, limit - e.b, end - now, end - now, allowed && count ? now : 0);
}

/** Takes back `cost` units counted at `stamp`, when the window that holds them is still the current one. */
export function fixedWindowRefund(
  e: Entry,
  policy: RateLimitPolicy,
  cost: number,
  stamp: number,
): void {
  if (stamp >= e.a && stamp < e.a + policy.windowMs) e.b = Math.max(0, e.b - cost);
}
