import { suggest } from '../util/suggest.js';
import { ALGORITHM_NAMES } from './algorithms.js';
import type {
  RateLimitAlgorithm,
  RateLimitEvent,
  RateLimiterOptions,
  RateLimitLogger,
  RateLimitStore,
  StoreErrorPolicy,
} from './types.js';
import { failOption } from '../util/options.js';

/** Letters, digits, `.`, `_`, `-`: safe inside a Redis key's hash tag and a structured-field string. */
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** The largest limit the sliding log accepts: it keeps one timestamp per unit per key. */
export const MAX_SLIDING_LOG_LIMIT = 100_000;

function fail(option: string, problem: string, instead: string): never {
  return failOption('rate limit', option, problem, instead);
}

function positiveInteger(option: string, value: unknown, example: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    fail(
      option,
      value === undefined
        ? 'is missing'
        : `${typeof value === 'number' ? String(value) : JSON.stringify(value)} is not a whole number, 1 or more`,
      `write a whole number such as ${example}`,
    );
  }
  return value;
}

/** The options of {@link createRateLimiter} with defaults applied, checked once at creation. */
export interface ValidRateLimiterOptions {
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
  readonly algorithm: RateLimitAlgorithm;
  readonly countRejected: boolean;
  readonly blockMs: number;
  readonly blockMultiplier: number;
  readonly maxBlockMs: number;
  readonly blockCache: boolean;
  readonly onLimitReached: ((event: RateLimitEvent) => void) | undefined;
  readonly onDecision: ((event: RateLimitEvent) => void) | undefined;
  readonly store: RateLimitStore | undefined;
  readonly onStoreError: StoreErrorPolicy;
  readonly logger: RateLimitLogger;
  readonly clock: () => number;
}

export function validateRateLimiterOptions(options: RateLimiterOptions): ValidRateLimiterOptions {
  if (typeof options !== 'object' || (options as unknown) === null) {
    fail('options', 'missing', 'pass an object such as { limit: 20, windowMs: 60_000 }');
  }
  const name = options.name ?? 'default';
  if (typeof name !== 'string' || !NAME.test(name)) {
    fail(
      'name',
      `${JSON.stringify(name)} is not a short name`,
      "use letters, digits, '.', '_' and '-' (at most 64), such as 'agent-auth'",
    );
  }
  const limit = positiveInteger('limit', options.limit, '20');
  const windowMs = positiveInteger('windowMs', options.windowMs, '60_000 (one minute)');
  const algorithm = options.algorithm ?? 'sliding-window';
  if (!ALGORITHM_NAMES.includes(algorithm)) {
    const hint = typeof algorithm === 'string' ? suggest(algorithm, ALGORITHM_NAMES) : undefined;
    fail(
      'algorithm',
      `${JSON.stringify(algorithm)} is not an algorithm${hint === undefined ? '' : ` (${hint})`}`,
      `write one of ${ALGORITHM_NAMES.map((a) => `'${a}'`).join(', ')}`,
    );
  }
  if (algorithm === 'sliding-log' && limit > MAX_SLIDING_LOG_LIMIT) {
    fail(
      'limit',
      `${limit} is too large for 'sliding-log', which stores one timestamp per unit`,
      `use 'sliding-window' for limits above ${MAX_SLIDING_LOG_LIMIT}`,
    );
  }
  const countRejected = options.countRejected ?? false;
  if (typeof countRejected !== 'boolean')
    fail('countRejected', 'is not a boolean', 'write true or false');
  const { blockMs, blockMultiplier, maxBlockMs } = checkBlock(options);
  const blockCache = options.blockCache ?? true;
  if (typeof blockCache !== 'boolean')
    fail('blockCache', 'is not a boolean', 'write true or false');
  const onLimitReached = eventHandler('onLimitReached', options.onLimitReached);
  const onDecision = eventHandler('onDecision', options.onDecision);
  const store = options.store;
  if (store !== undefined && (typeof store !== 'object' || typeof store.consume !== 'function')) {
    fail('store', 'is not a store', 'pass new MemoryStore() or new RedisStore({ client })');
  }
  const onStoreError = options.onStoreError ?? 'allow';
  if (
    onStoreError !== 'allow' &&
    onStoreError !== 'deny' &&
    typeof (onStoreError as { fallback?: { decide?: unknown } } | null)?.fallback?.decide !==
      'function'
  ) {
    fail(
      'onStoreError',
      `${JSON.stringify(onStoreError)} is not a policy`,
      "write 'allow', 'deny' or { fallback: createRateLimiter({ ... }) }",
    );
  }
  const logger = options.logger ?? console;
  if (typeof logger.warn !== 'function') {
    fail('logger', 'has no warn function', 'pass console or a pino/winston logger');
  }
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') fail('clock', 'is not a function', 'pass () => Date.now()');
  return {
    name,
    limit,
    windowMs,
    algorithm,
    countRejected,
    blockMs,
    blockMultiplier,
    maxBlockMs,
    blockCache,
    onLimitReached,
    onDecision,
    store,
    onStoreError,
    logger,
    clock,
  };
}

