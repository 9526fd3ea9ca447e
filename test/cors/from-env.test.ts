import { describe, expect, it } from 'vitest';
import { ConfigError, compileCors, corsFromEnv } from 'bulwark';

describe('corsFromEnv', () => {
  it('allows no origin when CORS_ORIGINS is unset or blank', () => {
    expect(corsFromEnv({})).toEqual({ origins: [] });
    expect(corsFromEnv({ CORS_ORIGINS: ' ' })).toEqual({ origins: [] });
    const policy = compileCors(corsFromEnv({}));
    expect(
      policy.decide({ method: 'GET', headers: { origin: 'https://a.example.com' } }, {}),
    ).toEqual({ headers: {}, vary: 'Origin', preflight: false });
  });

  it("reads '*', a list, CORS_CREDENTIALS and CORS_MAX_AGE", () => {
    expect(corsFromEnv({ CORS_ORIGINS: '*' })).toEqual({ origins: '*' });
    expect(
      corsFromEnv({
        CORS_ORIGINS: 'https://App.example.com,https://admin.example.com ',
        CORS_CREDENTIALS: 'TRUE',
        CORS_MAX_AGE: '0',
      }),
    ).toEqual({
      origins: ['https://App.example.com', 'https://admin.example.com'],
      credentials: true,
      maxAge: 0,
    });
  });

  it('lists every bad variable at once, with what to write', () => {
    let error: unknown;
    try {
      corsFromEnv({
        CORS_ORIGINS: '*,https://app.example.com/,app.example.com',
        CORS_CREDENTIALS: 'yes',
        CORS_MAX_AGE: '600000',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^CORS_ORIGINS: "https:\/\/app\.example\.com\/": it ends with a slash/),
      expect.stringMatching(/^CORS_ORIGINS: "app\.example\.com": it has no scheme/),
      expect.stringMatching(/^CORS_ORIGINS: \* is mixed with other origins/),
      expect.stringMatching(/^CORS_CREDENTIALS="yes": expected true or false/),
      expect.stringMatching(/^CORS_MAX_AGE="600000": expected a whole number of seconds/),
    ]);
  });

  it('refuses CORS_ORIGINS=* with CORS_CREDENTIALS=true', () => {
    expect(() => corsFromEnv({ CORS_ORIGINS: '*', CORS_CREDENTIALS: 'true' })).toThrow(
      /CORS_ORIGINS=\* with CORS_CREDENTIALS=true.*list the frontend origins/,
    );
  });
});
