import { describe, expect, it } from 'vitest';
import { compileRateLimit, isPromise } from 'bulwark';
import type { ClientAddressInput } from 'bulwark';

interface Req {
  readonly ip: string;
  readonly org?: string;
}
const peer = (r: Req): ClientAddressInput => ({ remoteAddress: r.ip, headers: {} });

describe('compileRateLimit', () => {
  it('decides a memory-backed limit synchronously, headers and 429 included', () => {
    const check = compileRateLimit<Req>(
      { limiter: { name: 'x', limit: 1, windowMs: 60_000 } },
      peer,
    );
    const first = check({ ip: '192.0.2.1' });
    expect(isPromise(first)).toBe(false);
    expect(first).toEqual({
      headers: {
        'RateLimit-Policy': '"x";q=1;w=60',
        RateLimit: expect.stringMatching(/^"x";r=0;t=\d+$/) as unknown,
      },
      error: undefined,
    });
    const second = check({ ip: '192.0.2.1' });
    if (isPromise(second)) throw new Error('expected a decision now');
    expect(second?.error?.status).toBe(429);
    expect(second?.headers['Retry-After']).toMatch(/^\d+$/);
  });

  it('stays synchronous with synchronous key and skip functions', () => {
    const check = compileRateLimit<Req>(
      {
        limiter: { limit: 1, windowMs: 60_000 },
        key: (r) => r.org ?? 'none',
        skip: (r) => r.org === 'internal',
      },
      peer,
    );
    expect(check({ ip: '192.0.2.1', org: 'internal' })).toBeUndefined();
    expect(check({ ip: '192.0.2.1', org: 'a' })).toMatchObject({ error: undefined });
    // Another IP, same organization: same key, so refused.
    expect(check({ ip: '192.0.2.2', org: 'a' })).toMatchObject({ error: { status: 429 } });
  });

  it('answers with a promise when the key or skip function does', async () => {
    const check = compileRateLimit<Req>(
      {
        limiter: { limit: 1, windowMs: 60_000 },
        key: (r) => Promise.resolve(r.ip),
        skip: () => Promise.resolve(false),
      },
      peer,
    );
    const pending = check({ ip: '192.0.2.1' });
    expect(isPromise(pending)).toBe(true);
    expect(await pending).toMatchObject({ error: undefined });
    expect(await check({ ip: '192.0.2.1' })).toMatchObject({ error: { status: 429 } });
  });

  it('lets a throwing key function throw to the adapter, which turns it into an error', () => {
    const check = compileRateLimit<Req>(
      {
        limiter: { limit: 1, windowMs: 60_000 },
        key: () => {
          throw new Error('no org');
        },
      },
      peer,
    );
    expect(() => check({ ip: '192.0.2.1' })).toThrow('no org');
  });
});
