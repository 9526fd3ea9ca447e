import type { Algorithm } from './algorithms.js';
import { decision } from './decision.js';
import type { Entry } from './entry.js';
import type { RateLimitDecision, RateLimitPolicy } from './types.js';

/** The length of the `level`-th block of an episode: `blockMs * blockMultiplier^(level - 1)`, capped. */
export function blockLength(policy: RateLimitPolicy, level: number): number {
  const length = policy.blockMs * policy.blockMultiplier ** (level - 1);
  return length < policy.maxBlockMs ? Math.ceil(length) : policy.maxBlockMs;
}

/**
 * An algorithm's decision with the policy's block around it (the RedisStore scripts mirror
 * this). A refused key stays refused until its block ends, whatever the window says: a
 * brute-forcer that waits for the window gains nothing. An attempt while blocked is a repeat
 * offence; with `blockMultiplier` it starts a longer block from that moment, and so does a
 * refusal within one window after a block ended (backoff). While blocked the window is
 * consulted without counting, unless `countRejected`, so the retry time is exact: the later
 * of the block's end and the window's own.
 */
export function decideWithBlock(
  algorithm: Algorithm,
  e: Entry,
  policy: RateLimitPolicy,
  cost: number,
  now: number,
  dry: boolean,
): RateLimitDecision {
  if (policy.blockMs === 0) return algorithm(e, policy, cost, now, dry);
  const { blockLevel, blockedUntil } = e;
  if (now < blockedUntil) {
    const d = algorithm(e, policy, cost, now, !policy.countRejected);
    let until = blockedUntil;
    if (policy.blockMultiplier > 1) {
      e.blockLevel = blockLevel + 1;
      until = Math.max(until, now + blockLength(policy, blockLevel + 1));
      e.blockedUntil = until;
    }
    return refusedUntil(e, policy, d, until, now);
  }
  const d = algorithm(e, policy, cost, now, dry);
  if (d.allowed) {
    // Remember the episode for one window after its block, so a quick repeat is backed off.
    if (blockLevel > 0) {
      if (now >= blockedUntil + policy.windowMs) e.blockLevel = 0;
      else if (e.expiresAt < blockedUntil + policy.windowMs)
        e.expiresAt = blockedUntil + policy.windowMs;
    }
    return d;
  }
  const level = blockLevel > 0 && now < blockedUntil + policy.windowMs ? blockLevel + 1 : 1;
  e.blockLevel = level;
  e.blockedUntil = now + blockLength(policy, level);
  return refusedUntil(e, policy, d, e.blockedUntil, now);
}

function refusedUntil(
  e: Entry,
  policy: RateLimitPolicy,
  d: RateLimitDecision,
  until: number,
  now: number,
): RateLimitDecision {
  const wait = until - now;
  const remember = until + policy.windowMs;
  if (e.expiresAt < remember) e.expiresAt = remember;
  return decision(
    false,
    policy.limit,
    0,
    Math.max(d.resetMs, wait),
    Math.max(d.allowed ? 0 : d.retryAfterMs, wait),
    0,
  );
}
