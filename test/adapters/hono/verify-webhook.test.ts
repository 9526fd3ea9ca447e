import { Hono } from 'hono';
import type { Context } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from 'bulwark';
import { verifyWebhook } from 'bulwark/hono';
import { http } from '../../helpers/http.js';
import { captureLog } from '../../helpers/log-capture.js';
import type { WatchedServer } from '../../helpers/serve.js';
import { serveHono } from './serve.js';

const body = '{"event":"ping"}';
const TWILIO_TOKEN = 'twilio-test-token';

describe('Hono verifyWebhook', () => {
  let server: WatchedServer;
  const log = captureLog();
  beforeAll(async () => {
    const app = new Hono();
    // Reads the Fetch request itself, before bulwark.
    app.use('/raw-read-first', async (c, next) => {
      await c.req.raw.arrayBuffer();
      await next();
    });
    app.post(
      '/github',
      verifyWebhook({
        scheme: 'github',
        logger: log.logger,
        secret: async (c: Context) => {
          await Promise.resolve();
          return c.req.header('X-Hook-Id') === 'a' ? 'secret-a' : undefined;
        },
      }),
      async (c) => c.json({ parsed: c.get('body'), read: (await c.req.json()) as unknown }, 202),
    );
    app.post('/raw-read-first', verifyWebhook({ secret: 'mc-secret', logger: log.logger }), (c) =>
      c.json({}),
    );
    app.post(
      '/sms',
      verifyWebhook({
        scheme: 'twilio',
        secret: TWILIO_TOKEN,
        publicUrl: 'https://hooks.example.com',
      }),
      async (c) => c.json(await c.req.parseBody(), 202),
    );
    server = await serveHono(app);
  });
  afterAll(() => server.close());

  const post = (path: string, headers: Record<string, string>, payload = body) =>
    http(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: payload,
    });

  it('uses the secret the context function returns; c.req.json() reads the verified body', async () => {
    const signed = signWebhook(body, 'secret-a', { scheme: 'github' });
    const res = await post('/github', { ...signed, 'X-Hook-Id': 'a' });
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toEqual({ parsed: { event: 'ping' }, read: { event: 'ping' } });
  });

  it('refuses a github delivery when the function finds no secret', async () => {
    const signed = signWebhook(body, 'secret-a', { scheme: 'github' });
    const res = await post('/github', { ...signed, 'X-Hook-Id': 'unknown' });
    expect(res.status).toBe(403);
  });

  it('checks twilio against the public URL joined to the path and query as received', async () => {
    const form = 'From=%2B15550100&Body=Hi';
    const url = 'https://hooks.example.com/sms?tenant=7';
    const signed = signWebhook(form, TWILIO_TOKEN, { scheme: 'twilio', url });
    const headers = { ...signed, 'Content-Type': 'application/x-www-form-urlencoded' };
    const res = await post('/sms?tenant=7', headers, form);
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toEqual({ From: '+15550100', Body: 'Hi' });
    // The same signature for another query is a different URL.
    expect((await post('/sms?tenant=8', headers, form)).status).toBe(403);
  });

  it('refuses with 500 when c.req.raw was read first, and logs it once', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await post('/raw-read-first', signWebhook(body, 'mc-secret'));
      expect(res.status).toBe(500);
    }
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toMatch(
      /misuse\.body_consumed: .*another middleware that read c\.req\.raw/,
    );
  });
});
