import { maskUrlCredentials } from 'bulwark';
import type { RateLimitDecision, RateLimitPolicy, RateLimitStore } from 'bulwark';
import { clientUrl } from './client.js';
import type { RedisStoreClient } from './client.js';
import { SCRIPTS } from './script.js';
import type { LuaScript } from './script.js';
import { TimeoutQueue } from './timeout.js';
import type { PendingCall } from './timeout.js';

/** Options for {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * An ioredis `Redis` or `Cluster` (or anything with `evalsha`, `eval`, `del` and `ping`).
   * `enableOfflineQueue: false` is recommended: commands then fail at once while Redis is
   * away instead of queueing, and the limiter's `onStoreError` policy answers. Leave
   * `enableAutoPipelining` off for this client: the store already sends one command per
   * event-loop turn, and auto-pipelining would only queue that command again. Required.
   */
  readonly client: RedisStoreClient;
  /** Prefix of every key: `<prefix><limiter name>:{<key>}`. Default: `'bulwark:rl:'`. */
  readonly prefix?: string;
  /**
   * The longest a decision may wait for Redis, in milliseconds; past it the call fails and
   * the limiter's `onStoreError` policy decides. Default: `500`.
   */
  readonly timeoutMs?: number;
  /**
   * For tests only: take the time from this clock (epoch ms) instead of Redis TIME.
   * Default: Redis TIME, so every app server agrees whatever its own clock says.
   */
  readonly clock?: () => number;
}

interface Compiled {
  readonly script: LuaScript;
  readonly keyPrefix: string;
  readonly limit: number;
  /** The script's constant arguments, as strings once, not converted per call. */
  readonly limitArg: string;
  readonly windowArg: string;
  readonly countRejected: string;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Resolves with the script's reply `[allowed, remaining, resetMs, retryAfterMs]` as a decision. */
function settle(
  limit: number,
  reply: unknown,
  resolve: (d: RateLimitDecision) => void,
  reject: (e: Error) => void,
): void {
  if (!Array.isArray(reply) || reply.length !== 4) {
    reject(new Error('bulwark: unexpected reply from the rate-limit script'));
    return;
  }
  const [allowed, remaining, resetMs, retryAfterMs] = reply as number[];
  const ok = allowed === 1;
  resolve({
    allowed: ok,
    limit,
    remaining: Math.max(0, remaining ?? 0),
    resetMs: Math.max(0, resetMs ?? 0),
    retryAfterMs: ok ? 0 : Math.max(1, retryAfterMs ?? 1),
    storeUnavailable: false,
  });
}

/** One consume() waiting for its batch to be sent. */
interface QueuedCall {
  readonly key: string;
  readonly cost: string;
  readonly now: string;
  readonly resolve: (d: RateLimitDecision) => void;
  readonly reject: (e: Error) => void;
  readonly pending: PendingCall;
}

/** Decisions per script run at most, so one script never holds Redis for long. */
const MAX_BATCH = 128;

function failAll(calls: readonly QueuedCall[], error: Error): void {
  for (const call of calls) if (call.pending.finish()) call.reject(error);
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * A rate-limit store in Redis, shared by every process (and every Cluster node) that uses
 * the same Redis. Decisions are EVALSHA runs of the algorithm's Lua script (atomic; the
 * decisions made in one turn of the event loop share one round trip), with the script loaded again transparently after NOSCRIPT (a restarted Redis
 * or SCRIPT FLUSH). Keys are `<prefix><name>:{<key>}`: the hash tag keeps a decision in one
 * Cluster slot while different keys spread across slots, and every key has a TTL so idle
 * keys vanish.
 */
export class RedisStore implements RateLimitStore {
  readonly #client: RedisStoreClient;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #timeouts: TimeoutQueue;
  readonly #clock: (() => number) | undefined;
  readonly #compiled = new WeakMap<RateLimitPolicy, Compiled>();
  readonly #cluster: boolean;
  #queue = new Map<Compiled | string, { c: Compiled; calls: QueuedCall[] }>();
  #scheduled = false;

