import { ConfigError } from './config-error.js';
import { readCorsEnv } from './cors/from-env.js';
import type { CorsOptions } from './cors/types.js';
import { readSecurityHeadersEnv } from './headers/from-env.js';
import type { Env } from './headers/from-env.js';
import type { SecurityHeadersOptions } from './headers/types.js';
import { parseCidr } from './rate-limit/ip.js';
import { maskUrlCredentials } from './util/mask-url.js';

/** The rate-limit storage a deployment uses. */
export type RateLimitBackend = 'memory' | 'redis';

/** Everything bulwark reads from the environment, typed and validated. */
export interface BulwarkConfig {
  /** Security header options from `SECURITY_HEADER_*` and `SECURITY_HEADERS_PRESET`. */
  readonly securityHeaders: SecurityHeadersOptions;
  /** Rate-limit storage: `RATE_LIMIT_BACKEND`, `RATE_LIMIT_REDIS_URL`, `RQ_REDIS_URL`. */
  readonly rateLimit: {
    /** `RATE_LIMIT_BACKEND`: `memory` (default) or `redis`. */
    readonly backend: RateLimitBackend;
    /** `RATE_LIMIT_REDIS_URL`, falling back to `RQ_REDIS_URL`; set whenever `backend` is `redis`. */
    readonly redisUrl: string | undefined;
  };
  /** `TRUSTED_PROXIES`: IPs and CIDRs whose forwarding headers are believed. Default: none. */
  readonly trustedProxies: readonly string[];
  readonly webhook: {
    /** `WEBHOOK_MAX_PAYLOAD_BYTES`. Default: 1,048,576. */
    readonly maxPayloadBytes: number;
  };
  /**
   * CORS options from `CORS_ORIGINS`, `CORS_CREDENTIALS` and `CORS_MAX_AGE`, ready for
   * `cors(config.cors)`. With `CORS_ORIGINS` unset no origin is allowed.
   */
  readonly cors: CorsOptions;
}

export { ConfigError } from './config-error.js';

/** Default for `WEBHOOK_MAX_PAYLOAD_BYTES`: 1 MiB, Mission Control's limit. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1_048_576;

function readBackend(env: Env, problems: string[]): RateLimitBackend {
  const raw = env.RATE_LIMIT_BACKEND?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'memory') return 'memory';
  if (raw === 'redis') return 'redis';
  problems.push(
    `RATE_LIMIT_BACKEND=${JSON.stringify(env.RATE_LIMIT_BACKEND)}: expected memory or redis`,
  );
  return 'memory';
}

function readRedisUrl(env: Env, backend: RateLimitBackend, problems: string[]): string | undefined {
  const primary = env.RATE_LIMIT_REDIS_URL?.trim();
  const fallback = env.RQ_REDIS_URL?.trim();
  const usePrimary = primary !== undefined && primary !== '';
  const name = usePrimary ? 'RATE_LIMIT_REDIS_URL' : 'RQ_REDIS_URL';
  const url = usePrimary
    ? primary
    : fallback !== undefined && fallback !== ''
      ? fallback
      : undefined;
  if (url === undefined) {
    if (backend === 'redis') {
      problems.push(
        'RATE_LIMIT_BACKEND=redis needs a Redis URL: set RATE_LIMIT_REDIS_URL (or RQ_REDIS_URL), such as redis://localhost:6379/0',
      );
    }
    return undefined;
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')) {
    problems.push(
      `${name}=${JSON.stringify(maskUrlCredentials(url))}: expected a redis:// or rediss:// URL, such as redis://localhost:6379/0`,
    );
    return undefined;
  }
  return url;
}

/** One TRUSTED_PROXIES entry: an IP address or a CIDR block, IPv4 or IPv6 (the rate limiter's own parser). */
export function isIpOrCidr(entry: string): boolean {
  return parseCidr(entry) !== undefined;
}

function readTrustedProxies(env: Env, problems: string[]): readonly string[] {
  const raw = env.TRUSTED_PROXIES;
  if (raw === undefined || raw.trim() === '') return [];
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = entries.filter((e) => !isIpOrCidr(e));
  if (bad.length > 0) {
    problems.push(
      `TRUSTED_PROXIES: ${bad.map((b) => JSON.stringify(b)).join(', ')} ${bad.length === 1 ? 'is not' : 'are not'} an IP address or CIDR; write a comma-separated list such as 10.0.0.0/8, 192.168.1.10, fd00::/8`,
    );
  }
  return entries.filter((e) => isIpOrCidr(e));
}

function readPositiveInteger(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < 1) {
    problems.push(
      `${name}=${JSON.stringify(env[name])}: expected a whole number of bytes, 1 or more, such as ${fallback}`,
    );
    return fallback;
  }
  return Number(raw);
}

/**
 * The whole bulwark configuration from the environment, validated in one place. Throws a
 * {@link ConfigError} listing every bad variable at once, so a deployment is fixed in one
 * round instead of one variable per restart.
 */
export function configFromEnv(env: Env = process.env): BulwarkConfig {
  const problems: string[] = [];
  const securityHeaders = readSecurityHeadersEnv(env, problems);
  const backend = readBackend(env, problems);
  const redisUrl = readRedisUrl(env, backend, problems);
  const trustedProxies = readTrustedProxies(env, problems);
  const maxPayloadBytes = readPositiveInteger(
    env,
    'WEBHOOK_MAX_PAYLOAD_BYTES',
    DEFAULT_MAX_PAYLOAD_BYTES,
    problems,
  );
  const cors = readCorsEnv(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    securityHeaders,
    rateLimit: { backend, redisUrl },
    trustedProxies,
    webhook: { maxPayloadBytes },
    cors,
  };
}
