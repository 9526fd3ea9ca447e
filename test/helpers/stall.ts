/**
 * Blocks this process's event loop for `ms` milliseconds, as a long synchronous task, a full
 * GC or a CPU starved by its neighbours would: timers come due and sockets fill meanwhile.
 */
export function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy on purpose
  }
}
