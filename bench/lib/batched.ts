/**
 * A small, dependency-free benchmark helper: warm up, then run a function in batches until a
 * time budget is spent, and report operations per second (median of the batches, which is
 * steadier than the mean on a shared machine).
 */
export interface Measurement {
  readonly name: string;
  readonly opsPerSec: number;
  /** Median nanoseconds per operation. */
  readonly nsPerOp: number;
}

/** `--quick` in argv: shorter budgets, for CI smoke runs and development. */
export const quick = process.argv.includes('--quick');

let sink: unknown;
/** Keeps results alive so the optimizer cannot drop the measured work. */
export function consume(value: unknown): void {
  sink = value;
}

export function measure(
  name: string,
  fn: () => unknown,
  budgetMs = quick ? 300 : 2000,
): Measurement {
  // Warm-up: let V8 optimize before timing.
  const warmEnd = performance.now() + budgetMs / 4;
  let batch = 1;
  while (performance.now() < warmEnd) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) consume(fn());
    if (performance.now() - t < 5) batch *= 2;
  }
  const samples: number[] = [];
  const end = performance.now() + budgetMs;
  while (performance.now() < end || samples.length < 5) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) consume(fn());
    samples.push(Number(process.hrtime.bigint() - t) / batch);
  }
  samples.sort((a, b) => a - b);
  const ns = samples[Math.floor(samples.length / 2)]!;
  if (sink === Symbol.for('never')) console.log(sink);
  return { name, opsPerSec: 1e9 / ns, nsPerOp: ns };
}

/** Prints one table: each row's ops/s and its ratio to the row named `baseline`. */
export function printTable(title: string, rows: readonly Measurement[], baseline: string): void {
  const base = rows.find((r) => r.name === baseline);
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(
    `${'name'.padEnd(width)}  ${'ops/s'.padStart(12)}  ${'ns/op'.padStart(10)}  vs ${baseline}`,
  );
  for (const r of rows) {
    const ratio = base === undefined ? '' : `${(r.opsPerSec / base.opsPerSec).toFixed(2)}x`;
    console.log(
      `${r.name.padEnd(width)}  ${Math.round(r.opsPerSec).toLocaleString('en-US').padStart(12)}  ${r.nsPerOp.toFixed(0).padStart(10)}  ${ratio}`,
    );
  }
}

/** Prints throughput rows in MB/s for a given input size. */
export function printThroughput(title: string, rows: readonly Measurement[], bytes: number): void {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const mbs = (bytes * r.opsPerSec) / (1 << 20);
    console.log(`${r.name.padEnd(width)}  ${mbs.toFixed(1).padStart(8)} MB/s`);
  }
}

/**
 * Measures several candidates in interleaved rounds and keeps each one's median round. On a
 * shared machine the load changes from second to second; interleaving makes every candidate see
 * the same mix, so the ratios stay meaningful even when the absolute numbers move.
 */
export function measureAll(
  candidates: readonly (readonly [string, () => unknown])[],
  rounds = quick ? 3 : 9,
  roundMs = quick ? 150 : 300,
): Measurement[] {
  const perRound = candidates.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    candidates.forEach(([name, fn], i) => {
      perRound[i]!.push(measure(name, fn, roundMs).nsPerOp);
    });
  }
  return candidates.map(([name], i) => {
    const sorted = perRound[i]!.sort((a, b) => a - b);
    const ns = sorted[Math.floor(sorted.length / 2)]!;
    return { name, opsPerSec: 1e9 / ns, nsPerOp: ns };
  });
}
