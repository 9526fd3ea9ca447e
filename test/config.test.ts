import { describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from 'bulwark';

describe('configFromEnv', () => {
  it('gives Mission Control defaults for an empty environment', () => {
    expect(configFromEnv({})).toEqual({
      securityHeaders: {},
      rateLimit: { backend: 'memory', redisUrl: undefined },
      trustedProxies: [],
      webhook: { maxPayloadBytes: 1_048_576 },
      cors: { origins: [] },
    });
  });

  it('reads every variable', () => {
    const config = configFromEnv({
      SECURITY_HEADER_X_FRAME_OPTIONS: 'SAMEORIGIN',
      RATE_LIMIT_BACKEND: 'redis',
      RATE_LIMIT_REDIS_URL: 'redis://localhost:6379/1',
      TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.10,fd00::/8 ,::1',
      WEBHOOK_MAX_PAYLOAD_BYTES: '2048',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:3000',
      CORS_CREDENTIALS: 'true',
      CORS_MAX_AGE: '600',
    });
    expect(config).toEqual({
      securityHeaders: { xFrameOptions: 'SAMEORIGIN' },
      rateLimit: { backend: 'redis', redisUrl: 'redis://localhost:6379/1' },
      trustedProxies: ['10.0.0.0/8', '192.168.1.10', 'fd00::/8', '::1'],
      webhook: { maxPayloadBytes: 2048 },
      cors: {
        origins: ['https://app.example.com', 'http://localhost:3000'],
        credentials: true,
        maxAge: 600,
      },
    });
  });

  it('falls back from RATE_LIMIT_REDIS_URL to RQ_REDIS_URL', () => {
    expect(
      configFromEnv({ RATE_LIMIT_BACKEND: 'redis', RQ_REDIS_URL: 'rediss://cache:6380' }).rateLimit
        .redisUrl,
    ).toBe('rediss://cache:6380');
    expect(
      configFromEnv({ RATE_LIMIT_REDIS_URL: 'redis://a', RQ_REDIS_URL: 'redis://b' }).rateLimit
        .redisUrl,
    ).toBe('redis://a');
  });

  it('redis with neither URL is a startup error that says what to set', () => {
    expect(() => configFromEnv({ RATE_LIMIT_BACKEND: 'redis' })).toThrow(
      /RATE_LIMIT_BACKEND=redis needs a Redis URL: set RATE_LIMIT_REDIS_URL \(or RQ_REDIS_URL\)/,
    );
  });

  it('lists every bad variable at once, credentials masked', () => {
    let error: unknown;
    try {
      configFromEnv({
        RATE_LIMIT_BACKEND: 'memcached',
        RATE_LIMIT_REDIS_URL: 'http://user:hunter2@cache:6379',
        TRUSTED_PROXIES: '10.0.0.0/33, proxy.internal, 1.2.3.4',
        WEBHOOK_MAX_PAYLOAD_BYTES: '1MB',
        SECURITY_HEADER_X_FRAME_OPTIONS: 'DENY\nX: y',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(TypeError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(5);
    const message = (error as Error).message;
    expect(message).toMatch(/RATE_LIMIT_BACKEND="memcached": expected memory or redis/);
    expect(message).toMatch(
      /RATE_LIMIT_REDIS_URL="http:\/\/user:\*\*\*@cache:6379": expected a redis:\/\//,
    );
    expect(message).not.toContain('hunter2');
    expect(message).toMatch(/TRUSTED_PROXIES: "10.0.0.0\/33", "proxy.internal" are not/);
    expect(message).toMatch(/WEBHOOK_MAX_PAYLOAD_BYTES="1MB": expected a whole number/);
    expect(message).toMatch(
      /SECURITY_HEADER_X_FRAME_OPTIONS: X-Frame-Options: the value contains LF/,
    );
  });

  it('rejects a zero payload limit', () => {
    expect(() => configFromEnv({ WEBHOOK_MAX_PAYLOAD_BYTES: '0' })).toThrow(/1 or more/);
  });
});
