// How sure a median of benchmark rounds is: a confidence interval that assumes nothing about
// how the rounds are distributed (a shared machine's noise is neither normal nor symmetric).

/**
 * A distribution-free 95% confidence interval of the median of `values`: the order statistics
 * at ranks n/2 -+ 0.98 sqrt(n) (the normal approximation of the binomial sign test). With fewer
 * than 6 values it is the whole range, which is all that few rounds can say.
 */
export function medianInterval(values: readonly number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return [Number.NaN, Number.NaN];
  if (n < 6) return [sorted[0]!, sorted[n - 1]!];
  const half = 0.98 * Math.sqrt(n);
  const lo = Math.max(0, Math.floor(n / 2 - half));
  const hi = Math.min(n - 1, Math.ceil(n / 2 + half) - 1);
  return [sorted[lo]!, sorted[hi]!];
}

/** The median of per-round ratios and its 95% interval ({@link medianInterval}). */
export interface RatioInterval {
  readonly median: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * The ratio of `a` to `b` taken round by round (a[r] / b[r], both measured in round r): its
 * median and that median's interval. NaN throughout when there are no paired rounds.
 */
export function ratioInterval(a: readonly number[], b: readonly number[]): RatioInterval {
  const ratios: number[] = [];
  for (let r = 0; r < Math.min(a.length, b.length); r++) {
    if (b[r]! > 0) ratios.push(a[r]! / b[r]!);
  }
  const sorted = ratios.sort((x, y) => x - y);
  const n = sorted.length;
  const mid = n >> 1;
  const median =
    n === 0 ? Number.NaN : n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const [lo, hi] = medianInterval(sorted);
  return { median, lo, hi };
}

/** Two decimals, fewer for large ratios and more for tiny ones, so every digit shown means something. */
function ratioDigits(v: number): string {
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(v < 0.1 ? 3 : 2);
}

/** `2.05x (1.91-2.20)`, or `2.05x` when every round agreed (one round); `n/a` without paired rounds. */
export function formatRatioInterval(r: RatioInterval): string {
  if (Number.isNaN(r.median)) return 'n/a';
  const median = `${ratioDigits(r.median)}x`;
  return r.lo === r.hi ? median : `${median} (${ratioDigits(r.lo)}-${ratioDigits(r.hi)})`;
}
