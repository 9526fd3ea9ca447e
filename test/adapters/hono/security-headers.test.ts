import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from 'bulwark/hono';
import { http } from '../../helpers/http.js';
import type { WatchedServer } from '../../helpers/serve.js';
import { serveHono } from './serve.js';

function app(): Hono {
  const a = new Hono();
  a.use(securityHeaders());
  a.get('/json', (c) => c.json({ ok: true }));
  a.get('/own', (c) => {
    c.header('X-Frame-Options', 'SAMEORIGIN');
    return c.json({});
  });
  // A handler that builds its own Response: headers prepared on the context do not reach it.
  a.get('/raw', () => new Response('raw', { headers: { 'Referrer-Policy': 'no-referrer' } }));
  // Response.redirect() has immutable headers: writing to them throws.
  a.get('/redirect', () => Response.redirect('https://example.com/next', 302));
  a.get('/teapot', () => {
    throw new HTTPException(418, { message: 'short and stout' });
  });
  a.get('/web', securityHeaders({ preset: 'web' }), (c) => c.json({}));
  a.get('/off', securityHeaders(false), (c) => c.json({}));
  // HTTPException's own response is built without the context.
  a.onError((error, c) =>
    error instanceof HTTPException ? error.getResponse() : c.json({ error: 'handled' }, 500),
  );
  a.get('/boom', () => {
    throw new Error('boom');
  });
  return a;
}

describe('Hono securityHeaders', () => {
  let server: WatchedServer;
  beforeAll(async () => {
    server = await serveHono(app());
  });
  afterAll(() => server.close());

  it('sets the defaults on a c.json() answer', async () => {
    const res = await http(`${server.url}/json`);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  });

  it('keeps a header the handler set with c.header()', async () => {
    const res = await http(`${server.url}/own`);
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it("reaches a handler's own new Response(...) and keeps its headers", async () => {
    const res = await http(`${server.url}/raw`);
    expect(res.text).toBe('raw');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('copies a response whose headers are immutable instead of failing', async () => {
    const res = await http(`${server.url}/redirect`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('https://example.com/next');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('covers 404s, HTTPException answers and app.onError answers', async () => {
    for (const [path, status] of [
      ['/nowhere', 404],
      ['/teapot', 418],
      ['/boom', 500],
    ] as const) {
      const res = await http(`${server.url}${path}`);
      expect(res.status).toBe(status);
      expect(res.headers['x-frame-options'], path).toBe('DENY');
    }
  });

  it("lets a route's own mount replace the set, or switch it off", async () => {
    const web = await http(`${server.url}/web`);
    expect(web.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(web.headers['cross-origin-opener-policy']).toBe('same-origin');
    const off = await http(`${server.url}/off`);
    expect(off.headers['x-frame-options']).toBeUndefined();
    expect(off.headers['x-content-type-options']).toBeUndefined();
  });

  it('works the same through app.request(), without a server', async () => {
    const res = await app().request('/raw');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
