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

/** The outcome now: these checks run on memory stores with synchronous keys. */
function now<T>(value: T | Promise<T>): T {
  if (isPromise(value)) throw new Error('expected a decision now');
  return value;
}

interface User {
  readonly ip: string;
  readonly user?: string;
  readonly via?: string;
}
const clientOf = (r: User): ClientAddressInput => ({
  remoteAddress: r.via ?? r.ip,
  headers: r.via === undefined ? {} : { 'x-forwarded-for': r.ip },
});

describe('compileRateLimit: several limits', () => {
  it('admits only when every limit admits; headers list every policy and report the closest', () => {
    const check = compileRateLimit<User>(
      {
        limiter: [
          { name: 'burst', limit: 2, windowMs: 1_000 },
          { name: 'sustained', limit: 3, windowMs: 60_000 },
        ],
      },
      clientOf,
    );
    const first = now(check({ ip: '192.0.2.1' }))!;
    expect(first.error).toBeUndefined();
    expect(first.headers['RateLimit-Policy']).toBe('"burst";q=2;w=1, "sustained";q=3;w=60');
    expect(first.headers.RateLimit).toMatch(/^"burst";r=1;/);
    now(check({ ip: '192.0.2.1' }));
    const third = now(check({ ip: '192.0.2.1' }))!;
    expect(third.error?.status).toBe(429);
    expect(third.headers.RateLimit).toMatch(/^"burst";r=0;/);
    expect(third.headers['Retry-After']).toMatch(/^[12]$/);
  });

  it('keys each entry by its own key function, or the client IP', () => {
    const perUser = createRateLimiter({ name: 'user', limit: 1, windowMs: 60_000 });
    const perIp = createRateLimiter({ name: 'ip', limit: 3, windowMs: 60_000 });
    const check = compileRateLimit<User>(
      { limiter: [{ limiter: perUser, key: (r) => r.user ?? 'anonymous' }, perIp] },
      clientOf,
    );
    expect(now(check({ ip: '192.0.2.1', user: 'alice' }))?.error).toBeUndefined();
    // alice again from another IP: her own limit refuses.
    expect(now(check({ ip: '192.0.2.2', user: 'alice' }))?.error?.status).toBe(429);
    // bob from alice's first IP: counted under that IP, which has room.
    expect(now(check({ ip: '192.0.2.1', user: 'bob' }))?.error).toBeUndefined();
    expect(now(check({ ip: '192.0.2.1', user: 'carol' }))?.error).toBeUndefined();
    expect(now(check({ ip: '192.0.2.1', user: 'dave' }))?.error?.status).toBe(429);
  });

  it('keys IPv6 clients by each entry ipv6Subnet: /64 by default, /48 where asked', () => {
    const keys: string[] = [];
    const record = {
      onDecision: (e: { limiter: string; key: string }) => keys.push(`${e.limiter} ${e.key}`),
    };
    const check = compileRateLimit<User>(
      {
        limiter: [
          { name: 'subscriber', limit: 2, windowMs: 60_000, ...record },
          { limiter: { name: 'site', limit: 3, windowMs: 60_000, ...record }, ipv6Subnet: 48 },
        ],
      },
      clientOf,
    );
    expect(now(check({ ip: '2001:db8:aa:1::1' }))?.error).toBeUndefined();
    expect(now(check({ ip: '2001:db8:aa:1:ffff::9' }))?.error).toBeUndefined();
    expect(keys).toEqual([
      'subscriber 2001:db8:aa:1::/64',
      'site 2001:db8:aa::/48',
      'subscriber 2001:db8:aa:1::/64',
      'site 2001:db8:aa::/48',
    ]);
    // Another /64 of the same /48: its own subscriber quota, but the site has one unit left.
    expect(now(check({ ip: '2001:db8:aa:2::1' }))?.error).toBeUndefined();
    expect(now(check({ ip: '2001:db8:aa:3::1' }))?.error?.status).toBe(429);
    // IPv4 is keyed as it is by both.
    keys.length = 0;
    now(check({ ip: '198.51.100.4' }));
    expect(keys).toEqual(['subscriber 198.51.100.4', 'site 198.51.100.4']);
  });

  it('rejects malformed lists and entries with what to write', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000 });
    const cases: [unknown, RegExp][] = [
      [[], /limiter: the list is empty; write limiter: \[\{ limit: 10, windowMs: 1_000 \}/],
      [[limiter, limiter], /limiter\[1\]: the same limiter twice.*list each limiter once/],
      [
        [{ limiter, key: 'user' }],
        /limiter\[0\] key: not a function; write key: \(req\) => string/,
      ],
      [
        [limiter, { limiter: { limit: 1, windowMs: 1000, name: 'b' }, ipv6Subnet: 0 }],
        /limiter\[1\] ipv6Subnet: 0 is not a prefix length from 1 to 128; write 64/,
      ],
      [[{ limiter, ipv6Subnet: 129 }], /ipv6Subnet: 129/],
      [[null], /the limiter is missing; write rateLimit\(\{ limiter: \{ limit: 20/],
      [[{ limiter: null }], /the limiter is missing/],
    ];
    for (const [spec, message] of cases) {
      expect(() => compileRateLimit({ limiter: spec as never }, peer), String(message)).toThrow(
        TypeError,
      );
      expect(() => compileRateLimit({ limiter: spec as never }, peer)).toThrow(message);
    }
    // Two limits of one name on one store would share keys.
    const store = new MemoryStore();
    expect(() =>
      compileRateLimit(
        {
          limiter: [
            { name: 'same', limit: 1, windowMs: 1000, store },
            { name: 'same', limit: 2, windowMs: 1000, store },
          ],
        },
        peer,
      ),
    ).toThrow(/give each limit its own name/);
  });
});

describe('compileRateLimit: allowList and denyList', () => {
  const lists = {
    allowList: ['10.0.0.0/8', '2001:db8:a::/48'],
    denyList: ['10.6.6.6', '203.0.113.0/24'],
  };

  it('refuses a denied client with 403 before counting; an allowed one is neither counted nor given headers', () => {
    const limiter = createRateLimiter({ name: 'lists', limit: 1, windowMs: 60_000 });
    const check = compileRateLimit<User>({ limiter, ...lists }, clientOf);
    const denied = now(check({ ip: '203.0.113.50' }))!;
    expect(denied.headers).toEqual({});
    expect(denied.error).toMatchObject({ status: 403, code: 'client_denied', detail: 'Forbidden' });
    // Nothing was counted for the denied client.
    expect(limiter.decide('203.0.113.50')).toMatchObject({ allowed: true });
    for (let i = 0; i < 5; i++) expect(now(check({ ip: '10.1.2.3' }))).toBeUndefined();
    expect(now(check({ ip: '2001:db8:a:ffff::1' }))).toBeUndefined();
    expect(limiter.decide('10.1.2.3')).toMatchObject({ allowed: true, remaining: 0 });
    // Everyone else is limited as usual.
    expect(now(check({ ip: '198.51.100.1' }))?.error).toBeUndefined();
    expect(now(check({ ip: '198.51.100.1' }))?.error?.status).toBe(429);
  });

  it('denyList overrides allowList, and NAT64 or mapped forms of a listed IPv4 match it', () => {
    const check = compileRateLimit<User>(
      { limiter: { limit: 1, windowMs: 60_000 }, ...lists },
      clientOf,
    );
    expect(now(check({ ip: '10.6.6.6' }))?.error?.status).toBe(403);
    expect(now(check({ ip: '64:ff9b::203.0.113.9' }))?.error?.status).toBe(403);
    expect(now(check({ ip: '::ffff:10.9.9.9' }))).toBeUndefined();
    expect(now(check({ ip: '64:ff9b::10.9.9.9' }))).toBeUndefined();
  });

  it('matches the client resolved through trustedProxies, never the proxy or a spoofed header', () => {
    const check = compileRateLimit<User>(
      {
        limiter: { limit: 1, windowMs: 60_000 },
        trustedProxies: ['192.168.0.0/16'],
        denyList: ['203.0.113.0/24'],
        allowList: ['192.168.0.0/16'],
      },
      clientOf,
    );
    // Through the proxy: the forwarded client is matched, not the (allowed) proxy address.
    expect(now(check({ ip: '203.0.113.7', via: '192.168.1.1' }))?.error?.status).toBe(403);
    expect(now(check({ ip: '198.51.100.7', via: '192.168.1.1' }))?.error).toBeUndefined();
    expect(now(check({ ip: '198.51.100.7', via: '192.168.1.1' }))?.error?.status).toBe(429);
    // A direct client writing X-Forwarded-For cannot claim an allowed address.
    expect(now(check({ ip: '192.168.5.5', via: '198.51.100.8' }))?.error).toBeUndefined();
    expect(now(check({ ip: '192.168.5.5', via: '198.51.100.8' }))?.error?.status).toBe(429);
  });

  it('lists work beside a key function, and apply before it runs', () => {
    const keyed: string[] = [];
    const check = compileRateLimit<User>(
      {
        limiter: { limit: 5, windowMs: 60_000 },
        key: (r) => {
          keyed.push(r.ip);
          return r.user ?? 'anonymous';
        },
        ...lists,
      },
      clientOf,
    );
    expect(now(check({ ip: '203.0.113.1', user: 'x' }))?.error?.status).toBe(403);
    expect(now(check({ ip: '10.0.0.1', user: 'x' }))).toBeUndefined();
    expect(now(check({ ip: '198.51.100.1', user: 'x' }))?.error).toBeUndefined();
    expect(keyed).toEqual(['198.51.100.1']);
  });

  it('rejects a bad entry at creation, naming it', () => {
    expect(() =>
      compileRateLimit(
        { limiter: { limit: 1, windowMs: 1000 }, denyList: ['10.0.0.0/8', 'localhost'] },
        peer,
      ),
    ).toThrow(
      /rateLimit denyList: "localhost" is not an IP address or CIDR; write entries such as/,
    );
    expect(() =>
      compileRateLimit(
        { limiter: { limit: 1, windowMs: 1000 }, allowList: '10.0.0.0/8' as never },
        peer,
      ),
    ).toThrow(/rateLimit allowList: not a list/);
  });
});

describe('compileRateLimit: taking counts back after the response (settle)', () => {
  const fresh = (extra: Record<string, unknown>) => {
    const limiter = createRateLimiter({ name: 'settle', limit: 2, windowMs: 60_000 });
    const check = compileRateLimit<User, { statusCode: number }>({ limiter, ...extra }, clientOf);
    const req = { ip: '192.0.2.50' };
    const admit = () => {
      const o = now(check(req))!;
      expect(o.error).toBeUndefined();
      return o;
    };
    return { check, req, admit };
  };

  it('skipSuccessfulRequests: a status below 400 takes the count back, a failure keeps it', () => {
    const { req, admit, check } = fresh({ skipSuccessfulRequests: true });
    const ok = admit();
    ok.settle?.(req, { statusCode: 200 }, 200);
    const failed = admit();
    failed.settle?.(req, { statusCode: 401 }, 401);
    const pending = admit(); // the count of one failure and this one: full
    expect(pending.settle).toBeTypeOf('function');
    expect(now(check(req))?.error?.status).toBe(429);
    // A refused request has nothing to take back.
    expect(now(check(req))?.settle).toBeUndefined();
  });

  it('runs at most once per request, however often it is called', () => {
    const { req, admit, check } = fresh({ skipSuccessfulRequests: true });
    const a = admit();
    admit();
    a.settle?.(req, { statusCode: 200 }, 200);
    a.settle?.(req, { statusCode: 200 }, 200);
    a.settle?.(req, { statusCode: 200 }, 200);
    // One unit back, not three: one more request passes, the next is refused.
    expect(now(check(req))?.error).toBeUndefined();
    expect(now(check(req))?.error?.status).toBe(429);
  });

  it('skipFailedRequests: a status of 400 or more, or a connection closed first (no status), takes it back', () => {
    const { req, admit, check } = fresh({ skipFailedRequests: true });
    admit().settle?.(req, { statusCode: 500 }, 500);
    admit().settle?.(req, undefined, undefined);
    admit().settle?.(req, { statusCode: 204 }, 204);
    admit();
    expect(now(check(req))?.error?.status).toBe(429);
  });

  it('requestWasSuccessful decides what counts as success; a throw keeps the count and is logged once', () => {
    const log = captureLog();
    const { req, admit, check } = fresh({
      skipSuccessfulRequests: true,
      logger: log.logger,
      requestWasSuccessful: (_req: User, res: { statusCode: number }) => {
        if (res.statusCode === 999) throw new Error('judge broke');
        return res.statusCode === 302;
      },
    });
    admit().settle?.(req, { statusCode: 302 }, 302); // success: back
    admit().settle?.(req, { statusCode: 200 }, 200); // not success here: kept
    admit().settle?.(req, { statusCode: 999 }, 999); // threw: kept
    expect(now(check(req))?.error?.status).toBe(429);
    const second = fresh({
      skipSuccessfulRequests: true,
      logger: log.logger,
      requestWasSuccessful: () => {
        throw new Error('judge broke');
      },
    });
    second.admit().settle?.(second.req, { statusCode: 200 }, 200);
    expect(log.misuse()).toEqual([
      expect.stringMatching(
        /^error: misuse\.rate_limit_outcome: rateLimit requestWasSuccessful threw \(judge broke\); the request stays counted/,
      ),
    ]);
  });

  it('settles every limit of a combined decision', () => {
    const user = createRateLimiter({ name: 'user', limit: 1, windowMs: 60_000 });
    const ip = createRateLimiter({ name: 'ip', limit: 1, windowMs: 60_000 });
    const check = compileRateLimit<User>(
      { limiter: [{ limiter: user, key: (r) => r.user ?? '' }, ip], skipSuccessfulRequests: true },
      clientOf,
    );
    const req = { ip: '192.0.2.60', user: 'alice' };
    const first = now(check(req))!;
    expect(now(check(req))?.error?.status).toBe(429);
    first.settle?.(req, {}, 200);
    expect(now(check(req))?.error).toBeUndefined();
  });

  it('is undefined without skipSuccessfulRequests or skipFailedRequests', () => {
    const { admit } = fresh({});
    expect(admit().settle).toBeUndefined();
  });

  it('rejects bad options with what to write', () => {
    const limiter = { limit: 1, windowMs: 1000 };
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { skipSuccessfulRequests: 'yes' },
        /skipSuccessfulRequests: not a boolean; write true or false/,
      ],
      [{ skipFailedRequests: 1 }, /skipFailedRequests: not a boolean; write true or false/],
      [
        { skipSuccessfulRequests: true, requestWasSuccessful: 'status < 400' },
        /requestWasSuccessful: not a function; write requestWasSuccessful: \(req, res\) => res\.statusCode < 400/,
      ],
      [
        { requestWasSuccessful: () => true },
        /requestWasSuccessful: has no effect without skipSuccessfulRequests.*; add skipSuccessfulRequests: true/,
      ],
      [{ key: 'org' }, /rateLimit key: not a function; write key: \(req\) => string/],
      [{ skip: true }, /rateLimit skip: not a function; write skip: \(req\) => boolean/],
    ];
    for (const [extra, message] of cases) {
      expect(() => compileRateLimit({ limiter, ...extra }, peer), String(message)).toThrow(
        TypeError,
      );
      expect(() => compileRateLimit({ limiter, ...extra }, peer)).toThrow(message);
    }
  });

  it('refuses skipSuccessfulRequests on a store that cannot take a count back', () => {
    const countOnly = {
      consume: (...args: Parameters<MemoryStore['consume']>) => inner.consume(...args),
      reset: (...args: Parameters<MemoryStore['reset']>) => {
        inner.reset(...args);
      },
    };
    const inner = new MemoryStore();
    const limiter = createRateLimiter({
      name: 'plain',
      limit: 1,
      windowMs: 1000,
      store: countOnly,
    });
    expect(() => compileRateLimit({ limiter, skipSuccessfulRequests: true }, peer)).toThrow(
      /skipSuccessfulRequests: the store of limiter "plain" cannot take a count back; use MemoryStore or RedisStore, or add refund\(\) to your store/,
    );
    expect(() =>
      compileRateLimit(
        { limiter: [{ limit: 1, windowMs: 1000 }, limiter], skipFailedRequests: true },
        peer,
      ),
    ).toThrow(/skipFailedRequests: the store of limiter\[1\] "plain"/);
  });
});
