import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPromise } from 'bulwark';
import type { BulwarkError } from 'bulwark';
import { rateLimit } from 'bulwark/fetch';
import type { FetchOnReject, FetchVerdict } from 'bulwark/fetch';
import type { RunningApp } from '../../conformance/types.js';
import { http } from '../../helpers/http.js';
import { captureLog } from '../../helpers/log-capture.js';
import { ok, serveFetch } from './serve-fetch.js';

const limiter = { limit: 2, windowMs: 60_000, algorithm: 'fixed-window' } as const;
const request = (headers: Record<string, string> = {}) =>
  new Request('http://app.test/', { headers });

/** The response a verdict stands for: the guard's own answer, or the handler's 200 finished. */
async function answer(verdict: FetchVerdict | Promise<FetchVerdict>): Promise<Response> {
  const v = await verdict;
  return v.ok ? v.finish(ok()) : v.response;
}

describe('Fetch rateLimit over HTTP', () => {
  let app: RunningApp;
  const guard = rateLimit({ limiter });
  beforeAll(async () => {
    app = await serveFetch(async (req, info) => {
      const verdict = await guard(req, info);
      if (!verdict.ok) return verdict.response;
      const missing = new URL(req.url).pathname === '/missing';
      return verdict.finish(ok({}, { status: missing ? 404 : 200 }));
    });
  });
  afterAll(() => app.close());

  it('counts by the client address and answers 429 with Retry-After and the RateLimit headers', async () => {
    const first = await http(`${app.url}/`);
    expect(first.status).toBe(200);
    expect(first.headers.ratelimit).toMatch(/;r=1;/);
    expect(first.headers['ratelimit-policy']).toBeDefined();
    const second = await http(`${app.url}/missing`);
    expect(second.status).toBe(404);
    expect(second.headers.ratelimit).toMatch(/;r=0;/);
    const refused = await http(`${app.url}/`);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text)).toEqual({ detail: 'Too Many Requests' });
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.headers.ratelimit).toMatch(/;r=0;/);
    expect(refused.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});

