import Fastify from 'fastify';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { cors } from 'bulwark/fastify';

const APP = 'https://app.example.com';
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const preflight = (a: FastifyInstance, url: string, method = 'PUT', origin = APP) =>
  a.inject({
    method: 'OPTIONS',
    url,
    headers: { origin, 'access-control-request-method': method },
  });
const allowed = (res: LightMyRequestResponse) => res.headers['access-control-allow-origin'];

describe('Fastify cors plugin', () => {
  it("answers a preflight with the route's own options, per method", async () => {
    app = Fastify();
    await app.register(cors, { origins: APP });
    app.get('/items/:id', { config: { cors: false } }, () => ({}));
    app.put('/items/:id', () => ({}));
    app.delete(
      '/items/:id',
      { config: { cors: { origins: 'https://admin.example.com' } } },
      () => ({}),
    );
    app.get('/open', () => ({}));
    // The route opted out: its preflight gets no CORS header, so the browser sends nothing.
    expect(allowed(await preflight(app, '/items/7', 'GET'))).toBeUndefined();
    // Another method on the same path keeps the plugin's options.
    expect(allowed(await preflight(app, '/items/7', 'PUT'))).toBe(APP);
    // A route's own origins answer its preflights.
    expect(allowed(await preflight(app, '/items/7', 'DELETE'))).toBeUndefined();
    expect(allowed(await preflight(app, '/items/7', 'DELETE', 'https://admin.example.com'))).toBe(
      'https://admin.example.com',
    );
    // Paths without their own OPTIONS route reach the catch-all.
    const open = await preflight(app, '/open');
    expect(open.statusCode).toBe(204);
    expect(allowed(open)).toBe(APP);
    // A plain OPTIONS request to such a path goes on to the 404 handler.
    expect((await app.inject({ method: 'OPTIONS', url: '/items/7' })).statusCode).toBe(404);
  });

  it('does the same for a route in a prefixed child scope', async () => {
    app = Fastify();
    await app.register(
      async (api) => {
        await api.register(cors, { origins: APP });
        api.post('/hooks', { config: { cors: false } }, () => ({}));
        api.get('/x', () => ({}));
      },
      { prefix: '/api' },
    );
    expect(allowed(await preflight(app, '/api/hooks', 'POST'))).toBeUndefined();
    expect(allowed(await preflight(app, '/api/x', 'GET'))).toBe(APP);
    // Outside the scope: not answered by bulwark at all.
    expect((await preflight(app, '/x', 'GET')).statusCode).toBe(404);
  });

  it('refuses a route with its own cors options beside an OPTIONS route of the app', async () => {
    app = Fastify();
    await app.register(cors, { origins: APP });
    app.options('/mine', () => ({}));
    expect(() => app?.get('/mine', { config: { cors: false } }, () => ({}))).toThrow(
      /the route \/mine has its own config\.cors, and an OPTIONS route of your own/,
    );
  });

  it('registered twice in one scope: register() rejects with what to write', async () => {
    app = Fastify();
    await app.register(cors, { origins: APP });
    await expect(app.register(cors, { origins: APP })).rejects.toThrow(
      /cors registered twice in one scope/,
    );
  });
});
