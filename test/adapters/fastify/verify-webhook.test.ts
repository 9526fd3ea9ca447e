import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from 'bulwark';
import { verifyWebhook } from 'bulwark/fastify';
import { http } from '../../helpers/http.js';

const SW = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = '{"type":"invoice.paid"}';

describe('Fastify verifyWebhook, per route (global: false)', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = Fastify({ logger: false });
    await app.register(verifyWebhook, { scheme: 'standard-webhooks', global: false });
    app.post(
      '/hooks/:id',
      {
        config: {
          verifyWebhook: {
            secret: async (request: FastifyRequest) => {
              await Promise.resolve();
              return (request.params as { id: string }).id === 'a' ? SW : undefined;
            },
          },
        },
      },
      async (request, reply) =>
        reply.code(202).send({ body: request.body, raw: request.rawBody?.length }),
    );
    app.post('/open', (request, reply) => reply.send({ raw: request.rawBody?.length ?? null }));
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  const send = (path: string, headers: Record<string, string>, payload = body) =>
    http(`${url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: payload,
    });

  it('verifies routes with config.verifyWebhook, with a per-request secret', async () => {
    const res = await send('/hooks/a', signWebhook(body, SW, { scheme: 'standard-webhooks' }));
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toEqual({ body: { type: 'invoice.paid' }, raw: body.length });
    const wrong = await send('/hooks/b', signWebhook(body, SW, { scheme: 'standard-webhooks' }));
    expect(wrong.status).toBe(403);
    expect(JSON.parse(wrong.text)).toEqual({ detail: 'Invalid webhook signature.' });
  });

  it('refuses a replay with 409', async () => {
    const headers = signWebhook(body, SW, { scheme: 'standard-webhooks', deliveryId: 'msg_fy' });
    expect((await send('/hooks/a', headers)).status).toBe(202);
    const again = await send('/hooks/a', headers);
    expect(again.status).toBe(409);
  });

  it('answers our 400 for invalid JSON before Fastify parses it', async () => {
    const bad = '{"type":';
    const res = await send('/hooks/a', signWebhook(bad, SW, { scheme: 'standard-webhooks' }), bad);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ detail: 'Request body is not valid JSON.' });
  });

  it('with global: false, leaves routes without config alone', async () => {
    const res = await send('/open', {});
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ raw: null });
  });
});

const MC_SECRET = 'scope-secret';
const mcBody = '{"event":"ping"}';

describe('Fastify verifyWebhook, registered in a scope', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = Fastify({ logger: false });
    // Exactly what a new user writes: the plugin in a scope, routes without route config.
    await app.register(async (scope) => {
      await scope.register(verifyWebhook, { secret: MC_SECRET });
      scope.post('/hook', (request, reply) => reply.code(202).send({ got: request.body }));
      scope.post('/open', { config: { verifyWebhook: false } }, () => ({ open: true }));
    });
    // Declared before the plugin in its own scope: still verified.
    await app.register(async (scope) => {
      scope.post('/early', () => ({ early: true }));
      await scope.register(verifyWebhook, { secret: MC_SECRET });
    });
    app.post('/outside', () => ({ outside: true }));
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  const post = (path: string, headers: Record<string, string>) =>
    http(`${url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: mcBody,
    });

  it('refuses a forged and an unsigned delivery with the 403s of Express and Koa', async () => {
    const forged = await post('/hook', signWebhook(mcBody, 'not-the-secret'));
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.text)).toEqual({ detail: 'Invalid webhook signature.' });
    const unsigned = await post('/hook', {});
    expect(unsigned.status).toBe(403);
    expect(JSON.parse(unsigned.text)).toEqual({ detail: 'Missing webhook signature header.' });
  });

  it('accepts a signed delivery', async () => {
    const res = await post('/hook', signWebhook(mcBody, MC_SECRET));
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toEqual({ got: { event: 'ping' } });
  });

  it('verifies routes declared before the plugin in its scope', async () => {
    expect((await post('/early', {})).status).toBe(403);
    expect((await post('/early', signWebhook(mcBody, MC_SECRET))).status).toBe(200);
  });

  it('lets a route opt out, and leaves routes outside the scope alone', async () => {
    expect((await post('/open', {})).status).toBe(200);
    expect((await post('/outside', {})).status).toBe(200);
  });

  it('refuses to register without a secret, through register()', async () => {
    const bare = Fastify({ logger: false });
    await expect(
      bare.register(verifyWebhook, { secret: process.env.BULWARK_UNSET_SECRET }),
    ).rejects.toThrow(/no secret is given.*global: false/);
    await bare.close();
  });
});
