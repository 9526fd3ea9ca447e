import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { signWebhook } from 'bulwark';
import { withBulwark } from 'bulwark/fetch';
import type { FetchRequestInfo } from 'bulwark/fetch';
import type { RunningApp } from '../../conformance/types.js';
import { http } from '../../helpers/http.js';
import { serveFetch } from './serve-fetch.js';

const BODY = '{"event":"ping"}';

describe('withBulwark over HTTP', () => {
  let app: RunningApp;
  let reached = 0;
  beforeAll(async () => {
    app = await serveFetch(
      withBulwark(
        {
          // What a runtime passes beside the request: here @hono/node-server's socket peer.
          clientAddress: (_request, info: FetchRequestInfo) => info.clientAddress,
          rateLimit: { limiter: { limit: 3, windowMs: 60_000, algorithm: 'fixed-window' } },
          verifyWebhook: { secret: 'hook-secret' },
        },
        (request, { rawBody, body }, info) => {
          reached++;
          expectTypeOf(rawBody).toEqualTypeOf<Buffer | undefined>();
          expectTypeOf(body).toEqualTypeOf<unknown>();
          if (new URL(request.url).pathname === '/boom') throw new Error('handler failed');
          return Response.json(
            { body, bytes: rawBody?.length, peer: info.clientAddress },
            { status: 202 },
          );
        },
      ),
    );
  });
  afterAll(() => app.close());

  const send = (path: string, headers: Record<string, string>) =>
    http(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: BODY,
    });

  it('hands the verified body to the handler and finishes its response', async () => {
    const res = await send('/hook', signWebhook(BODY, 'hook-secret'));
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toEqual({
      body: { event: 'ping' },
      bytes: BODY.length,
      peer: '127.0.0.1',
    });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers.ratelimit).toMatch(/;r=2;/);
  });

  it('answers a refused request itself: the handler never runs', async () => {
    const before = reached;
    const res = await send('/hook', signWebhook(BODY, 'wrong'));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toEqual({ detail: 'Invalid webhook signature.' });
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(reached).toBe(before);
  });

  it('lets a handler error reach the runtime, which answers 500', async () => {
    const res = await send('/boom', signWebhook(BODY, 'hook-secret'));
    expect(res.status).toBe(500);
  });
});

describe('withBulwark', () => {
  it('rethrows what the handler throws', async () => {
    const wrapped = withBulwark({}, () => {
      throw new Error('handler failed');
    });
    await expect(wrapped(new Request('http://app.test/'))).rejects.toThrow('handler failed');
  });

  it('copies a handler response whose headers are immutable', async () => {
    const wrapped = withBulwark({}, () => Response.redirect('https://app.test/next', 307));
    const res = await wrapped(new Request('http://app.test/'));
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('https://app.test/next');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('passes the rest of the arguments through, typed', async () => {
    const wrapped = withBulwark({}, (_request, _received, server: { name: string }, n: number) =>
      Response.json({ name: server.name, n }),
    );
    expectTypeOf(wrapped).parameters.toEqualTypeOf<[Request, { name: string }, number]>();
    const res = await wrapped(new Request('http://app.test/'), { name: 'bun' }, 2);
    expect(await res.json()).toEqual({ name: 'bun', n: 2 });
  });

  it('refuses bad wiring at creation', () => {
    const handler = () => new Response('x');
    expect(() => withBulwark({ ratelimit: {} } as never, handler)).toThrow(
      /withBulwark: unknown option "ratelimit"; write rateLimit/,
    );
    expect(() => withBulwark({ clientaddress: () => 'x' } as never, handler)).toThrow(
      /write clientAddress/,
    );
    expect(() => withBulwark({}, undefined as never)).toThrow(/the handler is missing/);
    expect(() => withBulwark({ clientAddress: 'x' as never }, handler)).toThrow(
      /clientAddress: not a function/,
    );
    expect(() => withBulwark({ securityHeaders: false }, handler)).toThrow(/every part is off/);
    expect(() =>
      withBulwark({ payloadLimit: {}, verifyWebhook: { secret: 'x' } }, handler),
    ).toThrow(TypeError);
  });
});
