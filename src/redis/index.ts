// bulwark/redis: the Redis-backed stores. ioredis is an optional peer dependency and is
// imported only from this entry point, so `bulwark` itself never loads it.
export { RedisStore } from './redis-store.js';
export type { RedisStoreOptions } from './redis-store.js';
export type { RedisStoreClient } from './client.js';
export { RedisTimeoutError } from './timeout.js';
