import { createServer } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createRateLimiter } from 'bulwark';
import { rateLimit } from 'bulwark/express';
import { listen } from '../../conformance/apps/listen.js';
import type { RunningApp } from '../../conformance/types.js';
import { http } from '../../helpers/http.js';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('Express rateLimit', () => {
  it('hands rejections to onReject and accepts an async key and a shared limiter', async () => {
    const limiter = createRateLimiter({
      name: 'shared',
      limit: 1,
      windowMs: 60_000,
      algorithm: 'fixed-window',
    });
    const e = express();
    e.use(
      rateLimit({
        limiter,
        key: (req) => Promise.resolve(req.get('x-user') ?? 'anon'),
        onReject: (error, _req, res) => {
          res.status(error.status).json({ error: error.code, retry: error.headers['Retry-After'] });
        },
      }),
    );
    e.get('/', (_req, res) => {
      res.json({ ok: true });
    });
    app = await listen(createServer(e));
    expect((await http(`${app.url}/`, { headers: { 'X-User': 'a' } })).status).toBe(200);
    const refused = await http(`${app.url}/`, { headers: { 'X-User': 'a' } });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text)).toEqual({ error: 'rate_limited', retry: '60' });
    expect((await limiter.consume('b')).allowed).toBe(true);
  });

  it('a throwing key function reaches the error handler, not an unhandled rejection', async () => {
    const e = express();
    e.use(
      rateLimit({
        limiter: { limit: 1, windowMs: 1000 },
        key: () => {
          throw new Error('no key');
        },
      }),
    );
    e.get('/', (_req, res) => {
      res.json({});
    });
    app = await listen(createServer(e));
    expect((await http(`${app.url}/`)).status).toBe(500);
  });

  it('rejects bad options when the middleware is created', () => {
    expect(() => rateLimit({} as never)).toThrow(/limiter is missing/);
    expect(() => rateLimit({ limiter: { limit: 0, windowMs: 1 } })).toThrow(TypeError);
    expect(() => rateLimit({ limiter: { limit: 1, windowMs: 1 }, headers: 'x' as never })).toThrow(
      /'ietf'/,
    );
  });
});
