/** Raised when Redis does not answer within `timeoutMs`. */
export class RedisTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`bulwark: Redis did not answer within ${timeoutMs} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/**
 * `promise`, or a RedisTimeoutError after `timeoutMs`: a hung Redis (paused, partitioned,
 * overloaded) must not hold requests open. The late answer, if any, is absorbed.
 */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new RedisTimeoutError(timeoutMs));
    }, timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
