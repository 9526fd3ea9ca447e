import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cors, rateLimit, securityHeaders } from 'bulwark/hono';
import { http } from '../../helpers/http.js';
import type { WatchedServer } from '../../helpers/serve.js';
import { serveHono } from './serve.js';

const APP = 'https://app.example.com';

function app(): Hono {
  const a = new Hono();
  a.use(securityHeaders());
  a.use(cors({ origins: APP }));
  a.use(
    rateLimit({
      limiter: { limit: 1, windowMs: 60_000 },
      key: (c) => c.req.header('x-client') ?? 'none',
    }),
  );
  a.get('/json', (c) => c.json({}));
  // A handler's own Response, with a Vary of its own: CORS's field is merged into it.
  a.get('/raw', () => new Response('raw', { headers: { Vary: 'Accept' } }));
  return a;
}

describe('Hono cors', () => {
  let server: WatchedServer;
  beforeAll(async () => {
    server = await serveHono(app());
  });
  afterAll(() => server.close());

  it('answers a preflight with 204 before the rate limit, with the security headers', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await http(`${server.url}/json`, {
        method: 'OPTIONS',
        headers: { Origin: APP, 'Access-Control-Request-Method': 'PUT', 'X-Client': 'pre' },
      });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(res.headers['access-control-allow-origin']).toBe(APP);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers.ratelimit).toBeUndefined();
    }
  });

  it("reaches a handler's own Response and merges Vary with its own", async () => {
    const res = await http(`${server.url}/raw`, { headers: { Origin: APP, 'X-Client': 'raw' } });
    expect(res.text).toBe('raw');
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers.vary).toBe('Accept, Origin');
  });

  it('keeps the CORS headers on a 429, so the page can read it', async () => {
    const send = () => http(`${server.url}/json`, { headers: { Origin: APP, 'X-Client': 'many' } });
    expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(refused.headers['access-control-allow-origin']).toBe(APP);
    expect(refused.headers.vary).toBe('Origin');
  });

  it('gives another origin no CORS header, through app.request() too', async () => {
    const res = await app().request('/json', {
      headers: { Origin: 'https://evil.example.net', 'X-Client': 'evil' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
  });
});
