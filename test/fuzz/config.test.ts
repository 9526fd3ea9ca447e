import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, buildSecurityHeaders, configFromEnv, parseCidr } from 'bulwark';
import { fuzz, hostileString } from './settings.js';

const NAMES = [
  'RATE_LIMIT_BACKEND',
  'RATE_LIMIT_REDIS_URL',
  'RQ_REDIS_URL',
  'TRUSTED_PROXIES',
  'WEBHOOK_MAX_PAYLOAD_BYTES',
  'SECURITY_HEADERS_PRESET',
  'SECURITY_HEADER_X_CONTENT_TYPE_OPTIONS',
  'SECURITY_HEADER_X_FRAME_OPTIONS',
  'SECURITY_HEADER_REFERRER_POLICY',
  'SECURITY_HEADER_PERMISSIONS_POLICY',
  'SECURITY_HEADER_TYPO',
  'PATH',
] as const;

const value = fc.oneof(
  hostileString,
  fc.constantFrom(
    'redis',
    'memory',
    ' Redis ',
    'redis://localhost:6379/0',
    'redis://u:p@h:1',
    '1024',
    '0',
    '10.0.0.0/8, ::1',
    'api',
    'web',
    '',
  ),
);
const env = fc.dictionary(fc.constantFrom(...NAMES), value, { maxKeys: NAMES.length });

describe('configFromEnv', () => {
  it('returns a valid configuration or throws one ConfigError listing the problems', () => {
    fc.assert(
      fc.property(env, (vars) => {
        let config: ReturnType<typeof configFromEnv>;
        try {
          config = configFromEnv(vars);
        } catch (error: unknown) {
          expect(error).toBeInstanceOf(ConfigError);
          const { problems, message } = error as ConfigError;
          expect(problems.length).toBeGreaterThan(0);
          // A password in a Redis URL never reaches the message.
          for (const v of Object.values(vars)) {
            const match = /^redis:\/\/[^:@/]*:([^@/]+)@/.exec(v);
            if (match?.[1] !== undefined && match[1].length > 3) {
              expect(message).not.toContain(`:${match[1]}@`);
            }
          }
          return;
        }
        expect(Number.isSafeInteger(config.webhook.maxPayloadBytes)).toBe(true);
        expect(config.webhook.maxPayloadBytes).toBeGreaterThan(0);
        for (const proxy of config.trustedProxies) expect(parseCidr(proxy)).toBeDefined();
        if (config.rateLimit.backend === 'redis') {
          expect(config.rateLimit.redisUrl).toMatch(/^rediss?:\/\//);
        }
        // The header options it returns are accepted by the header builder.
        expect(() => buildSecurityHeaders(config.securityHeaders)).not.toThrow();
      }),
      fuzz,
    );
  });

  it('is deterministic: the same environment gives the same answer', () => {
    fc.assert(
      fc.property(env, (vars) => {
        const run = () => {
          try {
            return configFromEnv(vars);
          } catch (error: unknown) {
            return (error as Error).message;
          }
        };
        expect(run()).toEqual(run());
      }),
      fuzz,
    );
  });
});
