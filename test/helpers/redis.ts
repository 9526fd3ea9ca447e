import { inject } from 'vitest';
import { hasRedisServer } from './redis-server.js';

/** The run's shared Redis URL ('' when there is none outside CI). */
export const redisUrl: string = inject('redisUrl');

/** True when Redis tests cannot run here; never true in CI, where the global setup fails instead. */
export const noRedis: boolean = redisUrl === '';

/** True when private servers and clusters can be started (redis-server installed). */
export const canStartRedis: boolean = hasRedisServer();
