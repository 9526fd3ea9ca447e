import express from 'express';
import type { ErrorRequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBulwarkError } from 'bulwark';
import { verifyWebhook } from 'bulwark/express';
import type { ExpressOnReject } from 'bulwark/express';
import { trackEscapes } from '../../helpers/escapes.js';
import { http } from '../../helpers/http.js';
import { captureLog } from '../../helpers/log-capture.js';
import { serve } from '../../helpers/serve.js';
import type { WatchedServer } from '../../helpers/serve.js';

const SECRET = 'reject-secret';

describe('Express onReject that fails to answer', () => {
  let server: WatchedServer;
  const log = captureLog();
  const escaped = trackEscapes();
  beforeAll(async () => {
    const app = express();
    const hook = (onReject: ExpressOnReject) =>
      verifyWebhook({ secret: SECRET, logger: log.logger, onReject });
    const reached = (_req: unknown, res: express.Response) => {
      res.status(202).json({ reached: true });
    };
    app.post(
      '/next',
      hook((_e, _req, _res, next) => {
        next();
      }),
      reached,
    );
    app.post(
      '/next-route',
      hook((_e, _req, _res, next) => {
        next('route');
      }),
      reached,
    );
    app.post('/next-route', reached);
    app.post(
      '/silent',
      hook(async () => {
        await Promise.resolve();
      }),
      reached,
    );
    app.post(
      '/half',
      hook((_e, _req, res) => {
        res.writeHead(418, { 'Content-Type': 'text/plain' });
        res.write('partial');
        throw new Error('render failed');
      }),
      reached,
    );
    // Express tells error handlers apart by their four parameters.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const errors: ErrorRequestHandler = (error, _req, res, _next) => {
      res.status(599).json({ handled: isBulwarkError(error) ? error.code : 'other' });
    };
    app.use(errors);
    server = await serve(app);
  });
  afterAll(() => server.close());

  const post = (path: string) =>
    http(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });

  it('next() without an error hands the rejection to the error handler, never the route', async () => {
    const res = await post('/next');
    expect(res.status).toBe(599);
    expect(JSON.parse(res.text)).toEqual({ handled: 'signature_missing' });
    expect(log.misuse().some((l) => l.includes('onReject handler passed the request on'))).toBe(
      true,
    );
  });

  it("next('route') does not reach the next route either", async () => {
    const res = await post('/next-route');
    expect(res.status).toBe(599);
  });

  it('an async onReject that answers nothing gets the default answer, not a hang', async () => {
    const res = await post('/silent');
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toEqual({ detail: 'Missing webhook signature header.' });
    expect(log.misuse().some((l) => l.includes('onReject handler did not answer'))).toBe(true);
  });

  it('a handler that started a response and threw: the connection is closed, nothing escapes', async () => {
    await expect(post('/half')).rejects.toThrow();
    expect(log.misuse().some((l) => l.includes('threw (render failed)'))).toBe(true);
    expect(escaped).toEqual([]);
  });
});
