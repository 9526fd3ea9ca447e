import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileClientIp, createRateLimiter } from 'bulwark';
import { rateLimit, withBulwark } from 'bulwark/fetch';
import type { FetchGuard, FetchRateLimitOptions, FetchRequestInfo } from 'bulwark/fetch';
import type { RunningApp } from '../../conformance/types.js';
import { http } from '../../helpers/http.js';
import { captureLog } from '../../helpers/log-capture.js';
import { serveFetch } from './serve-fetch.js';

/**
 * Abuse protection over Fetch: what the conformance suite's abuse scenarios check on the
 * Node frameworks, with real Request and Response objects. A Fetch guard sees the end of a
 * request only through `verdict.finish(response)`, so that is where counts are taken back.
 */

const window = { windowMs: 60_000, algorithm: 'fixed-window' } as const;
const TOO_MANY = { detail: 'Too Many Requests' };

const request = (path = '/', headers: Record<string, string> = {}) =>
  new Request(`http://app.test${path}`, { headers });

/** One request from `clientAddress` that the handler answers with `status`. */
async function answered(
  guard: FetchGuard,
  clientAddress: string,
  status: number,
  headers: Record<string, string> = {},
): Promise<Response> {
  const verdict = await guard(request('/', headers), { clientAddress });
  return verdict.ok ? verdict.finish(new Response(null, { status })) : verdict.response;
}

