/** Raised when Redis does not answer within `timeoutMs`. */
export class RedisTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`bulwark: Redis did not answer within ${timeoutMs} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/** One call under a deadline (Infinity until the call is sent: see TimeoutQueue.sent). */
export class PendingCall {
  constructor(
    public deadline: number,
    public onTimeout: ((error: Error) => void) | undefined,
  ) {}

  /** Marks the call answered; false when the timeout already fired (the answer is then ignored). */
  finish(): boolean {
    if (this.onTimeout === undefined) return false;
    this.onTimeout = undefined;
    return true;
  }
}

/**
 * Per-call timeouts for one store, without a timer per call: every call of a store has the
 * same `timeoutMs`, so deadlines arrive in call order and one FIFO queue with one timer (armed
 * for the oldest pending call) enforces them all. A hung Redis (paused, partitioned,
 * overloaded) then cannot hold requests open; a late answer is ignored.
 *
 * Only Redis's time counts against a call: its clock starts when it is sent, not when it is
 * queued for the turn's batch, and a deadline is judged after the sockets have been read. A
 * stall of this process (a long synchronous task, a full GC, a CPU shared with busier
 * neighbours) would otherwise fail calls Redis never saw, or answered in time, and log a
 * healthy store as an outage.
 */
export class TimeoutQueue {
  readonly #timeoutMs: number;
  #queue: PendingCall[] = [];
  #head = 0;
  /** The first call not sent yet: from here on, deadlines are Infinity. */
  #unsent = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Puts one call under the queue's watch; its clock starts at the next {@link sent}.
   * `onTimeout` runs if it is not finished in time after that.
   */
  start(onTimeout: (error: Error) => void): PendingCall {
    const pending = new PendingCall(Infinity, onTimeout);
    this.#queue.push(pending);
    return pending;
  }

  /** Every call started so far has been sent to Redis: their clocks start now. */
  sent(): void {
    const queue = this.#queue;
    if (this.#unsent === queue.length) return;
    const deadline = performance.now() + this.#timeoutMs;
    for (let i = this.#unsent; i < queue.length; i++) {
      const p = queue[i];
      if (p !== undefined) p.deadline = deadline;
    }
    this.#unsent = queue.length;
    if (this.#timer === undefined) this.#arm(this.#timeoutMs);
  }

  /**
   * `promise`, or once `timeoutMs` has passed a RedisTimeoutError (or the error `timedOut`
   * makes, for a caller with its own error type).
   */
  run<T>(promise: Promise<T>, timedOut?: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending = this.start(
        timedOut === undefined
          ? reject
          : () => {
              reject(timedOut());
            },
      );
      // The caller made the call before handing over its promise: it is out already.
      this.sent();
      promise.then(
        (value) => {
          if (pending.finish()) resolve(value);
        },
        (error: unknown) => {
          if (pending.finish()) reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  readonly #expire = (): void => {
    // Node runs due timers before it reads the sockets: after a stall, replies that arrived
    // in time are still unread here. Judged in the check phase, after the poll phase has
    // read them. Referenced: an unreferenced immediate does not wake a loop blocked in poll,
    // so the judgement would wait for unrelated I/O (seconds, with a paused Redis).
    setImmediate(this.#judge);
  };

  readonly #judge = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    const queue = this.#queue;
    let head = this.#head;
    while (head < queue.length) {
      const p = queue[head];
      if (p === undefined) break;
      if (p.onTimeout !== undefined) {
        if (p.deadline > now) break;
        const onTimeout = p.onTimeout;
        p.onTimeout = undefined;
        onTimeout(new RedisTimeoutError(this.#timeoutMs));
      }
      head++;
    }
    // Compact now and then, so settled entries do not pile up.
    if (head > 1024 && head * 2 > queue.length) {
      this.#queue = queue.slice(head);
      this.#unsent = Math.max(0, this.#unsent - head);
      head = 0;
    }
    this.#head = head;
    // The next deadline; none while the oldest pending call waits to be sent (sent() arms).
    const next = this.#queue[head];
    if (next !== undefined && next.deadline !== Infinity) {
      this.#arm(Math.max(1, next.deadline - now));
    }
  };

  #arm(delayMs: number): void {
    // Unreferenced: a pending timeout alone must not keep the process alive.
    this.#timer = setTimeout(this.#expire, delayMs).unref();
  }
}
