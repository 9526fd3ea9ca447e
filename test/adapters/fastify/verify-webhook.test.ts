import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from 'bulwark';
import { verifyWebhook } from 'bulwark/fastify';
import { http } from '../../helpers/http.js';

const SW = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = '{"type":"invoice.paid"}';

describe('Fastify verifyWebhook', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = Fastify({ logger: false });
    await app.register(verifyWebhook, { scheme: 'standard-webhooks' });
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

  it('leaves routes without config alone', async () => {
    const res = await send('/open', {});
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ raw: null });
  });
});
