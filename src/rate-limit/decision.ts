import type { RateLimitDecision } from './types.js';

/** Absorbs float noise from fractional GCRA intervals before rounding up to whole ms. */
const TOLERANCE = 1e-6;

/** A counted decision. One shape for every algorithm and store keeps call sites monomorphic. */
export function decision(
  allowed: boolean,
  limit: number,
  remaining: number,
  resetMs: number,
  retryAfterMs: number,
  stamp: number,
): RateLimitDecision {
  return {
    allowed,
    limit,
    remaining: remaining > 0 ? remaining : 0,
    resetMs: resetMs > 0 ? Math.ceil(resetMs - TOLERANCE) : 0,
    retryAfterMs: allowed ? 0 : Math.max(1, Math.ceil(retryAfterMs - TOLERANCE)),
    storeUnavailable: false,
    stamp,
  };
}
