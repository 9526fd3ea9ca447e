import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { payloadLimit } from 'bulwark/hono';
import { http } from '../../helpers/http.js';
import { captureLog } from '../../helpers/log-capture.js';
import type { WatchedServer } from '../../helpers/serve.js';
import { serveHono } from './serve.js';

describe('Hono payloadLimit', () => {
  let server: WatchedServer;
  const log = captureLog();
  const app = new Hono();
  beforeAll(async () => {
    // What a validator does before bulwark: it reads the body through Hono's cache.
    app.use('/validated-first', async (c, next) => {
      await c.req.json();
      await next();
    });
    app.use(payloadLimit({ limit: 64, logger: log.logger }));
    app.post('/context', (c) => {
      expectTypeOf(c.get('rawBody')).toEqualTypeOf<Buffer | undefined>();
      return c.json({ body: c.get('body'), rawBytes: c.get('rawBody')?.length });
    });
    // Hono's own body readers still work: they read the bytes bulwark checked.
    app.post('/readers', async (c) => {
      const json: unknown = await c.req.json();
      const text = await c.req.text();
      const bytes = (await c.req.arrayBuffer()).byteLength;
      return c.json({ json, text, bytes });
    });
    app.post('/form', async (c) => c.json(await c.req.parseBody()));
    app.post('/validated-first', (c) => c.json({}));
    server = await serveHono(app);
  });
  afterAll(() => server.close());

  const post = (path: string, body: string, type = 'application/json') =>
    http(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': type }, body });

  it('leaves rawBody and the parsed body on the context', async () => {
    const res = await post('/context', '{"a":1}');
    expect(JSON.parse(res.text)).toEqual({ body: { a: 1 }, rawBytes: 7 });
  });

  it('lets c.req.json(), c.req.text() and c.req.arrayBuffer() read the checked body', async () => {
    const res = await post('/readers', '{"a":1}');
    expect(JSON.parse(res.text)).toEqual({ json: { a: 1 }, text: '{"a":1}', bytes: 7 });
  });

  it('lets c.req.parseBody() read a checked form', async () => {
    const res = await post('/form', 'a=1&b=two', 'application/x-www-form-urlencoded');
    expect(JSON.parse(res.text)).toEqual({ a: '1', b: 'two' });
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await post('/context', JSON.stringify({ pad: 'x'.repeat(100) }));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({ detail: 'Payload exceeds maximum size of 64 bytes.' });
  });

  it('refuses a body a validator read first with 500, and logs it once naming Hono’s readers', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await post('/validated-first', '{"a":1}');
      expect(res.status).toBe(500);
      expect((JSON.parse(res.text) as { detail: string }).detail).toMatch(
        /read by another body parser/,
      );
    }
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toMatch(
      /misuse\.body_consumed: .*c\.req\.json\(\).*Hono's body cache was already filled.*mount payloadLimit\(\)\/verifyWebhook\(\) before/,
    );
  });

  it('reads a Request given to app.request() the same way', async () => {
    const res = await app.request('/context', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"b":2}',
    });
    expect(await res.json()).toEqual({ body: { b: 2 }, rawBytes: 7 });
  });
});
