/**
 * Redis-backed stores. ioredis is an optional peer dependency, imported only here.
 *
 * @packageDocumentation
 * @module bulwark/redis
 */
export {};
