import { decision } from './decision.js';
import type { Entry } from './entry.js';
import type { RateLimitDecision, RateLimitPolicy } from './types.js';

/**
 * Sliding log: exact "at most `limit` units in any `windowMs`". Keeps the timestamps of the
 * units inside the window (at most `limit`, so O(limit) state) in a ring buffer, oldest
 * dropped as they age out (amortized O(1) per call): a request of cost c passes when fewer
 * than `limit - c + 1` units are in the window. With `countRejected`, rejected attempts are
 * logged too, so a client that keeps trying stays locked out until it pauses for a whole
 * window (Mission Control's brute-force defence).
 */
export function slidingLog(
  e: Entry,
  policy: RateLimitPolicy,
  cost: number,
  now: number,
  dry: boolean,
): RateLimitDecision {
  const { limit, windowMs } = policy;
  let log = e.log;
  if (log === null) {
    log = new Array<number>(Math.min(limit, INITIAL_CAPACITY)).fill(0);
    e.log = log;
    e.pos = 0;
    e.len = 0;
  } else if (log.length > limit) {
    // The limit was lowered since these were logged: the newest `limit` still count.
    log = resize(e, log, limit);
  }
  const horizon = now - windowMs;
  while (e.len > 0 && recent(e, log, e.len) <= horizon) e.len--;
  const allowed = e.len + cost <= limit;
  const count = allowed ? !dry : policy.countRejected;
  if (count) {
    if (e.len + cost > log.length && log.length < limit) log = grow(e, log, e.len + cost, limit);
    for (let i = 0; i < cost; i++) {
      log[e.pos] = now;
      e.pos = e.pos + 1 === log.length ? 0 : e.pos + 1;
    }
    e.len = Math.min(log.length, e.len + cost);
  }
  const inWindow = e.len;
  const resetMs = inWindow === 0 ? 0 : recent(e, log, 1) + windowMs - now;
  e.expiresAt = now + resetMs;
  // Rejected: at least limit - cost + 1 units are in the window; the request passes once the
  // (limit - cost + 1)-th most recent of them ages out.
  const retryAfterMs = allowed ? 0 : recent(e, log, limit - cost + 1) + windowMs - now;
  const stamp = allowed && count ? now : 0;
  return decision(allowed, limit, limit - inWindow, resetMs, retryAfterMs, stamp);
}

/**
 * Takes back `cost` timestamps equal to `stamp` (the ones that request logged), if they are
 * still in the window; timestamps are rewritten oldest first, O(limit).
 */
export function slidingLogRefund(
  e: Entry,
  policy: RateLimitPolicy,
  cost: number,
  stamp: number,
  now: number,
): void {
  const log = e.log;
  if (log === null || stamp <= now - policy.windowMs) return;
  const kept: number[] = [];
  let removed = 0;
  for (let k = e.len; k >= 1; k--) {
    const t = recent(e, log, k);
    if (removed < cost && t === stamp) removed++;
    else kept.push(t);
  }
  if (removed === 0) return;
  for (let i = 0; i < kept.length; i++) log[i] = kept[i] ?? 0;
  e.len = kept.length;
  e.pos = kept.length === log.length ? 0 : kept.length;
}

/**
 * The ring starts small and doubles up to `limit`, so a key that sends a few requests
 * under a large limit does not pay for `limit` timestamps. A plain array of doubles: small
 * typed arrays are slower to allocate.
 */
const INITIAL_CAPACITY = 8;

function grow(e: Entry, log: number[], needed: number, limit: number): number[] {
  let capacity = log.length * 2;
  while (capacity < needed) capacity *= 2;
  return resize(e, log, Math.min(limit, capacity));
}

/** A ring of `capacity` holding the newest timestamps that fit, oldest first from index 0. */
function resize(e: Entry, log: number[], capacity: number): number[] {
  const next = new Array<number>(capacity).fill(0);
  const keep = Math.min(e.len, capacity);
  for (let k = keep; k >= 1; k--) next[keep - k] = recent(e, log, k);
  e.log = next;
  e.len = keep;
  e.pos = keep === capacity ? 0 : keep;
  return next;
}

/** The k-th most recent timestamp (k = 1 is the newest); the caller ensures k <= len. */
function recent(e: Entry, log: readonly number[], k: number): number {
  let i = e.pos - k;
  if (i < 0) i += log.length;
  return log[i] ?? 0;
}
