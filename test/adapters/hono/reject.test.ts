import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { BulwarkError } from 'bulwark';
import { rateLimit, rejectHono } from 'bulwark/hono';
import { captureLog } from '../../helpers/log-capture.js';

const once = { limit: 1, windowMs: 60_000 } as const;
const key = () => 'one-client';

describe('Hono rejections', () => {
  it('sends what onReject returns', async () => {
    const app = new Hono();
    app.use(
      rateLimit({
        limiter: once,
        key,
        onReject: (error, c) => c.json({ code: error.code }, 418),
      }),
    );
    app.get('/', (c) => c.json({ ok: true }));
    expect((await app.request('/')).status).toBe(200);
    const refused = await app.request('/');
    expect(refused.status).toBe(418);
    expect(await refused.json()).toEqual({ code: 'rate_limited' });
  });

  it('answers with the default when onReject returns no Response, and logs it once', async () => {
    const log = captureLog();
    const app = new Hono();
    app.use(
      rateLimit({
        limiter: once,
        key,
        logger: log.logger,
        // A handler written for Koa or Express: it answers nothing.
        onReject: () => undefined as unknown as Response,
      }),
    );
    app.get('/', (c) => c.json({ ok: true }));
    await app.request('/');
    for (let i = 0; i < 2; i++) {
      const refused = await app.request('/');
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual({ detail: 'Too Many Requests' });
    }
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toMatch(/misuse\.on_reject: an onReject handler did not answer/);
  });

  it('renders a rejection from a handler, keeping headers set on the context', async () => {
    const app = new Hono();
    app.get('/', (c) => {
      c.header('X-Request-Id', 'r-1');
      return rejectHono(
        new BulwarkError({ status: 413, code: 'payload_too_large', detail: 'Too big.' }),
        c,
      );
    });
    const res = await app.request('/');
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-request-id')).toBe('r-1');
    expect(await res.json()).toEqual({ detail: 'Too big.' });
  });
});
