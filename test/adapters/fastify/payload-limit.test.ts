import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { payloadLimit, securityHeaders } from 'bulwark/fastify';
import { http } from '../../helpers/http.js';
import { rawRequest } from '../../helpers/raw-http.js';

describe('Fastify payloadLimit', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = Fastify({ logger: false });
    await app.register(securityHeaders);
    await app.register(payloadLimit, { limit: 1024 });
    app.post('/in', async (request, reply) => {
      expectTypeOf(request.rawBody).toEqualTypeOf<Buffer | undefined>();
      return reply.code(202).send({ body: request.body, raw: request.rawBody?.length });
    });
    // A route's own limit, above Fastify's default bodyLimit of 1 MiB.
    app.post('/big', { config: { payloadLimit: { limit: 2 * 1024 * 1024 } } }, (request, reply) =>
      reply.send({ raw: request.rawBody?.length }),
    );
    app.post('/free', { config: { payloadLimit: false } }, (request, reply) =>
      reply.send({ raw: request.rawBody?.length ?? null }),
    );
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  it('leaves rawBody; Fastify parses the body', async () => {
    const res = await http(`${url}/in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toEqual({ body: { a: 1 }, raw: 7 });
  });

  it('answers 413 with the Mission Control detail and security headers', async () => {
    const res = await http(`${url}/in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: 'x'.repeat(1025),
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({ detail: 'Payload exceeds maximum size of 1024 bytes.' });
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers.connection).toBe('close');
  });

  it('honours a per-route limit above Fastify bodyLimit, and a per-route opt-out', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(1_500_000) });
    const res = await http(`${url}/big`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: big,
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ raw: big.length });
    const free = await http(`${url}/free`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"x":"' + 'y'.repeat(2000) + '"}',
    });
    expect(JSON.parse(free.text)).toEqual({ raw: null });
  });

  it('answers 413 to a chunked stream, closes, and keeps serving', async () => {
    const res = await rawRequest(
      url,
      'POST /in HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked',
      {
        body: `400\r\n${'x'.repeat(1024)}\r\n`,
        trailingBytes: 4 * 1024 * 1024,
      },
    );
    expect(res.status).toBe(413);
    expect(res.closed).toBe(true);
    const ok = await http(`${url}/in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(ok.status).toBe(202);
  });
});
