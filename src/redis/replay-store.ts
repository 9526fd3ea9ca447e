import type { Cluster, Redis } from 'ioredis';
import { maskUrlCredentials } from 'bulwark';
import type { ReplayStore } from 'bulwark';
import { TimeoutQueue } from './timeout.js';

/** Options for {@link RedisReplayStore}. */
export interface RedisReplayStoreOptions {
  /** An ioredis `Redis` or `Cluster` client; the store never connects or quits it. */
  readonly client: Redis | Cluster;
  /** Prepended to every key (the replay guard adds its own `bulwark:webhook:<scheme>:`). Default: `''`. */
  readonly prefix?: string;
  /**
   * Longest wait for one Redis call, in milliseconds; a slower call fails and the guard's
   * `onStoreError` policy applies, so a hung Redis cannot hang webhook ingest. Default: 500.
   */
  readonly timeoutMs?: number;
}

/** The error a store call fails with; the replay guard logs its message once per outage. */
export class RedisReplayStoreError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'RedisReplayStoreError';
  }
}

/**
 * A {@link ReplayStore} shared by every process through Redis: one `SET key 1 NX PX ttl`
 * per claim, which is atomic, so two processes receiving the same replayed delivery at the
 * same instant cannot both accept it. Works on a Cluster (one key per command).
 */
export class RedisReplayStore implements ReplayStore {
  readonly #client: Redis | Cluster;
  readonly #prefix: string;
  readonly #timeouts: TimeoutQueue;
  readonly #setTimedOut: () => Error;
  readonly #pingTimedOut: () => Error;

  constructor(options: RedisReplayStoreOptions) {
    const { client, prefix = '', timeoutMs = 500 } = options;
    if (typeof (client as Partial<Redis> | undefined)?.set !== 'function') {
      throw new TypeError(
        'bulwark: RedisReplayStore client: expected an ioredis Redis or Cluster; write new RedisReplayStore({ client: new Redis(url) }).',
      );
    }
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new TypeError(
        `bulwark: RedisReplayStore timeoutMs: ${String(timeoutMs)} is not a positive number of milliseconds; write 500.`,
      );
    }
    this.#client = client;
    this.#prefix = prefix;
    this.#timeouts = new TimeoutQueue(timeoutMs);
    const timedOut = (what: string) => () =>
      new RedisReplayStoreError(`Redis ${what} timed out after ${String(timeoutMs)} ms`);
    this.#setTimedOut = timedOut('SET NX');
    this.#pingTimedOut = timedOut('PING');
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const reply = await this.#timeouts.run(
      this.#client.set(this.#prefix + key, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'),
      this.#setTimedOut,
    );
    return reply === 'OK';
  }

  /** Pings Redis; throws a clear error (credentials masked) when it cannot be reached. */
  async ready(): Promise<void> {
    try {
      await this.#timeouts.run(this.#client.ping(), this.#pingTimedOut);
    } catch (error: unknown) {
      const options = this.#client.options as { host?: string; port?: number } | undefined;
      const where =
        options?.host === undefined
          ? 'the configured Redis'
          : maskUrlCredentials(`redis://${options.host}:${options.port ?? 6379}`);
      throw new RedisReplayStoreError(
        `bulwark: webhook replay store: ${where} is not reachable (${error instanceof Error ? error.message : String(error)})`,
        { cause: error },
      );
    }
  }
}