/** The default cap of a growing block: a day. */
export const DEFAULT_MAX_BLOCK_MS = 86_400_000;

function checkBlock(options: RateLimiterOptions): {
  blockMs: number;
  blockMultiplier: number;
  maxBlockMs: number;
} {
  const blockMs = options.blockMs ?? 0;
  if (typeof blockMs !== 'number' || !Number.isSafeInteger(blockMs) || blockMs < 0) {
    fail(
      'blockMs',
      `${String(blockMs)} is not a whole number of milliseconds, 0 or more`,
      'write a block such as 15 * 60_000 (a quarter of an hour), or 0 for none',
    );
  }
  const blockMultiplier = options.blockMultiplier ?? 1;
  if (
    typeof blockMultiplier !== 'number' ||
    !Number.isFinite(blockMultiplier) ||
    blockMultiplier < 1
  ) {
    fail(
      'blockMultiplier',
      `${String(blockMultiplier)} is not a number, 1 or more`,
      'write 2 to double the block on each repeat offence, or 1 for a fixed block',
    );
  }
  if (
    blockMs === 0 &&
    (options.blockMultiplier !== undefined || options.maxBlockMs !== undefined)
  ) {
    fail(
      options.blockMultiplier === undefined ? 'maxBlockMs' : 'blockMultiplier',
      'has no block to act on',
      'also set blockMs, the first block, such as blockMs: 60_000',
    );
  }
  const maxBlockMs = options.maxBlockMs ?? Math.max(DEFAULT_MAX_BLOCK_MS, blockMs);
  if (typeof maxBlockMs !== 'number' || !Number.isSafeInteger(maxBlockMs) || maxBlockMs < blockMs) {
    fail(
      'maxBlockMs',
      `${String(maxBlockMs)} is not a whole number of milliseconds at least blockMs (${blockMs})`,
      `write a cap such as ${Math.max(blockMs, 1) * 16}`,
    );
  }
  return { blockMs, blockMultiplier, maxBlockMs };
}

function eventHandler(
  option: string,
  value: unknown,
): ((event: RateLimitEvent) => void) | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') {
    fail(option, 'is not a function', `write ${option}: (event) => { ... }`);
  }
  return value as (event: RateLimitEvent) => void;
}

/** Rejects a cost that is not a whole number from 1 to the limit: a programming error, caught at the call. */
export function checkCost(cost: unknown, limit: number): void {
  if (typeof cost !== 'number' || !Number.isSafeInteger(cost) || cost < 1) {
    throw new TypeError(
      `bulwark: rate limit cost ${String(cost)} is not a whole number, 1 or more; pass a cost such as 1.`,
    );
  }
  if (cost > limit) {
    throw new TypeError(
      `bulwark: rate limit cost ${cost} exceeds the limit ${limit}, so it could never pass; raise the limit or lower the cost.`,
    );
  }
}
