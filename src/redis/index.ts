// bulwark/redis: the Redis-backed stores. ioredis is an optional peer dependency and is
// imported only from this entry point, so `bulwark` itself never loads it.
export { RedisReplayStore, RedisReplayStoreError } from './replay-store.js';
export type { RedisReplayStoreOptions } from './replay-store.js';
