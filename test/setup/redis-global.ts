import type { TestProject } from 'vitest/node';
import { hasRedisServer, startRedisServer } from '../helpers/redis-server.js';
import type { RedisServer } from '../helpers/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the run's shared Redis, or '' when none is available (never in CI). */
    redisUrl: string;
  }
}

/**
 * One redis-server for the whole run, on a free port, stopped afterwards. REDIS_URL points
 * at an existing server instead. With CI=true a missing redis-server fails the run, so
 * Redis tests are never skipped silently where it matters.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const existing = process.env.REDIS_URL;
  if (existing !== undefined && existing !== '') {
    project.provide('redisUrl', existing);
    return () => Promise.resolve();
  }
  if (!hasRedisServer()) {
    if (process.env.CI === 'true') {
      throw new Error(
        'redis-server is not installed; CI must run the Redis tests (install redis-server or set REDIS_URL).',
      );
    }
    console.warn(
      '[bulwark tests] redis-server not found: Redis tests will be skipped (set REDIS_URL or install redis-server).',
    );
    project.provide('redisUrl', '');
    return () => Promise.resolve();
  }
  const server: RedisServer = await startRedisServer();
  project.provide('redisUrl', server.url);
  return () => server.stop();
}
