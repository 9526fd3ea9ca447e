import { describe, expect, it } from 'vitest';
import { configFromEnv, ConfigError } from 'bulwark';

const problems = (env: Record<string, string>): readonly string[] => {
  try {
    configFromEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('configFromEnv: rate limiting', () => {
  it('defaults to memory and no trusted proxies', () => {
    const c = configFromEnv({});
    expect(c.rateLimit).toEqual({ backend: 'memory', redisUrl: undefined });
    expect(c.trustedProxies).toEqual([]);
  });

  it('redis uses RATE_LIMIT_REDIS_URL, falling back to RQ_REDIS_URL', () => {
    expect(
      configFromEnv({ RATE_LIMIT_BACKEND: 'redis', RQ_REDIS_URL: 'redis://q:6379/1' }).rateLimit,
    ).toEqual({ backend: 'redis', redisUrl: 'redis://q:6379/1' });
    expect(
      configFromEnv({
        RATE_LIMIT_BACKEND: 'Redis',
        RATE_LIMIT_REDIS_URL: 'rediss://r:6380/0',
        RQ_REDIS_URL: 'redis://q:6379/1',
      }).rateLimit.redisUrl,
    ).toBe('rediss://r:6380/0');
  });

  it('redis with neither URL is a startup error; a bad URL is masked', () => {
    expect(problems({ RATE_LIMIT_BACKEND: 'redis' })[0]).toMatch(/set RATE_LIMIT_REDIS_URL/);
    const bad = problems({
      RATE_LIMIT_BACKEND: 'redis',
      RATE_LIMIT_REDIS_URL: 'http://u:secret@h',
    });
    expect(bad[0]).toContain('http://u:***@h');
    expect(bad[0]).not.toContain('secret');
    expect(problems({ RATE_LIMIT_BACKEND: 'mongo' })[0]).toMatch(/expected memory or redis/);
  });

  it('TRUSTED_PROXIES accepts IPs and CIDRs of both families and lists bad entries', () => {
    expect(
      configFromEnv({ TRUSTED_PROXIES: ' 10.0.0.0/8, 192.168.1.10 ,fd00::/8, ::ffff:10.0.0.0/104' })
        .trustedProxies,
    ).toEqual(['10.0.0.0/8', '192.168.1.10', 'fd00::/8', '::ffff:10.0.0.0/104']);
    const p = problems({ TRUSTED_PROXIES: '10.0.0.0/33, proxy.local, 10.0.0.1' });
    expect(p[0]).toContain('"10.0.0.0/33", "proxy.local" are not');
  });
});
