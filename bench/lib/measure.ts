/**
 * The one measuring library every benchmark group uses. Cases are measured in interleaved
 * rounds (every case once per round, in turn), so a burst of load from elsewhere on a shared
 * machine hits every case alike; each case reports its median round and the spread of its
 * rounds. A case may be synchronous, asynchronous (awaited one call at a time) or run with N
 * calls in flight (N callers, each awaiting its own call, as a server's concurrent requests).
 */

/** How long to measure: `--smoke` (one tiny round, a correctness check), `--quick`, or full. */
export type BenchMode = 'smoke' | 'quick' | 'full';

/** The mode named on the command line. */
export function benchMode(argv: readonly string[] = process.argv): BenchMode {
  if (argv.includes('--smoke')) return 'smoke';
  return argv.includes('--quick') ? 'quick' : 'full';
}

/** One case: a name and an operation, sync or async. */
export interface BenchCase {
  readonly name: string;
  /** The operation; `i` is a running call index, for cycling through keys or inputs. */
  readonly run: (i: number) => unknown;
  /** Calls kept in flight at once (async cases only). Default: 1. */
  readonly inFlight?: number;
}

/** A case's rate: the median of its rounds, with the slowest and fastest round. */
export interface BenchResult {
  readonly name: string;
  /** Median operations per second over the rounds. */
  readonly opsPerSec: number;
  /** The slowest round. */
  readonly minOpsPerSec: number;
  /** The fastest round. */
  readonly maxOpsPerSec: number;
}

/** Rounds and their length. */
export interface MeasureOptions {
  /** Rounds; the median is reported. */
  readonly rounds: number;
  /** Milliseconds per case per round. */
  readonly roundMs: number;
  /** Milliseconds of warm-up per case before the first round. */
  readonly warmupMs: number;
}

/** Round counts and lengths for a mode; `scale` lengthens rounds for slow operations. */
export function measureOptions(mode: BenchMode = benchMode(), scale = 1): MeasureOptions {
  switch (mode) {
    case 'smoke':
      return { rounds: 1, roundMs: 20 * scale, warmupMs: 5 * scale };
    case 'quick':
      return { rounds: 3, roundMs: 100 * scale, warmupMs: 50 * scale };
    case 'full':
      return { rounds: 11, roundMs: 300 * scale, warmupMs: 200 * scale };
  }
}

/** Called before each case's round: which case, which round. */
export type Progress = (info: {
  readonly name: string;
  readonly round: number;
  readonly rounds: number;
}) => void;

/** Writes `[group] round 2/7  case name` to stderr, over itself on a terminal. */
export function progressTo(group: string): Progress {
  const tty = process.stderr.isTTY;
  return ({ name, round, rounds }) => {
    const line = `[${group}] round ${round}/${rounds}  ${name}`;
    process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
  };
}

let sink: unknown;

/** The last result of any case: kept reachable so no case's work can be optimised away. */
export function lastResult(): unknown {
  return sink;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

let counter = 0;

function timeSync(run: (i: number) => unknown, ms: number): number {
  const budget = ms * 1e6;
  const start = process.hrtime.bigint();
  let ops = 0;
  let batch = 1;
  // Batches amortise the clock read; they grow until one takes about a tenth of a millisecond.
  for (;;) {
    const t = process.hrtime.bigint();
    for (let j = 0; j < batch; j++) sink = run(counter++);
    ops += batch;
    const now = process.hrtime.bigint();
    const elapsed = Number(now - start);
    if (elapsed >= budget) return (ops * 1e9) / elapsed;
    if (Number(now - t) < 100_000 && batch < 1 << 20) batch *= 2;
  }
}

async function timeAsync(
  run: (i: number) => unknown,
  inFlight: number,
  ms: number,
): Promise<number> {
  const until = performance.now() + ms;
  let ops = 0;
  const start = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    // Check the clock every 16 calls: reading it on each call would cost as much as a call.
    for (;;) {
      for (let j = 0; j < 16; j++) {
        sink = await run(counter++);
        ops++;
      }
      if (performance.now() >= until) return;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return (ops * 1e9) / Number(process.hrtime.bigint() - start);
}

async function timeOne(c: BenchCase, isAsync: boolean, ms: number): Promise<number> {
  return isAsync ? timeAsync(c.run, c.inFlight ?? 1, ms) : timeSync(c.run, ms);
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Every case's rate in each round, as well as its median: rounds[i][r] is case i in round r. */
export interface MeasuredRounds {
  readonly results: BenchResult[];
  /** Per case, its rate in each round, in round order: cases measured in one round are paired. */
  readonly rounds: readonly (readonly number[])[];
}

/** Measures every case in interleaved rounds after a warm-up; returns each one's median. */
export async function measure(
  cases: readonly BenchCase[],
  options: MeasureOptions,
  progress?: Progress,
): Promise<BenchResult[]> {
  return (await measureRounds(cases, options, progress)).results;
}

/**
 * {@link measure}, keeping each round's rate: a ratio of two cases taken per round (both
 * measured moments apart) moves far less with a shared machine's load than the ratio of
 * their medians does.
 */
export async function measureRounds(
  cases: readonly BenchCase[],
  options: MeasureOptions,
  progress?: Progress,
): Promise<MeasuredRounds> {
  const kinds: boolean[] = [];
  for (const c of cases) {
    const first = c.run(counter++);
    const isAsync = isThenable(first);
    sink = isAsync ? await first : first;
    kinds.push(isAsync);
    if (!isAsync && (c.inFlight ?? 1) !== 1)
      throw new TypeError(`${c.name}: inFlight needs an asynchronous case`);
    await timeOne(c, isAsync, options.warmupMs);
  }
  const samples = cases.map(() => [] as number[]);
  for (let round = 1; round <= options.rounds; round++) {
    for (const [i, c] of cases.entries()) {
      progress?.({ name: c.name, round, rounds: options.rounds });
      samples[i]!.push(await timeOne(c, kinds[i]!, options.roundMs));
    }
  }
  const results = cases.map((c, i) => {
    const sorted = [...samples[i]!].sort((a, b) => a - b);
    return {
      name: c.name,
      opsPerSec: median(sorted),
      minOpsPerSec: sorted[0] ?? 0,
      maxOpsPerSec: sorted[sorted.length - 1] ?? 0,
    };
  });
  return { results, rounds: samples };
}

/** `1,234,567`. */
export function formatRate(opsPerSec: number): string {
  return Math.round(opsPerSec).toLocaleString('en-US');
}

/** The spread of a result's rounds around its median: `±4%`. */
export function formatSpread(r: BenchResult): string {
  if (r.opsPerSec === 0) return '';
  const half = (r.maxOpsPerSec - r.minOpsPerSec) / 2 / r.opsPerSec;
  return `±${(half * 100).toFixed(half < 0.1 ? 1 : 0)}%`;
}

/** `1.23x`. */
export function formatRatio(value: number, base: number): string {
  return base > 0 ? `${(value / base).toFixed(2)}x` : 'n/a';
}
