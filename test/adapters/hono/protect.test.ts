import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { protect } from 'bulwark/hono';

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
});
