import getRawBody from 'raw-body';
import Koa from 'koa';
import type { Context } from 'koa';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { signWebhook } from 'bulwark';
import { verifyWebhook } from 'bulwark/koa';
import { http } from '../../helpers/http.js';
import { captureLog } from '../../helpers/log-capture.js';
import { serve } from '../../helpers/serve.js';
import type { WatchedServer } from '../../helpers/serve.js';

const body = '{"event":"ping"}';

describe('Koa verifyWebhook', () => {
  let server: WatchedServer;
  const log = captureLog();
  beforeAll(async () => {
    const app = new Koa();
    app.silent = true;
    const verify = verifyWebhook({
      scheme: 'github',
      logger: log.logger,
      secret: async (ctx: Context) => {
        await Promise.resolve();
        return ctx.get('X-Hook-Id') === 'a' ? 'secret-a' : undefined;
      },
    });
    app.use(async (ctx, next) => {
      if (ctx.path === '/parsed-first') {
        // A body parser mounted first (raw-body is what koa-bodyparser reads with).
        await getRawBody(ctx.req);
      }
      await next();
    });
    app.use(verify);
    app.use((ctx) => {
      expectTypeOf(ctx.request.rawBody).toEqualTypeOf<Buffer | undefined>();
      ctx.status = 202;
      ctx.body = { got: ctx.request.body ?? null };
    });
    // Koa's callback returns a promise per request; Node's listener ignores it by design.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    server = await serve(app.callback());
  });
  afterAll(() => server.close());

  const send = (path: string, headers: Record<string, string>) =>
    http(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });

  it('uses the secret the context function returns', async () => {
    const signed = signWebhook(body, 'secret-a', { scheme: 'github' });
    const res = await send('/', { ...signed, 'X-Hook-Id': 'a' });
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toEqual({ got: { event: 'ping' } });
  });

  it('refuses a github delivery when the function finds no secret', async () => {
    const signed = signWebhook(body, 'secret-a', { scheme: 'github' });
    const res = await send('/', { ...signed, 'X-Hook-Id': 'unknown' });
    expect(res.status).toBe(403);
  });

  it('refuses with 500 when another middleware consumed the body first, and logs it once', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await send('/parsed-first', signWebhook(body, 'secret-a', { scheme: 'github' }));
      expect(res.status).toBe(500);
      expect((JSON.parse(res.text) as { detail: string }).detail).toMatch(
        /read by another body parser/,
      );
    }
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toMatch(/misuse\.body_consumed.*read the request stream/);
  });
});
