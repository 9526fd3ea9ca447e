import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { hasSecurityHeaders, rateLimitSlot, securityHeadersSlot } from 'bulwark';
import { protect, rateLimit, securityHeaders } from 'bulwark/fastify';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('fastify securityHeaders', () => {
  it('notes what it wrote and counted in slots Fastify builds every reply and request with, not in WeakMaps', async () => {
    for (const register of ['separate', 'protect'] as const) {
      const a = Fastify();
      if (register === 'separate') {
        await a.register(securityHeaders);
        await a.register(rateLimit, { limiter: { limit: 5, windowMs: 60_000 } });
      } else {
        await a.register(protect, { rateLimit: { limiter: { limit: 5, windowMs: 60_000 } } });
      }
      let seen: { reply: unknown; request: unknown; marked: boolean } | undefined;
      a.get('/s', (request, reply) => {
        seen = {
          reply: (reply as unknown as Record<symbol, unknown>)[securityHeadersSlot],
          request: (request as unknown as Record<symbol, unknown>)[rateLimitSlot],
          marked: hasSecurityHeaders(reply),
        };
        return {};
      });
      const res = await a.inject('/s');
      expect(res.statusCode, register).toBe(200);
      expect(res.headers['x-frame-options']).toBe('DENY');
      // Own properties set when Fastify built the objects, written by the hooks.
      expect(seen?.reply, register).toBeTypeOf('object');
      expect(seen?.request, register).toBeTypeOf('object');
      expect(seen?.marked).toBe(true);
      await a.close();
    }
  });

  it('global: false applies only to routes that ask', async () => {
    app = Fastify();
    await app.register(securityHeaders, { global: false });
    app.get('/plain', () => ({}));
    app.get('/asked', { config: { securityHeaders: { preset: 'api' } } }, () => ({}));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const plain = await app.inject('/plain');
    expect(plain.headers['x-frame-options']).toBeUndefined();
    const asked = await fetch(
      `http://127.0.0.1:${String((app.server.address() as { port: number }).port)}/asked`,
    );
    expect(asked.headers.get('cache-control')).toBe('no-store');
  });

  it('reaches routes in encapsulated child plugins', async () => {
    app = Fastify();
    await app.register(securityHeaders);
    await app.register(
      (child, _opts, done) => {
        child.get('/inner', () => ({}));
        done();
      },
      { prefix: '/child' },
    );
    const res = await app.inject('/child/inner');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('a bad route override fails at startup', async () => {
    app = Fastify();
    await app.register(securityHeaders);
    expect(() =>
      app?.get('/bad', { config: { securityHeaders: { xFrameOptions: 'NOPE' } } }, () => ({})),
    ).toThrow(/X-Frame-Options/);
  });

  it("a route's own headers are on its 429, whatever the registration order", async () => {
    for (const order of ['headers first', 'limit first'] as const) {
      const a = Fastify();
      if (order === 'headers first') await a.register(securityHeaders);
      await a.register(rateLimit, { limiter: { limit: 1, windowMs: 60_000 } });
      if (order === 'limit first') await a.register(securityHeaders);
      a.get('/web', { config: { securityHeaders: { preset: 'web' } } }, () => ({}));
      expect((await a.inject('/web')).statusCode).toBe(200);
      const refused = await a.inject('/web');
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-security-policy']).toBeDefined();
      expect(refused.headers['x-content-type-options']).toBe('nosniff');
      await a.close();
    }
  });
});
