import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPromise, signWebhook } from 'bulwark';
import { protect } from 'bulwark/fetch';
import type { RunningApp } from '../../conformance/types.js';
import { http } from '../../helpers/http.js';
import { ok, serveFetch } from './serve-fetch.js';

const ORIGIN = 'https://app.example.com';
const BODY = '{"event":"ping"}';

describe('Fetch protect over HTTP', () => {
  let app: RunningApp;
  const guard = protect({
    securityHeaders: {},
    cors: { origins: [ORIGIN] },
    rateLimit: { limiter: { limit: 2, windowMs: 60_000, algorithm: 'fixed-window' } },
    verifyWebhook: { secret: 'hook-secret' },
  });
  beforeAll(async () => {
    app = await serveFetch(async (req, info) => {
      const verdict = await guard(req, info);
      if (!verdict.ok) return verdict.response;
      const status = new URL(req.url).pathname === '/hook' ? 202 : 404;
      return verdict.finish(ok({ got: verdict.body }, { status }));
    });
  });
  afterAll(() => app.close());

  const hook = (headers: Record<string, string>) =>
    http(`${app.url}/hook`, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/json', ...headers },
      body: BODY,
    });
  const expectGuarded = (headers: Record<string, string | string[] | undefined>) => {
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(headers.vary).toBe('Origin');
  };

  it('answers preflights first, with the security headers, and does not count them', async () => {
    for (let i = 0; i < 4; i++) {
      const res = await http(`${app.url}/hook`, {
        method: 'OPTIONS',
        headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' },
      });
      expect(res.status).toBe(204);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers.ratelimit).toBeUndefined();
    }
    // Two requests are left: a verified one and a refused one, both with every header.
    const verified = await hook(signWebhook(BODY, 'hook-secret'));
    expect(verified.status).toBe(202);
    expect(JSON.parse(verified.text)).toEqual({ got: { event: 'ping' } });
    expectGuarded(verified.headers);
    expect(verified.headers.ratelimit).toMatch(/;r=1;/);

    const forged = await hook(signWebhook(BODY, 'other'));
    expect(forged.status).toBe(403);
    expectGuarded(forged.headers);
    expect(forged.headers.ratelimit).toMatch(/;r=0;/);

    const limited = await hook(signWebhook(BODY, 'hook-secret'));
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.text)).toEqual({ detail: 'Too Many Requests' });
    expect(limited.headers['retry-after']).toBe('60');
    expectGuarded(limited.headers);
  });
});

describe('Fetch protect', () => {
  it('reads no body from a request the rate limit refused', async () => {
    const guard = protect({
      rateLimit: { limiter: { limit: 1, windowMs: 60_000 }, key: () => 'one' },
      payloadLimit: {},
    });
    const post = () => new Request('http://app.test/', { method: 'POST', body: BODY });
    expect((await guard(post())).ok).toBe(true);
    const refused = post();
    expect((await guard(refused)).ok).toBe(false);
    expect(refused.bodyUsed).toBe(false);
  });

  it('decides headers, CORS and a memory-backed limit synchronously', () => {
    const guard = protect({
      cors: { origins: [ORIGIN] },
      rateLimit: { limiter: { limit: 5, windowMs: 60_000 } },
    });
    const req = new Request('http://app.test/', { headers: { Origin: ORIGIN } });
    expect(isPromise(guard(req, { clientAddress: '192.0.2.1' }))).toBe(false);
  });

  it('puts the headers on the handler 404 and on an error response it finishes', async () => {
    const guard = protect({ cors: { origins: [ORIGIN] } });
    const verdict = await guard(new Request('http://app.test/', { headers: { Origin: ORIGIN } }));
    if (!verdict.ok) throw new Error('expected an admitted verdict');
    for (const status of [404, 500]) {
      const res = verdict.finish(new Response('{}', { status, headers: { Vary: 'Accept' } }));
      expect(res.status).toBe(status);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(res.headers.get('vary')).toBe('Accept, Origin');
    }
  });

  it('refuses unknown parts, both body guards and doing nothing, at creation', () => {
    expect(() => protect({ ratelimit: {} } as never)).toThrow(
      'bulwark: protect: unknown option "ratelimit"; write rateLimit (each takes the options of the guard of that name, or false).',
    );
    expect(() => protect({ helmet: {} } as never)).toThrow(
      /the parts are securityHeaders, cors, rateLimit, payloadLimit, verifyWebhook/,
    );
    expect(() => protect({ payloadLimit: {}, verifyWebhook: { secret: 'x' } })).toThrow(
      /write verifyWebhook: \{ secret, limit \} alone/,
    );
    expect(() => protect({ securityHeaders: false })).toThrow(/every part is off/);
    expect(() => protect(null as never)).toThrow(/options must be an object/);
    // Each part's own options are checked as its guard checks them.
    expect(() => protect({ rateLimit: {} as never })).toThrow(/limiter is missing/);
    expect(() => protect({ verifyWebhook: {} })).toThrow(/no secret is given/);
    // Switched-off parts are fine beside one that is on.
    expect(() => protect({ payloadLimit: false, verifyWebhook: { secret: 'x' } })).not.toThrow();
  });
});