  constructor(options: RedisStoreOptions) {
    const { client, prefix = 'bulwark:rl:', timeoutMs = 500, clock } = options;
    if (typeof client !== 'object' || typeof client.evalsha !== 'function') {
      throw new TypeError(
        'bulwark: RedisStore client: not a Redis client; pass new Redis(url, { enableOfflineQueue: false }) from ioredis.',
      );
    }
    if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
      throw new TypeError(
        `bulwark: RedisStore prefix: ${JSON.stringify(prefix)} must be a string without '{' or '}' (they would move the Cluster hash tag); write a prefix such as 'bulwark:rl:'.`,
      );
    }
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
      throw new TypeError(
        `bulwark: RedisStore timeoutMs: ${String(timeoutMs)} is not a whole number of milliseconds, 1 or more; write a timeout such as 500.`,
      );
    }
    this.#client = client;
    this.#prefix = prefix;
    this.#timeoutMs = timeoutMs;
    this.#timeouts = new TimeoutQueue(timeoutMs);
    this.#clock = clock;
    this.#cluster = (client as { isCluster?: unknown }).isCluster === true;
  }

  /** The Redis key for `key` under `policy`. */
  keyFor(policy: RateLimitPolicy, key: string): string {
    return `${this.#compile(policy).keyPrefix}${key}}`;
  }

  consume(policy: RateLimitPolicy, key: string, cost: number): Promise<RateLimitDecision> {
    const c = this.#compile(policy);
    const redisKey = `${c.keyPrefix}${key}}`;
    const now = this.#clock === undefined ? '' : String(this.#clock());
    return new Promise<RateLimitDecision>((resolve, reject) => {
      const call: QueuedCall = {
        key: redisKey,
        cost: cost === 1 ? '1' : String(cost),
        now,
        resolve,
        reject,
        pending: this.#timeouts.start(reject),
      };
      // Calls made in the same turn of the event loop travel together: one EVALSHA decides
      // them all, in call order. A Cluster batch holds one key (one hash slot) only.
      const batchKey = this.#cluster ? redisKey : c;
      const batch = this.#queue.get(batchKey);
      if (batch === undefined) this.#queue.set(batchKey, { c, calls: [call] });
      else batch.calls.push(call);
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(this.#flush);
      }
    });
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    const batches = this.#queue;
    this.#queue = new Map();
    for (const { c, calls } of batches.values()) {
      for (let i = 0; i < calls.length; i += MAX_BATCH)
        this.#send(c, calls.slice(i, i + MAX_BATCH));
    }
  };

  #send(c: Compiled, calls: readonly QueuedCall[]): void {
    const args: string[] = calls.map((call) => call.key);
    args.push(c.limitArg, c.windowArg, c.countRejected);
    for (const call of calls) args.push(call.cost, call.now);
    const settleAll = (reply: unknown): void => {
      if (!Array.isArray(reply) || reply.length !== calls.length) {
        failAll(calls, new Error('bulwark: unexpected reply from the rate-limit script'));
        return;
      }
      calls.forEach((call, i) => {
        if (call.pending.finish()) settle(c.limit, reply[i], call.resolve, call.reject);
      });
    };
    const client = this.#client;
    client.evalsha(c.script.sha, calls.length, ...args).then(settleAll, (error: unknown) => {
      // Redis restarted or SCRIPT FLUSH: EVAL sends the source and caches it again.
      if (!isNoScript(error)) {
        failAll(calls, asError(error));
        return;
      }
      client.eval(c.script.source, calls.length, ...args).then(settleAll, (retryError: unknown) => {
        failAll(calls, asError(retryError));
      });
    });
  }

  async reset(policy: RateLimitPolicy, key: string): Promise<void> {
    await this.#timeouts.run(this.#client.del(this.keyFor(policy, key)));
  }

  /**
   * Checks that Redis answers (PING): call it at startup so a wrong URL or a down server is
   * a clear startup error. The error message names the server with its password masked.
   */
  async ready(timeoutMs = Math.max(this.#timeoutMs, 2_000)): Promise<void> {
    try {
      await new TimeoutQueue(timeoutMs).run(this.#client.ping());
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `bulwark: Redis at ${maskUrlCredentials(clientUrl(this.#client))} is not reachable: ${reason}`,
        { cause: error },
      );
    }
  }

  #compile(policy: RateLimitPolicy): Compiled {
    let c = this.#compiled.get(policy);
    if (c === undefined) {
      c = {
        script: SCRIPTS[policy.algorithm],
        keyPrefix: `${this.#prefix}${policy.name}:{`,
        limit: policy.limit,
        limitArg: String(policy.limit),
        windowArg: String(policy.windowMs),
        countRejected: policy.countRejected ? '1' : '0',
      };
      this.#compiled.set(policy, c);
    }
    return c;
  }
}
