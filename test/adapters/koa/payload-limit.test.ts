import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloadLimit, securityHeaders } from 'bulwark/koa';
import { http } from '../../helpers/http.js';
import { rawRequest } from '../../helpers/raw-http.js';
import { eventually, serve } from '../../helpers/serve.js';
import type { WatchedServer } from '../../helpers/serve.js';

describe('Koa payloadLimit', () => {
  let server: WatchedServer;
  beforeAll(async () => {
    const app = new Koa();
    app.silent = true;
    app.use(securityHeaders());
    app.use(payloadLimit({ limit: 1024 }));
    app.use((ctx) => {
      ctx.status = 202;
      ctx.body = { body: ctx.request.body ?? null, raw: ctx.request.rawBody?.toString() ?? null };
    });
    // Koa's callback returns a promise per request; Node's listener ignores it by design.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    server = await serve(app.callback());
  });
  afterAll(() => server.close());

  it('leaves rawBody and the parsed body on ctx.request', async () => {
    const res = await http(`${server.url}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=two',
    });
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toEqual({ body: { a: '1', b: 'two' }, raw: 'a=1&b=two' });
  });

  it('answers 413 with security headers, stops reading, closes, and keeps serving', async () => {
    const before = server.bytesRead();
    for (let i = 0; i < 3; i++) {
      const res = await rawRequest(
        server.url,
        'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked',
        {
          body: `400\r\n${'x'.repeat(1024)}\r\n`,
          trailingBytes: 8 * 1024 * 1024,
        },
      );
      expect(res.status).toBe(413);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.closed).toBe(true);
    }
    expect(await eventually(() => server.openConnections() === 0)).toBe(true);
    expect(server.bytesRead() - before).toBeLessThan(8 * 1024 * 1024);
    expect((await http(`${server.url}/`, { method: 'POST', body: 'ok' })).status).toBe(202);
  });

  it('answers 400 for invalid JSON', async () => {
    const res = await http(`${server.url}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{nope',
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ detail: 'Request body is not valid JSON.' });
  });
});
