// Shared benchmark helpers: warm up, run each case in alternating rounds (so a noisy
// neighbour on a shared machine hurts every case alike), report the median rate.

/** One case: a name and an operation (sync or async); the result is kept so it cannot be optimised away. */
export interface BenchCase {
  readonly name: string;
  readonly run: () => unknown;
}

export interface BenchResult {
  readonly name: string;
  /** Median operations per second over the rounds. */
  readonly opsPerSec: number;
}

export interface MeasureOptions {
  /** Milliseconds per case per round. */
  readonly roundMs: number;
  /** Rounds; the median is reported. */
  readonly rounds: number;
}

/** `--quick` on the command line: short rounds, for a smoke run. */
export function measureOptions(argv: readonly string[] = process.argv): MeasureOptions {
  return argv.includes('--quick') ? { roundMs: 150, rounds: 3 } : { roundMs: 300, rounds: 11 };
}

let sink: unknown;

/** The last result of any case: kept reachable so no case's work can be optimised away. */
export function lastResult(): unknown {
  return sink;
}

async function timeOne(c: BenchCase, ms: number): Promise<number> {
  const first = c.run();
  const isAsync = first instanceof Promise;
  if (isAsync) sink = await first;
  let ops = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  // Batches amortise the clock read; async cases are awaited one by one, as a server would.
  for (;;) {
    for (let i = 0; i < 64; i++) {
      const r = c.run();
      sink = isAsync ? await r : r;
    }
    ops += 64;
    const elapsed = process.hrtime.bigint() - start;
    if (elapsed >= budget) return (ops * 1e9) / Number(elapsed);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Runs every case in `rounds` alternating rounds after a warm-up; returns the medians. */
export async function measure(
  cases: readonly BenchCase[],
  options: MeasureOptions,
): Promise<BenchResult[]> {
  for (const c of cases) await timeOne(c, Math.min(200, options.roundMs));
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let r = 0; r < options.rounds; r++) {
    for (const c of cases) samples.get(c.name)?.push(await timeOne(c, options.roundMs));
  }
  return cases.map((c) => ({ name: c.name, opsPerSec: median(samples.get(c.name) ?? []) }));
}

/** Formats rows as a Markdown table. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

export function formatRate(opsPerSec: number): string {
  return Math.round(opsPerSec).toLocaleString('en-US');
}