/** A clock the limiter reads instead of Date.now, moved on by the test: windows run out at once. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let at = 1_700_000_000_000;
  return {
    now: () => at,
    advance: (ms) => {
      at += ms;
    },
  };
}

describe('Fetch rateLimit: counts taken back once the response is known', () => {
  it('skipSuccessfulRequests: successes are taken back; 401, 404 and 500 count, then 429', async () => {
    const guard = rateLimit({
      limiter: { name: 'failures', limit: 2, ...window },
      skipSuccessfulRequests: true,
    });
    for (let i = 0; i < 5; i++) {
      const res = await answered(guard, '192.0.2.1', 200);
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toBe('"failures";r=1;t=60');
    }
    expect((await answered(guard, '192.0.2.1', 401)).headers.get('ratelimit')).toBe(
      '"failures";r=1;t=60',
    );
    expect((await answered(guard, '192.0.2.1', 404)).headers.get('ratelimit')).toBe(
      '"failures";r=0;t=60',
    );
    const refused = await answered(guard, '192.0.2.1', 200);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(await refused.json()).toEqual(TOO_MANY);
    // A 500 counts like any failure.
    await answered(guard, '192.0.2.2', 500);
    await answered(guard, '192.0.2.2', 500);
    expect((await answered(guard, '192.0.2.2', 200)).status).toBe(429);
  });

  it('skipFailedRequests: failures are taken back, successes count', async () => {
    const guard = rateLimit({
      limiter: { name: 'successes', limit: 2, ...window },
      skipFailedRequests: true,
    });
    for (const status of [401, 404, 500, 401]) {
      expect((await answered(guard, '192.0.2.3', status)).status).toBe(status);
    }
    expect((await answered(guard, '192.0.2.3', 200)).headers.get('ratelimit')).toBe(
      '"successes";r=1;t=60',
    );
    expect((await answered(guard, '192.0.2.3', 200)).headers.get('ratelimit')).toBe(
      '"successes";r=0;t=60',
    );
    expect((await answered(guard, '192.0.2.3', 401)).status).toBe(429);
  });

  it('an admitted request never finished stays counted, whichever option is on', async () => {
    for (const option of ['skipSuccessfulRequests', 'skipFailedRequests'] as const) {
      const guard = rateLimit({ limiter: { limit: 1, ...window }, [option]: true });
      const verdict = await guard(request(), { clientAddress: '192.0.2.4' });
      expect(verdict.ok).toBe(true);
      expect((await answered(guard, '192.0.2.4', 200)).status).toBe(429);
    }
  });

  it('requestWasSuccessful gets the Request and the Response finished, and decides', async () => {
    const seen: [Request, Response][] = [];
    const guard = rateLimit({
      limiter: { name: 'accepted', limit: 2, ...window },
      skipSuccessfulRequests: true,
      requestWasSuccessful: (req, res) => {
        seen.push([req, res]);
        return res.status === 201 || res.status === 202;
      },
    });
    const req = request('/', { 'X-Trace': 't1' });
    const verdict = await guard(req, { clientAddress: '192.0.2.5' });
    if (!verdict.ok) throw new Error('the first request is admitted');
    const created = new Response(null, { status: 201 });
    verdict.finish(created);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0]).toBe(req);
    expect(seen[0]?.[1]).toBe(created);
    // 201 and 202 are taken back; a 200 is not a success here, and counts.
    expect((await answered(guard, '192.0.2.5', 202)).headers.get('ratelimit')).toBe(
      '"accepted";r=1;t=60',
    );
    await answered(guard, '192.0.2.5', 200);
    expect((await answered(guard, '192.0.2.5', 200)).headers.get('ratelimit')).toBe(
      '"accepted";r=0;t=60',
    );
    expect((await answered(guard, '192.0.2.5', 201)).status).toBe(429);
  });

  it('a requestWasSuccessful that throws: the answer is sent, the count kept, logged once', async () => {
    const log = captureLog();
    const guard = rateLimit({
      limiter: { name: 'judged', limit: 2, ...window },
      skipSuccessfulRequests: true,
      requestWasSuccessful: () => {
        throw new Error('status lookup failed');
      },
      logger: log.logger,
    });
    for (let i = 0; i < 2; i++) {
      const res = await answered(guard, '192.0.2.6', 200);
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toBe(`"judged";r=${String(1 - i)};t=60`);
    }
    expect((await answered(guard, '192.0.2.6', 200)).status).toBe(429);
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toContain('misuse.rate_limit_outcome');
    expect(log.misuse()[0]).toContain('status lookup failed');
  });

  it('withBulwark counts a handler that throws as failed (500)', async () => {
    for (const [option, after] of [
      ['skipSuccessfulRequests', 429],
      ['skipFailedRequests', 200],
    ] as const) {
      const handler = withBulwark(
        {
          clientAddress: (_req: Request, info: FetchRequestInfo) => info.clientAddress,
          rateLimit: { limiter: { limit: 1, ...window }, [option]: true },
        },
        (req) => {
          if (new URL(req.url).pathname === '/boom') throw new Error('handler failed');
          return Response.json({ ok: true });
        },
      );
      const info = { clientAddress: '192.0.2.7' };
      await expect(handler(request('/boom'), info)).rejects.toThrow('handler failed');
      expect((await handler(request('/'), info)).status).toBe(after);
    }
  });
});

describe('Fetch rateLimit: several limits on one request', () => {
  it('lists every policy, names the closest, and a refusal by one counts nothing in the other', async () => {
    const clock = manualClock();
    const guard = rateLimit({
      limiter: [
        { name: 'burst', limit: 2, windowMs: 1000, algorithm: 'fixed-window', clock: clock.now },
        { name: 'minute', limit: 3, ...window, clock: clock.now },
      ],
    });
    const first = await answered(guard, '192.0.2.10', 200);
    expect(first.headers.get('ratelimit-policy')).toBe('"burst";q=2;w=1, "minute";q=3;w=60');
    expect(first.headers.get('ratelimit')).toBe('"burst";r=1;t=1');
    expect((await answered(guard, '192.0.2.10', 200)).headers.get('ratelimit')).toBe(
      '"burst";r=0;t=1',
    );
    const refused = await answered(guard, '192.0.2.10', 200);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('ratelimit')).toBe('"burst";r=0;t=1');
    // The burst window over: the minute has its third request left, the refusal took none.
    clock.advance(1100);
    const later = await answered(guard, '192.0.2.10', 200);
    expect(later.status).toBe(200);
    expect(later.headers.get('ratelimit')).toBe('"minute";r=0;t=59');
  });

  it('keys each limit its own way: by user, and by client address', async () => {
    const guard = rateLimit({
      limiter: [
        {
          limiter: { name: 'per-user', limit: 2, ...window },
          key: (req) => req.headers.get('x-user') ?? 'anonymous',
        },
        { limiter: { name: 'per-ip', limit: 3, ...window } },
      ],
    });
    const as = (user: string, ip: string) => answered(guard, ip, 200, { 'X-User': user });
    expect((await as('u1', '192.0.2.11')).status).toBe(200);
    expect((await as('u1', '192.0.2.11')).headers.get('ratelimit')).toBe('"per-user";r=0;t=60');
    expect((await as('u1', '192.0.2.11')).status).toBe(429);
    // That refusal counted nothing for the address: one request left there.
    expect((await as('u2', '192.0.2.11')).headers.get('ratelimit')).toBe('"per-ip";r=0;t=60');
    // Another user from the same address: refused by the address's limit.
    const byIp = await as('u3', '192.0.2.11');
    expect(byIp.status).toBe(429);
    expect(byIp.headers.get('ratelimit')).toBe('"per-ip";r=0;t=60');
    // The same user from another address: refused by the user's limit.
    const byUser = await as('u1', '192.0.2.12');
    expect(byUser.status).toBe(429);
    expect(byUser.headers.get('ratelimit')).toBe('"per-user";r=0;t=60');
  });
});

describe('Fetch rateLimit: allow and deny lists', () => {
  const lists = (): FetchGuard =>
    rateLimit({
      limiter: { name: 'listed', limit: 1, ...window },
      key: (req) => req.headers.get('x-api-key') ?? 'none',
      trustedProxies: ['10.0.0.1'],
      allowList: ['198.51.100.0/24', '203.0.113.0/24'],
      denyList: ['203.0.113.9'],
    });

  it('refuses a denied client with 403 before counting, its NAT64 form too', async () => {
    const guard = lists();
    const key = { 'X-Api-Key': 'k1' };
    for (const clientAddress of ['203.0.113.9', '64:ff9b::203.0.113.9', '64:ff9b::cb00:7109']) {
      const res = await answered(guard, clientAddress, 200, key);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ detail: 'Forbidden' });
      expect(res.headers.get('ratelimit')).toBeNull();
      expect(res.headers.get('retry-after')).toBeNull();
    }
    // Behind the trusted proxy, the forwarded NAT64 address is the client's.
    const forwarded = await answered(guard, '10.0.0.1', 200, {
      ...key,
      'X-Forwarded-For': '64:ff9b::203.0.113.9',
    });
    expect(forwarded.status).toBe(403);
    // None of those was counted under the key.
    expect((await answered(guard, '192.0.2.20', 200, key)).headers.get('ratelimit')).toBe(
      '"listed";r=0;t=60',
    );
    expect((await answered(guard, '192.0.2.20', 200, key)).status).toBe(429);
  });

  it('never limits an allowed client, sends it no RateLimit fields, and counts nothing', async () => {
    const guard = lists();
    await answered(guard, '192.0.2.21', 200, { 'X-Api-Key': 'used' });
    for (let i = 0; i < 3; i++) {
      const res = await answered(guard, '198.51.100.7', 200, { 'X-Api-Key': 'used' });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toBeNull();
      expect(res.headers.get('ratelimit-policy')).toBeNull();
    }
    await answered(guard, '198.51.100.7', 200, { 'X-Api-Key': 'fresh' });
    expect(
      (await answered(guard, '192.0.2.22', 200, { 'X-Api-Key': 'fresh' })).headers.get('ratelimit'),
    ).toBe('"listed";r=0;t=60');
  });
});

describe('Fetch rateLimit: blocks', () => {
  it('a refused key stays refused past its window, for the block', async () => {
    const clock = manualClock();
    const guard = rateLimit({
      limiter: {
        name: 'blocked',
        limit: 2,
        windowMs: 1000,
        algorithm: 'fixed-window',
        blockMs: 60_000,
        clock: clock.now,
      },
    });
    await answered(guard, '192.0.2.30', 200);
    await answered(guard, '192.0.2.30', 200);
    const refused = await answered(guard, '192.0.2.30', 200);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    clock.advance(1100);
    const later = await answered(guard, '192.0.2.30', 200);
    expect(later.status).toBe(429);
    expect(later.headers.get('retry-after')).toBe('59');
    expect(await later.json()).toEqual(TOO_MANY);
  });
});

describe('the login recipe with withBulwark over HTTP', () => {
  let app: RunningApp;
  const trustedProxies = ['127.0.0.1'];
  const clientIp = compileClientIp({ trustedProxies });
  // A Request carries no peer address: the runtime's, handed beside it, kept for the key.
  const peers = new WeakMap<Request, string>();
  beforeAll(async () => {
    const login = withBulwark(
      {
        clientAddress: (_req: Request, info: FetchRequestInfo) => info.clientAddress,
        rateLimit: {
          trustedProxies,
          limiter: [
            {
              limiter: {
                name: 'login-user-ip',
                limit: 5,
                windowMs: 15 * 60_000,
                algorithm: 'sliding-log',
                blockMs: 15 * 60_000,
              },
              key: (req) => {
                const headers = Object.fromEntries(req.headers);
                const ip = clientIp({ remoteAddress: peers.get(req), headers });
                return `${ip} ${(req.headers.get('x-user') ?? '').toLowerCase()}`;
              },
              resetOnSuccess: true,
            },
            // The recipe's 100 a day, brought down to 10 so the test reaches it.
            { name: 'login-ip-day', limit: 10, windowMs: 86_400_000 },
          ],
          skipSuccessfulRequests: true,
        },
      },
      (req) =>
        req.headers.get('x-password') === 'right'
          ? Response.json({ ok: true })
          : Response.json({ detail: 'Wrong password' }, { status: 401 }),
    );
    app = await serveFetch((req, info) => {
      if (info.clientAddress !== undefined) peers.set(req, info.clientAddress);
      return login(req, info);
    });
  });
  afterAll(() => app.close());

  const signIn = (ip: string, user: string, password: string) =>
    http(`${app.url}/login`, {
      method: 'POST',
      headers: { 'X-Forwarded-For': ip, 'X-User': user, 'X-Password': password },
    });
  const wrong = async (ip: string, user: string, n: number) => {
    for (let i = 0; i < n; i++) expect((await signIn(ip, user, 'nope')).status).toBe(401);
  };

  it('five wrong passwords block the pair: the right one is refused too, for 15 minutes', async () => {
    await wrong('192.0.2.40', 'alice', 5);
    const refused = await signIn('192.0.2.40', 'alice', 'right');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('900');
    expect(refused.headers['ratelimit-policy']).toBe(
      '"login-user-ip";q=5;w=900, "login-ip-day";q=10;w=86400',
    );
    expect(JSON.parse(refused.text)).toEqual(TOO_MANY);
    // The block is for that user from that address.
    expect((await signIn('192.0.2.40', 'bob', 'right')).status).toBe(200);
    expect((await signIn('192.0.2.49', 'alice', 'right')).status).toBe(200);
  });

  it('a success before the fifth wrong password starts the run again', async () => {
    await wrong('192.0.2.41', 'carol', 4);
    expect((await signIn('192.0.2.41', 'carol', 'right')).status).toBe(200);
    await wrong('192.0.2.41', 'carol', 4);
    const fifth = await signIn('192.0.2.41', 'carol', 'nope');
    expect(fifth.status).toBe(401);
    expect(fifth.headers.ratelimit).toBe('"login-user-ip";r=0;t=900');
    expect((await signIn('192.0.2.41', 'carol', 'right')).status).toBe(429);
  });

  it('successes never count toward the daily limit; failures do, across users', async () => {
    for (let i = 0; i < 12; i++)
      expect((await signIn('192.0.2.42', 'dave', 'right')).status).toBe(200);
    await wrong('192.0.2.42', 'erin', 4);
    await wrong('192.0.2.42', 'frank', 4);
    await wrong('192.0.2.42', 'grace', 2);
    const refused = await signIn('192.0.2.42', 'heidi', 'right');
    expect(refused.status).toBe(429);
    expect(refused.headers.ratelimit).toMatch(/^"login-ip-day";r=0;t=\d+$/);
  });
});

describe('Fetch rateLimit: abuse options refused at creation, saying what to write', () => {
  const minute = { name: 'misuse', limit: 5, ...window } as const;
  const same = { limit: 5, windowMs: 60_000 };
  const cases: [string, FetchRateLimitOptions, RegExp][] = [
    [
      "skipSuccessfulRequests: 'yes'",
      { limiter: minute, skipSuccessfulRequests: 'yes' as never },
      /rateLimit skipSuccessfulRequests: not a boolean; write true or false/,
    ],
    [
      'requestWasSuccessful without a skip option',
      { limiter: minute, requestWasSuccessful: (_req, res) => res.status < 400 },
      /requestWasSuccessful: has no effect without skipSuccessfulRequests.*; add skipSuccessfulRequests: true/,
    ],
    [
      'an empty limiter list',
      { limiter: [] },
      /rateLimit limiter: the list is empty; write limiter: \[/,
    ],
    [
      'the same limiter twice',
      (() => {
        const limiter = createRateLimiter(same);
        return { limiter: [limiter, limiter] };
      })(),
      /limiter\[1\]: the same limiter twice would count one request twice; list each limiter once/,
    ],
    [
      "allowList: ['nonsense']",
      { limiter: minute, allowList: ['nonsense'] },
      /allowList: "nonsense" is not an IP address or CIDR; write entries such as/,
    ],
    [
      'blockMultiplier without blockMs',
      { limiter: { ...minute, blockMultiplier: 2 } },
      /blockMultiplier: has no block to act on; also set blockMs/,
    ],
    [
      'maxBlockMs below blockMs',
      { limiter: { ...minute, blockMs: 60_000, maxBlockMs: 1000 } },
      /maxBlockMs: 1000 is not a whole number of milliseconds at least blockMs \(60000\)/,
    ],
  ];

  it.each(cases)('%s: by rateLimit and by withBulwark', (_name, options, error) => {
    expect(() => rateLimit(options)).toThrow(TypeError);
    expect(() => rateLimit(options)).toThrow(error);
    expect(() => withBulwark({ rateLimit: options }, () => new Response())).toThrow(error);
  });
});
