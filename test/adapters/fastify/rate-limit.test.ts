import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { MISSION_CONTROL_RATE_LIMITS } from 'bulwark';
import { rateLimit } from 'bulwark/fastify';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('Fastify rateLimit', () => {
  it('a route policy is merged over the plugin options; false opts out', async () => {
    app = Fastify();
    await app.register(rateLimit, {
      limiter: { name: 'global', limit: 5, windowMs: 60_000 },
      headers: 'draft-7',
    });
    app.post(
      '/auth',
      { config: { rateLimit: { limiter: MISSION_CONTROL_RATE_LIMITS.agentAuth } } },
      () => ({ ok: true }),
    );
    app.get('/healthz', { config: { rateLimit: false } }, () => ({ ok: true }));
    app.get('/', () => ({ ok: true }));
    const auth = await app.inject({ method: 'POST', url: '/auth' });
    expect(auth.headers['ratelimit-policy']).toBe('20;w=60');
    expect((await app.inject({ url: '/' })).headers['ratelimit-policy']).toBe('5;w=60');
    expect((await app.inject({ url: '/healthz' })).headers['ratelimit-policy']).toBeUndefined();
  });

  it('the HEAD route Fastify adds for a GET shares its count', async () => {
    app = Fastify();
    await app.register(rateLimit, { limiter: { limit: 100, windowMs: 60_000 } });
    app.get(
      '/own',
      {
        config: {
          rateLimit: { limiter: { limit: 2, windowMs: 60_000, algorithm: 'fixed-window' } },
        },
      },
      () => ({ ok: true }),
    );
    expect((await app.inject({ method: 'HEAD', url: '/own' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'HEAD', url: '/own' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/own' })).statusCode).toBe(429);
  });

  it('a bad route option fails when the route is registered', async () => {
    app = Fastify();
    await app.register(rateLimit, { limiter: { limit: 5, windowMs: 60_000 } });
    expect(() =>
      app!.get('/x', { config: { rateLimit: { limiter: { limit: -1, windowMs: 1 } } } }, () => ''),
    ).toThrow(TypeError);
  });

  it('onReject answers instead of the default 429', async () => {
    app = Fastify();
    await app.register(rateLimit, {
      limiter: { limit: 1, windowMs: 60_000 },
      onReject: async (error, _request, reply) => {
        await reply.code(429).send({ code: error.code });
      },
    });
    app.get('/', () => ({ ok: true }));
    await app.inject({ url: '/' });
    const refused = await app.inject({ url: '/' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ code: 'rate_limited' });
  });
});
