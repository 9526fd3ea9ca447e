import { describe, expect, it } from 'vitest';
import {
  MemoryStore,
  UNKNOWN_CLIENT,
  compileRateLimit,
  createRateLimiter,
  isPromise,
} from 'bulwark';
import type { ClientAddressInput } from 'bulwark';
import { captureLog } from '../helpers/log-capture.js';

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

describe('compileRateLimit: one request, one count per limit', () => {
  const ip = (r: { ip: string }): ClientAddressInput => ({ remoteAddress: r.ip, headers: {} });
  const carrier = (r: object): object => r;

  it('counts a request once when the same limiter checks it twice', () => {
    const limiter = createRateLimiter({ name: 'twice', limit: 2, windowMs: 60_000 });
    const outer = compileRateLimit({ limiter }, ip, carrier);
    const inner = compileRateLimit({ limiter }, ip, carrier);
    const request = { ip: '192.0.2.7' };
    const a = outer(request);
    const b = inner(request);
    if (isPromise(a) || isPromise(b)) throw new Error('expected decisions now');
    expect(a?.headers.RateLimit).toBe(b?.headers.RateLimit);
    expect(a?.headers.RateLimit).toMatch(/r=1;/);
  });

  it('counts again under another key, and for limiters that share nothing', () => {
    const limiter = createRateLimiter({ name: 'k', limit: 5, windowMs: 60_000 });
    const byIp = compileRateLimit({ limiter }, ip, carrier);
    const byOrg = compileRateLimit({ limiter, key: () => 'org-1' }, ip, carrier);
    const other = compileRateLimit(
      { limiter: { name: 'k', limit: 5, windowMs: 60_000 } },
      ip,
      carrier,
    );
    const request = { ip: '192.0.2.8' };
    const results = [byIp(request), byOrg(request), other(request)];
    expect(results.map((r) => (isPromise(r) ? 'pending' : r?.headers.RateLimit))).toEqual([
      expect.stringMatching(/^"k";r=4;/),
      expect.stringMatching(/^"k";r=4;/),
      expect.stringMatching(/^"k";r=4;/),
    ]);
    // The first check again on the same request: counted already.
    const again = byIp(request);
    if (isPromise(again)) throw new Error('expected a decision now');
    expect(again?.headers.RateLimit).toMatch(/^"k";r=4;/);
  });

  it('treats limiters with one store and one policy as one limit', () => {
    const store = new MemoryStore();
    const make = () => createRateLimiter({ name: 'shared', limit: 3, windowMs: 60_000, store });
    const first = compileRateLimit({ limiter: make() }, ip, carrier);
    const second = compileRateLimit({ limiter: make() }, ip, carrier);
    const stricter = compileRateLimit(
      { limiter: createRateLimiter({ name: 'shared', limit: 1, windowMs: 60_000, store }) },
      ip,
      carrier,
    );
    const request = { ip: '192.0.2.9' };
    const a = first(request);
    const b = second(request);
    const c = stricter(request);
    if (isPromise(a) || isPromise(b) || isPromise(c)) throw new Error('expected decisions now');
    expect(a?.headers.RateLimit).toMatch(/r=2;/);
    expect(b?.headers.RateLimit).toMatch(/r=2;/);
    // Another policy on the same keys is its own limit, and is checked (not skipped as
    // "counted already"): the two counts already there exceed its limit of 1.
    expect(c?.error?.status).toBe(429);
  });
});

describe('compileRateLimit: a proxy nobody listed', () => {
  it("warns once through the limiter's logger when no middleware logger is given", () => {
    const log = captureLog();
    const check = compileRateLimit<{ xff: string }>(
      { limiter: { name: 'p', limit: 100, windowMs: 60_000, logger: log.logger } },
      (r) => ({ remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': r.xff } }),
    );
    void check({ xff: '203.0.113.1' });
    void check({ xff: '203.0.113.2' });
    expect(log.misuse()).toEqual([
      expect.stringMatching(/^warn: misuse\.untrusted_proxy: requests from 10\.0\.0\.2/),
    ]);
  });

  it('stays quiet once trustedProxies lists the proxy', () => {
    const log = captureLog();
    const check = compileRateLimit<object>(
      {
        limiter: { limit: 100, windowMs: 60_000, logger: log.logger },
        trustedProxies: ['10.0.0.0/8'],
      },
      () => ({ remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': '203.0.113.1' } }),
    );
    void check({});
    expect(log.lines).toEqual([]);
  });
});

describe('compileRateLimit: a runtime that gives no client address', () => {
  // A Fetch `Request` carries no peer: keying every client to one shared bucket would let
  // one client exhaust everyone's limit, and passing would leave the route unlimited.
  it('refuses with 500 client_address_unavailable and logs misuse.client_address once', () => {
    const log = captureLog();
    const limiter = createRateLimiter({ name: 'n', limit: 100, windowMs: 60_000 });
    const check = compileRateLimit<object>({ limiter, logger: log.logger }, () => undefined);
    for (let i = 0; i < 3; i++) {
      const outcome = check({});
      if (isPromise(outcome)) throw new Error('expected a decision now');
      expect(outcome?.error?.status).toBe(500);
      expect(outcome?.error?.code).toBe('client_address_unavailable');
      expect(outcome?.headers).toEqual({});
    }
    expect(log.misuse()).toEqual([
      expect.stringMatching(
        /^error: misuse\.client_address: rateLimit is keyed by client IP, but this runtime gave no client address.*give rateLimit a key/,
      ),
    ]);
  });

  it('refuses the same way behind a skip function, and counts nothing', async () => {
    const log = captureLog();
    const limiter = createRateLimiter({ name: 'n', limit: 1, windowMs: 60_000 });
    const check = compileRateLimit<object>(
      { limiter, logger: log.logger, skip: () => Promise.resolve(false) },
      () => undefined,
    );
    expect((await check({}))?.error?.code).toBe('client_address_unavailable');
    // Not counted under the shared key a missing address would once have fallen back to.
    expect((await limiter.consume(UNKNOWN_CLIENT)).allowed).toBe(true);
  });

  it('needs no address when a key function names the client', () => {
    const log = captureLog();
    const check = compileRateLimit<{ org: string }>(
      { limiter: { limit: 1, windowMs: 60_000 }, key: (r) => r.org, logger: log.logger },
      () => undefined,
    );
    const outcome = check({ org: 'acme' });
    if (isPromise(outcome)) throw new Error('expected a decision now');
    expect(outcome?.error).toBeUndefined();
    expect(log.lines).toEqual([]);
  });
});
