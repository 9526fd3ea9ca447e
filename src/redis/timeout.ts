/** Raised when Redis does not answer within `timeoutMs`. */
export class RedisTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`bulwark: Redis did not answer within ${timeoutMs} ms`);
    this.name = 'RedisTimeoutError';
  }
}

interface Pending {
  readonly deadline: number;
  reject: ((error: Error) => void) | undefined;
}

/**
 * Per-call timeouts for one store, without a timer per call: every call of a store has the
 * same `timeoutMs`, so deadlines arrive in call order and one FIFO queue with one timer (armed
 * for the oldest pending call) enforces them all. A hung Redis (paused, partitioned,
 * overloaded) then cannot hold requests open; a late answer is ignored.
 */
export class TimeoutQueue {
  readonly #timeoutMs: number;
  #queue: Pending[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** `promise`, or a RedisTimeoutError once `timeoutMs` has passed. */
  run<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = { deadline: performance.now() + this.#timeoutMs, reject };
      this.#queue.push(pending);
      if (this.#timer === undefined) this.#arm(this.#timeoutMs);
      promise.then(
        (value) => {
          if (pending.reject === undefined) return;
          pending.reject = undefined;
          resolve(value);
        },
        (error: unknown) => {
          if (pending.reject === undefined) return;
          pending.reject = undefined;
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  readonly #expire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    const queue = this.#queue;
    let head = this.#head;
    while (head < queue.length) {
      const p = queue[head];
      if (p === undefined) break;
      if (p.reject !== undefined) {
        if (p.deadline > now) break;
        const reject = p.reject;
        p.reject = undefined;
        reject(new RedisTimeoutError(this.#timeoutMs));
      }
      head++;
    }
    // Compact now and then, so settled entries do not pile up.
    if (head > 1024 && head * 2 > queue.length) {
      this.#queue = queue.slice(head);
      head = 0;
    }
    this.#head = head;
    const next = this.#queue[head];
    if (next !== undefined) {
      this.#arm(Math.max(1, next.deadline - now));
    }
  };

  #arm(delayMs: number): void {
    // Unreferenced: a pending timeout alone must not keep the process alive.
    this.#timer = setTimeout(this.#expire, delayMs).unref();
  }
}
