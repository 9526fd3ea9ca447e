import { gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloadLimit, securityHeaders } from 'bulwark/express';
import { http } from '../../helpers/http.js';
import { rawRequest } from '../../helpers/raw-http.js';
import { eventually, serve } from '../../helpers/serve.js';
import type { WatchedServer } from '../../helpers/serve.js';

describe('Express payloadLimit', () => {
  let server: WatchedServer;
  beforeAll(async () => {
    const app = express();
    app.use(securityHeaders());
    app.post('/in', payloadLimit({ limit: 1024 }), (req, res) => {
      res.status(202).json({ body: req.body as unknown, raw: req.rawBody?.toString() ?? null });
    });
    app.post('/gz', payloadLimit({ limit: 1024, inflate: true }), (req, res) => {
      res.status(202).json(req.body);
    });
    // Mounted first, express.json() finds the request finished and leaves req.body alone.
    app.post('/then-json', payloadLimit({ limit: 1024 }), express.json(), (req, res) => {
      res.status(202).json(req.body);
    });
    server = await serve(app);
  });
  afterAll(() => server.close());

  it('leaves rawBody and the parsed body', async () => {
    const res = await http(`${server.url}/in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toEqual({ body: { a: 1 }, raw: '{"a":1}' });
  });

  it('works beside express.json() mounted after it', async () => {
    const res = await http(`${server.url}/then-json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"b":2}',
    });
    expect(JSON.parse(res.text)).toEqual({ b: 2 });
  });

  it('decodes gzip with inflate', async () => {
    const res = await http(`${server.url}/gz`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: gzipSync('{"z":true}'),
    });
    expect(JSON.parse(res.text)).toEqual({ z: true });
  });

  it('answers 413, stops reading, closes, and keeps serving', async () => {
    const before = server.bytesRead();
    for (let i = 0; i < 5; i++) {
      const res = await rawRequest(
        server.url,
        'POST /in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked',
        {
          body: `400\r\n${'x'.repeat(1024)}\r\n`,
          trailingBytes: 8 * 1024 * 1024,
        },
      );
      expect(res.status).toBe(413);
      expect(res.headers.connection).toBe('close');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.closed).toBe(true);
    }
    expect(await eventually(() => server.openConnections() === 0)).toBe(true);
    // Five clients offered 40 MiB; the server read a small fraction of it.
    expect(server.bytesRead() - before).toBeLessThan(8 * 1024 * 1024);
    const ok = await http(`${server.url}/in`, { method: 'POST', body: 'fine' });
    expect(ok.status).toBe(202);
  });

  it('survives a client that aborts mid-body', async () => {
    await rawRequest(server.url, 'POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: 1000', {
      body: 'partial',
      timeoutMs: 100,
    }).catch(() => undefined);
    expect(await eventually(() => server.openConnections() === 0)).toBe(true);
    const ok = await http(`${server.url}/in`, { method: 'POST', body: 'fine' });
    expect(ok.status).toBe(202);
  });
});
