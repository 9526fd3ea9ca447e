import { createServer } from 'node:http';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { rateLimit } from 'bulwark/koa';
import { listen } from '../../conformance/apps/listen.js';
import type { RunningApp } from '../../conformance/types.js';
import { http } from '../../helpers/http.js';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('Koa rateLimit', () => {
  it('hands rejections to onReject and skips what skip() says', async () => {
    const k = new Koa();
    k.use(
      rateLimit({
        limiter: { name: 'koa', limit: 1, windowMs: 60_000 },
        skip: (ctx) => ctx.path === '/health',
        onReject: (error, ctx) => {
          ctx.status = 418;
          ctx.body = { code: error.code };
        },
      }),
    );
    k.use((ctx) => {
      ctx.body = { ok: true };
    });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    app = await listen(createServer(k.callback()));
    expect((await http(`${app.url}/`)).status).toBe(200);
    const refused = await http(`${app.url}/`);
    expect(refused.status).toBe(418);
    expect(JSON.parse(refused.text)).toEqual({ code: 'rate_limited' });
    const health = await http(`${app.url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.ratelimit).toBeUndefined();
  });
});
