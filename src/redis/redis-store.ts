import { maskUrlCredentials } from 'bulwark';
import type { RateLimitCall, RateLimitDecision, RateLimitPolicy, RateLimitStore } from 'bulwark';
import { clientUrl } from './client.js';
import type { RedisStoreClient } from './client.js';
import {
  ALGORITHM_NUMBER,
  COMBINED_SCRIPT,
  REFUND_SCRIPT,
  RESET_SCRIPT,
  SCRIPTS,
} from './script.js';
import type { LuaScript } from './script.js';
import { TimeoutQueue } from './timeout.js';
import type { PendingCall } from './timeout.js';

/** Options for {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * An ioredis `Redis` or `Cluster` (or anything with `evalsha`, `eval`, `del` and `ping`).
   * `enableOfflineQueue: false` is recommended: commands then fail at once while a single
   * Redis server is away instead of queueing, and the limiter's `onStoreError` policy
   * answers. Not on a Cluster: a stopped node's keys wait the full `timeoutMs` whatever it
   * says (ioredis keeps retrying the slot), so give a Cluster a short `timeoutMs`. Leave
   * `enableAutoPipelining` off for this client: the store already sends one command per
   * event-loop turn, and auto-pipelining would only queue that command again. Required.
   */
  readonly client: RedisStoreClient;
  /**
   * Prefix of every key: counts live in one hash per client key, `<prefix>{<key>}` (a field
   * per limiter), and the sliding log in its own list, `<prefix><limiter name>:{<key>}`.
   * Default: `'bulwark:rl:'`.
   */
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
  /** `<prefix>{`: the client key's hash, which holds every hash-based limiter's fields. */
  readonly hashPrefix: string;
  /** The sliding log's own list, `<prefix><name>:{`; undefined for the other algorithms. */
  readonly listPrefix: string | undefined;
  /** The limiter's fields in the hash: `<name>:a`, `<name>:b`, ... */
  readonly fieldPrefix: string;
  readonly limit: number;
  /** The script's constant arguments, as strings once, not converted per call. */
  readonly limitArg: string;
  readonly windowArg: string;
  /** The algorithm's number in the combined and refund scripts. */
  readonly algorithm: string;
  /**
   * The policy as every decision script reads it: limit, window, countRejected, blockMs,
   * blockMultiplier, maxBlockMs and the field prefix.
   */
  readonly policyArgs: readonly string[];
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The script's reply `[allowed, remaining, resetMs, retryAfterMs, stamp]` as a decision; undefined when malformed. */
function decisionOf(limit: number, reply: unknown): RateLimitDecision | undefined {
  if (!Array.isArray(reply) || reply.length !== 5) return undefined;
  // The stamp is text, or an integer when it is whole milliseconds (the combined fast path).
  const [allowed, remaining, resetMs, retryAfterMs, stamp] = reply as [
    number,
    number,
    number,
    number,
    string | number,
  ];
  const ok = allowed === 1;
  return {
    allowed: ok,
    limit,
    remaining: Math.max(0, remaining),
    resetMs: Math.max(0, resetMs),
    retryAfterMs: ok ? 0 : Math.max(1, retryAfterMs),
    storeUnavailable: false,
    stamp: Number(stamp),
  };
}

const UNEXPECTED = 'bulwark: unexpected reply from the rate-limit script';

/** Resolves a combined request with its decisions, one per limit, or rejects a malformed reply. */
function settleGroup(g: QueuedGroup, reply: unknown): void {
  const { limits } = g;
  if (!Array.isArray(reply) || reply.length !== limits.length) {
    g.reject(new Error(UNEXPECTED));
    return;
  }
  const ds: RateLimitDecision[] = [];
  for (let j = 0; j < limits.length; j++) {
    const d = decisionOf(limits[j] ?? 0, reply[j]);
    if (d === undefined) {
      g.reject(new Error(UNEXPECTED));
      return;
    }
    ds.push(d);
  }
  g.resolve(ds);
}

