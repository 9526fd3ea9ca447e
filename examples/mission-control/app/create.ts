import { Redis } from 'ioredis';
import {
  compileClientIp,
  compileRateLimitHeaders,
  createRateLimiter,
  MemoryStore,
  MISSION_CONTROL_RATE_LIMITS,
} from 'bulwark';
import type { RateLimitStore } from 'bulwark';
import { RedisStore } from 'bulwark/redis';
import type { MissionControlConfig } from './config.js';
import { createAppLogger } from './logger.js';
import type { AppLogger, LogSink } from './logger.js';
import { seed } from './seed.js';
import type { Services } from './services.js';
import { State } from './state.js';

export interface CreatedServices {
  readonly services: Services;
  /** Releases the store (and the Redis connection). */
  close(): Promise<void>;
}

async function createStore(
  config: MissionControlConfig,
  logger: AppLogger,
): Promise<{ store: RateLimitStore; ready: () => Promise<boolean>; close: () => Promise<void> }> {
  const { backend, redisUrl } = config.bulwark.rateLimit;
  if (backend === 'memory' || redisUrl === undefined) {
    const store = new MemoryStore();
    return {
      store,
      ready: () => Promise.resolve(true),
      close: () => {
        store.close();
        return Promise.resolve();
      },
    };
  }
  // No offline queue: while Redis is away a command fails at once and the limiter's policy
  // (fail open, logged once per outage) decides, instead of requests piling up.
  const client = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
  });
  client.on('error', () => {
    // Connection errors surface through the store's policy and /readyz; ioredis retries.
  });
  const store = new RedisStore({ client, prefix: 'mission-control:', timeoutMs: 500 });
  await client.connect().catch(() => undefined);
  try {
    await store.ready(); // Redis is checked at startup: a bad URL or a down server stops the start
  } catch (error) {
    client.disconnect();
    throw error;
  }
  logger.info({ event: 'rate_limit.backend', backend: 'redis' }, 'rate limits stored in Redis');
  return {
    store,
    ready: async () => {
      try {
        await store.ready();
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      client.disconnect();
      await Promise.resolve();
    },
  };
}

/** State, seed data, limiters and the store: everything the three frameworks share. */
export async function createServices(
  config: MissionControlConfig,
  logSink?: LogSink,
): Promise<CreatedServices> {
  const logger = createAppLogger(logSink);
  const state = new State();
  const seeded = await seed(state);
  const { store, ready, close } = await createStore(config, logger);
  // Mission Control's limits: an exact sliding log in which rejected attempts count too, so
  // hammering during a lockout extends it. A store failure lets requests through (fail open)
  // and is logged once per outage.
  const { agentAuth, webhookIngest } = MISSION_CONTROL_RATE_LIMITS;
  const services: Services = {
    state,
    seeded,
    logger,
    headerOptions: config.bulwark.securityHeaders,
    // The frontend reads its remaining quota and the request id to quote in a bug report.
    corsOptions: {
      ...config.bulwark.cors,
      exposedHeaders: ['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Request-Id'],
      logger,
    },
    agentLimiter: createRateLimiter({ ...agentAuth, store, logger, onStoreError: 'allow' }),
    ingestLimiter: createRateLimiter({ ...webhookIngest, store, logger, onStoreError: 'allow' }),
    ingestHeaders: compileRateLimitHeaders(webhookIngest),
    trustedProxies: config.bulwark.trustedProxies,
    clientIp: compileClientIp({ trustedProxies: config.bulwark.trustedProxies }),
    maxPayloadBytes: config.bulwark.webhook.maxPayloadBytes,
    ready,
  };
  return { services, close };
}