describe('Fetch rateLimit', () => {
  it('decides synchronously on a memory store', async () => {
    const guard = rateLimit({ limiter: { limit: 1, windowMs: 60_000 } });
    const admitted = guard(request(), { clientAddress: '192.0.2.1' });
    expect(isPromise(admitted)).toBe(false);
    const refused = guard(request(), { clientAddress: '192.0.2.1' });
    expect(isPromise(refused)).toBe(false);
    expect((await answer(refused)).status).toBe(429);
    // Another client has its own count.
    expect((await answer(guard(request(), { clientAddress: '192.0.2.2' }))).status).toBe(200);
  });

  it('refuses with 500 and logs once when the runtime gave no client address', async () => {
    const log = captureLog();
    const guard = rateLimit({ limiter, logger: log.logger });
    for (let i = 0; i < 3; i++) {
      const res = await answer(guard(request()));
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({
        detail: 'The client address could not be determined; see the server log.',
      });
    }
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toContain('misuse.client_address');
    // An empty address is no address either.
    expect((await answer(guard(request(), { clientAddress: '' }))).status).toBe(500);
  });

  it('takes the address from the clientAddress option before the info', async () => {
    const guard = rateLimit({
      limiter: { limit: 1, windowMs: 60_000 },
      clientAddress: (req) => req.headers.get('x-test-peer') ?? undefined,
    });
    const from = (peer: string) => request({ 'X-Test-Peer': peer });
    expect((await answer(guard(from('198.51.100.1'), { clientAddress: '10.0.0.1' }))).status).toBe(
      200,
    );
    expect((await answer(guard(from('198.51.100.1'), { clientAddress: '10.0.0.2' }))).status).toBe(
      429,
    );
    // The option gave nothing: the info's address is used.
    expect((await answer(guard(request(), { clientAddress: '10.0.0.3' }))).status).toBe(200);
    expect(() => rateLimit({ limiter, clientAddress: 'x' as never })).toThrow(
      /clientAddress: not a function/,
    );
  });

  it('reads the forwarding header only from a trusted proxy', async () => {
    const guard = rateLimit({
      limiter: { limit: 1, windowMs: 60_000 },
      trustedProxies: ['10.0.0.1'],
    });
    const via = (xff: string) => request({ 'X-Forwarded-For': xff });
    const proxy = { clientAddress: '10.0.0.1' };
    expect((await answer(guard(via('203.0.113.7'), proxy))).status).toBe(200);
    expect((await answer(guard(via('203.0.113.8'), proxy))).status).toBe(200);
    expect((await answer(guard(via('203.0.113.7'), proxy))).status).toBe(429);
    // From an address that is not a trusted proxy, the header is the client's own writing.
    const direct = { clientAddress: '198.51.100.9' };
    expect((await answer(guard(via('203.0.113.9'), direct))).status).toBe(200);
    expect((await answer(guard(via('203.0.113.10'), direct))).status).toBe(429);
  });

  it('needs no address with a key, and counts one Request once however often it is guarded', async () => {
    const guard = rateLimit({
      limiter: { limit: 1, windowMs: 60_000 },
      key: (req) => req.headers.get('x-user') ?? 'anon',
    });
    const req = request({ 'X-User': 'a' });
    expect((await answer(guard(req))).status).toBe(200);
    expect((await answer(guard(req))).status).toBe(200);
    expect((await answer(guard(request({ 'X-User': 'a' })))).status).toBe(429);
  });

  it('skips what skip says, without counting it', async () => {
    const guard = rateLimit({
      limiter: { limit: 1, windowMs: 60_000 },
      skip: async (req) => {
        await Promise.resolve();
        return new URL(req.url).pathname === '/healthz';
      },
    });
    const info = { clientAddress: '192.0.2.50' };
    for (let i = 0; i < 3; i++) {
      const res = await answer(guard(new Request('http://app.test/healthz'), info));
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toBeNull();
    }
    expect((await answer(guard(request(), info))).status).toBe(200);
  });

  it('rejects bad options at creation', () => {
    expect(() => rateLimit({} as never)).toThrow(/limiter is missing/);
    expect(() => rateLimit({ limiter: { limit: 0, windowMs: 1 } })).toThrow(TypeError);
    expect(() => rateLimit({ limiter, trustedProxies: ['nope'] })).toThrow(TypeError);
  });
});

describe('Fetch rateLimit onReject', () => {
  const refusedTwice = async (onReject: FetchOnReject, logger = captureLog()) => {
    const guard = rateLimit({
      limiter: { limit: 1, windowMs: 60_000, algorithm: 'fixed-window' },
      onReject,
      logger: logger.logger,
    });
    const info = { clientAddress: '192.0.2.9' };
    await answer(guard(request(), info));
    return { res: await answer(guard(request(), info)), log: logger };
  };

  it('sends what onReject returns, synchronously or not', async () => {
    const custom = (error: BulwarkError) =>
      Response.json({ problem: error.code, retry: error.headers['Retry-After'] }, { status: 429 });
    for (const onReject of [custom, (e: BulwarkError) => Promise.resolve(custom(e))]) {
      const { res } = await refusedTwice(onReject);
      expect(res.status).toBe(429);
      expect(await res.json()).toEqual({ problem: 'rate_limited', retry: '60' });
    }
  });

  it('falls back to the default answer, logged once, when onReject throws, rejects or answers nothing', async () => {
    const cases: [FetchOnReject, string][] = [
      [
        () => {
          throw new Error('handler bug');
        },
        'threw',
      ],
      [() => Promise.reject(new Error('handler bug')), 'threw'],
      [() => undefined as unknown as Response, 'did not answer'],
      [() => Promise.resolve({ status: 200 } as unknown as Response), 'did not answer'],
    ];
    for (const [onReject, failure] of cases) {
      const { res, log } = await refusedTwice(onReject);
      expect(res.status).toBe(429);
      expect(await res.json()).toEqual({ detail: 'Too Many Requests' });
      expect(res.headers.get('retry-after')).toBe('60');
      expect(log.misuse()).toHaveLength(1);
      expect(log.misuse()[0]).toContain('misuse.on_reject');
      expect(log.misuse()[0]).toContain(failure);
    }
  });
});