/** Resolves with the script's reply as a decision. */
function settle(
  limit: number,
  reply: unknown,
  resolve: (d: RateLimitDecision) => void,
  reject: (e: Error) => void,
): void {
  const d = decisionOf(limit, reply);
  if (d === undefined) reject(new Error(UNEXPECTED));
  else resolve(d);
}

/**
 * Limits a request carries together, keyed alike, none of them a sliding log, each costing
 * 1: the usual shape ("10 a second and 100 a minute" per client). Described once per batch,
 * so such a request sends one key and one number instead of two keys and two numbers per
 * limit, to ioredis and to Redis alike.
 */
interface Combination {
  readonly policies: readonly Compiled[];
  readonly limits: readonly number[];
}

/** A node of the combinations known so far, one level per limit, keyed by policy. */
interface CombinationNode {
  /** Weakly held: a limiter made and dropped at run time takes its combinations with it. */
  readonly next: WeakMap<RateLimitPolicy, CombinationNode>;
  combination: Combination | undefined;
}

/** One consumeAll() waiting for its batch: several limits of one request. */
interface QueuedGroup {
  /** The combination's one hash; otherwise two keys per limit. */
  readonly keys: readonly string[];
  readonly combination: Combination | undefined;
  /** Each limit's compiled policy, sent once per batch however many requests use it. */
  readonly policies: readonly Compiled[];
  /** Each limit's cost (unused for a combination: every cost is 1). */
  readonly costs: readonly string[];
  readonly limits: readonly number[];
  readonly now: string;
  readonly resolve: (d: readonly RateLimitDecision[]) => void;
  readonly reject: (e: Error) => void;
  readonly pending: PendingCall;
}

/** The hash tag of a RedisStore key (`...{tag}`): keys with equal tags share a Cluster slot. */
function tagOf(redisKey: string): string {
  const open = redisKey.indexOf('{');
  return redisKey.slice(open + 1, redisKey.indexOf('}', open + 1));
}

/** One consume() waiting for its batch to be sent. */
interface QueuedCall {
  /** The client key's hash, then the algorithm's own key (the hash again, or the log's list). */
  readonly key: string;
  readonly own: string;
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
  #groups = new Map<string, QueuedGroup[]>();
  readonly #combinations: CombinationNode = { next: new WeakMap(), combination: undefined };
  #scheduled = false;
  /** Refusals carry exact retry times: a limiter may remember them and spare the round trip. */
  readonly blockCache = true;

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

  /**
   * The Redis key holding `key`'s count under `policy`: the client key's hash
   * (`<prefix>{<key>}`, one field per limiter, such as `<name>:b`), or for the sliding log its
   * own list (`<prefix><name>:{<key>}`). A block, for any algorithm, is in the hash.
   */
  keyFor(policy: RateLimitPolicy, key: string): string {
    return this.#ownKey(this.#compile(policy), key);
  }

  /** The client key's hash (`<prefix>{<key>}`), where blocks and hash-based counts live. */
  hashFor(key: string): string {
    return `${this.#prefix}{${key}}`;
  }

