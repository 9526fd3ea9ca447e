/** A value that is ready now, or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Whether a {@link MaybePromise} is still pending. Hot paths branch on this so a decision
 * that is ready now (a memory-backed rate limit) costs no promise and no microtask.
 */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
