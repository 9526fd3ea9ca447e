// The benchmark's confidence interval of a median of rounds: the ranks must be the textbook
// ones, or a run would claim more certainty than its rounds give.
import { describe, expect, it } from 'vitest';
import { medianInterval } from '../../bench/lib/interval.js';

const ranks = (n: number): [number, number] =>
  medianInterval(Array.from({ length: n }, (_, i) => i + 1));

describe('medianInterval', () => {
  it('uses the sign-test ranks of the median (1-based: 2 and 9 of 10, 6 and 15 of 20)', () => {
    expect(ranks(10)).toEqual([2, 9]);
    expect(ranks(20)).toEqual([6, 15]);
  });

  it('is the whole range for too few rounds, and empty without any', () => {
    expect(ranks(5)).toEqual([1, 5]);
    expect(ranks(1)).toEqual([1, 1]);
    expect(medianInterval([]).every(Number.isNaN)).toBe(true);
  });

  it('narrows as rounds are added, and does not depend on their order', () => {
    const width = (n: number): number => {
      const [lo, hi] = medianInterval(Array.from({ length: n }, (_, i) => 1 + (i % 7) / 100));
      return hi - lo;
    };
    expect(width(49)).toBeLessThanOrEqual(width(14));
    expect(medianInterval([3, 1, 2, 5, 4, 6, 9, 8, 7, 10])).toEqual([2, 9]);
  });

  it('contains the median', () => {
    const values = [0.91, 0.97, 0.88, 0.95, 0.93, 0.99, 0.9, 0.94, 0.96, 0.92, 0.89];
    const [lo, hi] = medianInterval(values);
    expect(lo).toBeLessThanOrEqual(0.93);
    expect(hi).toBeGreaterThanOrEqual(0.93);
  });
});