  #ownKey(c: Compiled, key: string): string {
    return `${c.listPrefix ?? c.hashPrefix}${key}}`;
  }

  consume(policy: RateLimitPolicy, key: string, cost: number): Promise<RateLimitDecision> {
    const c = this.#compile(policy);
    const redisKey = `${c.hashPrefix}${key}}`;
    const now = this.#clock === undefined ? '' : String(this.#clock());
    return new Promise<RateLimitDecision>((resolve, reject) => {
      const call: QueuedCall = {
        key: redisKey,
        own: c.listPrefix === undefined ? redisKey : `${c.listPrefix}${key}}`,
        cost: cost === 1 ? '1' : String(cost),
        now,
        resolve,
        reject,
        pending: this.#timeouts.start(reject),
      };
      // Calls made in the same turn of the event loop travel together: one EVALSHA decides
      // them all, in call order. A Cluster batch holds one key (one hash slot) only.
      const batchKey = this.#cluster ? `${c.fieldPrefix}${redisKey}` : c;
      const batch = this.#queue.get(batchKey);
      if (batch === undefined) this.#queue.set(batchKey, { c, calls: [call] });
      else batch.calls.push(call);
      this.#schedule();
    });
  }

  /**
   * Several limits of one request in one atomic script run (batched with other requests of
   * the same turn). On a Cluster the keys must share a hash tag (one slot): limits keyed
   * alike (two windows on one client IP) are decided here; differently keyed ones (per user
   * and per IP) return undefined, and the limiter decides them one by one with refunds.
   */
  consumeAll(
    calls: readonly RateLimitCall[],
  ): Promise<readonly RateLimitDecision[] | undefined> | undefined {
    const combination = this.#combination(calls);
    let keys: string[];
    let policies: readonly Compiled[];
    const costs: string[] = [];
    let limits: readonly number[];
    if (combination !== undefined) {
      keys = [this.hashFor(calls[0]?.key ?? '')];
      ({ policies, limits } = combination);
    } else {
      keys = [];
      const own: Compiled[] = [];
      const counts: number[] = [];
      for (const call of calls) {
        const c = this.#compile(call.policy);
        keys.push(`${c.hashPrefix}${call.key}}`, this.#ownKey(c, call.key));
        own.push(c);
        costs.push(call.cost === 1 ? '1' : String(call.cost));
        counts.push(c.limit);
      }
      policies = own;
      limits = counts;
    }
    let batchKey = '';
    if (this.#cluster) {
      const tag = tagOf(keys[0] ?? '');
      if (keys.some((k) => tagOf(k) !== tag)) return undefined;
      batchKey = tag;
    }
    const now = this.#clock === undefined ? '' : String(this.#clock());
    return new Promise<readonly RateLimitDecision[]>((resolve, reject) => {
      const group: QueuedGroup = {
        keys,
        combination,
        policies,
        costs,
        limits,
        now,
        resolve,
        reject,
        pending: this.#timeouts.start(reject),
      };
      const batch = this.#groups.get(batchKey);
      if (batch === undefined) this.#groups.set(batchKey, [group]);
      else batch.push(group);
      this.#schedule();
    });
  }

  /** The calls' combination when they have the usual shape (see {@link Combination}). */
  #combination(calls: readonly RateLimitCall[]): Combination | undefined {
    const key = calls[0]?.key;
    let node = this.#combinations;
    for (const call of calls) {
      if (call.key !== key || call.cost !== 1 || call.policy.algorithm === 'sliding-log') {
        return undefined;
      }
      let next = node.next.get(call.policy);
      if (next === undefined) {
        next = { next: new WeakMap(), combination: undefined };
        node.next.set(call.policy, next);
      }
      node = next;
    }
    if (node.combination === undefined && calls.length > 0) {
      const policies = calls.map((call) => this.#compile(call.policy));
      node.combination = { policies, limits: policies.map((c) => c.limit) };
    }
    return node.combination;
  }

  /** Takes back a count (one script run; refunds are rare next to decisions). */
  async refund(policy: RateLimitPolicy, key: string, cost: number, stamp: number): Promise<void> {
    const c = this.#compile(policy);
    const now = this.#clock === undefined ? '' : String(this.#clock());
    const args = [
      c.algorithm,
      c.limitArg,
      c.windowArg,
      String(cost),
      String(stamp),
      now,
      c.fieldPrefix,
    ];
    const keys = [`${c.hashPrefix}${key}}`, this.#ownKey(c, key)];
    await this.#timeouts.run(this.#evalScript(REFUND_SCRIPT, keys, args));
  }

  #schedule(): void {
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
  }

  /** EVALSHA, with EVAL after NOSCRIPT (Redis restarted, or SCRIPT FLUSH). */
  #evalScript(s: LuaScript, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const client = this.#client;
    return client.evalsha(s.sha, keys.length, ...keys, ...args).catch((error: unknown) => {
      if (!isNoScript(error)) throw asError(error);
      return client.eval(s.source, keys.length, ...keys, ...args);
    });
  }

  #sendGroups(groups: readonly QueuedGroup[]): void {
    const keys: string[] = [];
    // Each policy's constants once per batch, and each combination's policy numbers; a
    // request then sends its combination, or a number and a cost per limit.
    const numbers = new Map<Compiled, string>();
    const constants: string[] = [];
    const numberOf = (c: Compiled): string => {
      let n = numbers.get(c);
      if (n === undefined) {
        n = String(numbers.size + 1);
        numbers.set(c, n);
        constants.push(c.algorithm, ...c.policyArgs);
      }
      return n;
    };
    const combinations = new Map<Combination, string>();
    const described: string[] = [];
    const requests: string[] = [];
    for (const g of groups) {
      keys.push(...g.keys);
      const { combination } = g;
      if (combination !== undefined) {
        let n = combinations.get(combination);
        if (n === undefined) {
          n = String(-(combinations.size + 1));
          combinations.set(combination, n);
          described.push(
            String(combination.policies.length),
            ...combination.policies.map(numberOf),
          );
        }
        requests.push(n);
        continue;
      }
      requests.push(String(g.policies.length));
      g.policies.forEach((c, i) => {
        requests.push(numberOf(c), g.costs[i] ?? '1');
      });
    }
    const args = [
      groups[0]?.now ?? '',
      String(groups.length),
      String(numbers.size),
      ...constants,
      String(combinations.size),
      ...described,
      ...requests,
    ];
    const fail = (error: unknown): void => {
      for (const g of groups) if (g.pending.finish()) g.reject(asError(error));
    };
    this.#evalScript(COMBINED_SCRIPT, keys, args).then((reply) => {
      if (!Array.isArray(reply) || reply.length !== groups.length) {
        fail(new Error(UNEXPECTED));
        return;
      }
      groups.forEach((g, q) => {
        if (g.pending.finish()) settleGroup(g, reply[q]);
      });
    }, fail);
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    // Every call queued since the last flush goes out now: their clocks start here.
    this.#timeouts.sent();
    const batches = this.#queue;
    this.#queue = new Map();
    for (const { c, calls } of batches.values()) {
      for (let i = 0; i < calls.length; i += MAX_BATCH)
        this.#send(c, calls.slice(i, i + MAX_BATCH));
    }
    const groups = this.#groups;
    if (groups.size === 0) return;
    this.#groups = new Map();
    for (const batch of groups.values()) {
      for (let i = 0; i < batch.length; i += MAX_BATCH)
        this.#sendGroups(batch.slice(i, i + MAX_BATCH));
    }
  };

  #send(c: Compiled, calls: readonly QueuedCall[]): void {
    const args: string[] = [];
    for (const call of calls) args.push(call.key, call.own);
    args.push(...c.policyArgs);
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
    const keyCount = calls.length * 2;
    client.evalsha(c.script.sha, keyCount, ...args).then(settleAll, (error: unknown) => {
      // Redis restarted or SCRIPT FLUSH: EVAL sends the source and caches it again.
      if (!isNoScript(error)) {
        failAll(calls, asError(error));
        return;
      }
      client.eval(c.script.source, keyCount, ...args).then(settleAll, (retryError: unknown) => {
        failAll(calls, asError(retryError));
      });
    });
  }

  async reset(policy: RateLimitPolicy, key: string): Promise<void> {
    const c = this.#compile(policy);
    // The block too: a reset (a successful login) ends the lockout.
    const keys = [`${c.hashPrefix}${key}}`, this.#ownKey(c, key)];
    await this.#timeouts.run(this.#evalScript(RESET_SCRIPT, keys, [c.fieldPrefix]));
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
        hashPrefix: `${this.#prefix}{`,
        listPrefix:
          policy.algorithm === 'sliding-log' ? `${this.#prefix}${policy.name}:{` : undefined,
        fieldPrefix: `${policy.name}:`,
        limit: policy.limit,
        limitArg: String(policy.limit),
        windowArg: String(policy.windowMs),
        algorithm: String(ALGORITHM_NUMBER[policy.algorithm]),
        policyArgs: [
          String(policy.limit),
          String(policy.windowMs),
          policy.countRejected ? '1' : '0',
          String(policy.blockMs),
          String(policy.blockMultiplier),
          String(policy.maxBlockMs),
          `${policy.name}:`,
        ],
      };
      this.#compiled.set(policy, c);
    }
    return c;
  }
}
