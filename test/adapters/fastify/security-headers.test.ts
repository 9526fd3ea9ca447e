import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { securityHeaders } from 'bulwark/fastify';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('fastify securityHeaders', () => {
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
});
