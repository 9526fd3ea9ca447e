import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { protect, securityHeaders } from 'bulwark/hono';

const APP = 'https://app.example.com';

function app(): Hono {
  const a = new Hono();
  a.use(
    protect({
      cors: { origins: APP },
      rateLimit: { limiter: { limit: 1, windowMs: 60_000 }, clientAddress: () => '203.0.113.9' },
    }),
  );
  a.get('/raw', () => new Response('raw'));
  return a;
}

describe('Hono protect', () => {
  it("puts every part's headers on a handler's own Response", async () => {
    const res = await app().request('/raw', { headers: { Origin: APP } });
    expect(await res.text()).toBe('raw');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('ratelimit')).toMatch(/r=0/);
  });

  it('answers its own preflights and 429s with the security and CORS headers', async () => {
    const a = app();
    const preflight = await a.request('/raw', {
      method: 'OPTIONS',
      headers: { Origin: APP, 'Access-Control-Request-Method': 'PUT' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('x-frame-options')).toBe('DENY');
    await a.request('/raw', { headers: { Origin: APP } });
    const refused = await a.request('/raw', { headers: { Origin: APP } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-frame-options')).toBe('DENY');
    expect(refused.headers.get('access-control-allow-origin')).toBe(APP);
  });
  it('writes the rate limit fields and the security headers in one pass, onto a copy when the answer is immutable, keeping what the app set', async () => {
    const a = new Hono();
    a.use(
      protect({
        rateLimit: { limiter: { limit: 5, windowMs: 60_000 }, clientAddress: () => '203.0.113.9' },
      }),
    );
    // Response.redirect() has immutable headers: the answer is copied, never a 500.
    a.get('/away', () => Response.redirect('https://example.com/', 302));
    a.get('/own', () => new Response('own', { headers: { 'X-Frame-Options': 'SAMEORIGIN' } }));
    const away = await a.request('/away');
    expect(away.status).toBe(302);
    expect(away.headers.get('location')).toBe('https://example.com/');
    expect(away.headers.get('x-frame-options')).toBe('DENY');
    expect(away.headers.get('ratelimit')).toMatch(/r=4/);
    const own = await a.request('/own');
    expect(own.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(own.headers.get('x-content-type-options')).toBe('nosniff');
    expect(own.headers.get('ratelimit')).toMatch(/r=3/);
  });

  it('with securityHeaders: false still writes the rate limit fields, and leaves the headers to an outer securityHeaders()', async () => {
    const a = new Hono();
    a.use(securityHeaders({ xFrameOptions: 'SAMEORIGIN' }));
    a.use(
      protect({
        securityHeaders: false,
        rateLimit: { limiter: { limit: 5, windowMs: 60_000 }, clientAddress: () => '203.0.113.9' },
      }),
    );
    a.get('/', (c) => c.text('ok'));
    const res = await a.request('/');
    expect(res.headers.get('ratelimit')).toMatch(/r=4/);
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});
