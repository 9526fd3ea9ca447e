/**
 * Redis-backed stores. ioredis is an optional peer dependency, imported only here, so
 * `bulwark` itself never loads it.
 *
 * @packageDocumentation
 * @module bulwark/redis
 */
export { RedisReplayStore, RedisReplayStoreError } from './replay-store.js';
export type { RedisReplayStoreOptions } from './replay-store.js';
export { RedisStore } from './redis-store.js';
export type { RedisStoreOptions } from './redis-store.js';
export type { RedisStoreClient } from './client.js';
export { RedisTimeoutError } from './timeout.js';
