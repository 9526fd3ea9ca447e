import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { rateLimit, securityHeaders, verifyWebhook } from 'bulwark/fastify';
import { captureLog } from '../../helpers/log-capture.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('Fastify rejections', () => {
  it('an onReject that sends nothing gets the default answer, not a hang', async () => {
    const log = captureLog();
    app = Fastify();
    await app.register(verifyWebhook, {
      secret: 's',
      logger: log.logger,
      onReject: async () => {
        await Promise.resolve();
      },
    });
    app.post('/hook', () => ({ reached: true }));
    const res = await app.inject({ method: 'POST', url: '/hook', payload: {} });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: 'Missing webhook signature header.' });
    expect(log.misuse()).toEqual([expect.stringMatching(/onReject handler did not answer/)]);
  });

  it('an onReject that sends is left alone, and nothing is logged', async () => {
    const log = captureLog();
    app = Fastify();
    await app.register(verifyWebhook, {
      secret: 's',
      logger: log.logger,
      onReject: async (error, _request, reply) => {
        await reply.code(error.status).send({ custom: error.code });
      },
    });
    app.post('/hook', () => ({ reached: true }));
    const res = await app.inject({ method: 'POST', url: '/hook', payload: {} });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ custom: 'signature_missing' });
    expect(log.misuse()).toEqual([]);
  });

  it('a 429 carries the security headers whatever order the plugins were registered in', async () => {
    app = Fastify();
    await app.register(rateLimit, { limiter: { limit: 1, windowMs: 60_000 } });
    await app.register(securityHeaders);
    app.get('/', () => ({ ok: true }));
    expect((await app.inject({ url: '/' })).statusCode).toBe(200);
    const refused = await app.inject({ url: '/' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['x-frame-options']).toBe('DENY');
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
  });

  it('bad plugin options reject register() and ready(), so a try around them catches', async () => {
    app = Fastify();
    await expect(
      app.register(rateLimit, { limiter: { limit: 0, windowMs: 1000 } }),
    ).rejects.toThrow(/limit: 0 is not a whole number/);
    await app.close();
    app = Fastify();
    void app.register(securityHeaders, { preset: 'nope' as 'api' });
    await expect(app.ready()).rejects.toThrow(TypeError);
  });

  it('a bad route option fails when the route is declared after the plugin', async () => {
    app = Fastify();
    await app.register(rateLimit, { limiter: { limit: 5, windowMs: 1000 } });
    expect(() =>
      app?.get('/x', { config: { rateLimit: { limiter: { limit: -1, windowMs: 1 } } } }, () => 1),
    ).toThrow(/limit: -1/);
  });
});
