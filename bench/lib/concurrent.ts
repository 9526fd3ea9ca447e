// Concurrent throughput: N callers each awaiting one call at a time (a server's in-flight
// requests), for stores whose cost depends on how many calls overlap.
/** Options for {@link measure}. */
export interface MeasureOptions {
  /** Calls kept in flight at once. Default: 1. */
  readonly concurrency?: number;
  /** How long to measure, after a warm-up of a fifth of it. Default: 2000 ms. */
  readonly durationMs?: number;
}

/**
 * Operations per second of `op`, with `concurrency` callers each awaiting one call at a
 * time. Each call gets a running index, so callers can cycle through keys.
 */
export async function measure(
  op: (i: number) => Promise<unknown>,
  options: MeasureOptions = {},
): Promise<number> {
  const concurrency = options.concurrency ?? 1;
  const durationMs = options.durationMs ?? 2000;
  let i = 0;
  const run = async (until: number): Promise<number> => {
    let done = 0;
    const worker = async (): Promise<void> => {
      // Check the clock every 64 calls: reading it on each call would cost as much as a decision.
      for (;;) {
        for (let j = 0; j < 64; j++) {
          await op(i++);
          done++;
        }
        if (performance.now() >= until) return;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return done;
  };
  await run(performance.now() + durationMs / 5);
  const start = performance.now();
  const done = await run(start + durationMs);
  return (done / (performance.now() - start)) * 1000;
}

/** Prints rows as an aligned text table. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
