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
