import { timingSafeEqual } from 'node:crypto';

/**
 * True when `expected` equals any claimed digest. Each comparison checks the length first
 * (timingSafeEqual throws on unequal lengths, and a digest's length is public: it is fixed
 * by the scheme), then compares in constant time, so how long the comparison takes says
 * nothing about how many leading bytes of the secret-derived digest an attacker guessed.
 * Every claimed digest is compared: no early exit.
 */
export function matchesAny(expected: Buffer, claimed: readonly Buffer[]): boolean {
  let hit = false;
  for (const digest of claimed) {
    if (digest.length === expected.length && timingSafeEqual(digest, expected)) hit = true;
  }
  return hit;
}
