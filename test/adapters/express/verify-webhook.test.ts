import express from 'express';
import type { Request } from 'express';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { signWebhook } from 'bulwark';
import { verifyWebhook } from 'bulwark/express';
import { http } from '../../helpers/http.js';
import { captureLog } from '../../helpers/log-capture.js';
import { serve } from '../../helpers/serve.js';
import type { WatchedServer } from '../../helpers/serve.js';

const secrets: Record<string, string | undefined> = {
  a: 'secret-a',
  b: 'secret-b',
  open: undefined,
};
const body = '{"event":"ping"}';

describe('Express verifyWebhook', () => {
  let server: WatchedServer;
  const log = captureLog();
  beforeAll(async () => {
    const app = express();
    // Per-webhook secrets, looked up asynchronously by the id in the path.
    app.post(
      '/hooks/:id',
      verifyWebhook({
        secret: async (req: Request) => {
          await Promise.resolve();
          return secrets[String(req.params.id)];
        },
      }),
      (req, res) => {
        expectTypeOf(req.rawBody).toEqualTypeOf<Buffer | undefined>();
        res.status(202).json({ got: req.body as unknown });
      },
    );
    app.post(
      '/parsed-first',
      express.json(),
      verifyWebhook({ secret: 'x', logger: log.logger }),
      (_req, res) => {
        res.status(202).end();
      },
    );
    app.post(
      '/custom',
      verifyWebhook({
        secret: 'x',
        onReject: (error, _req, res) => {
          res.status(error.status).json({ problem: error.code });
        },
      }),
      (_req, res) => {
        res.status(202).end();
      },
    );
    server = await serve(app);
  });
  afterAll(() => server.close());

  const send = (path: string, headers: Record<string, string>) =>
    http(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });

  it('uses the secret the request function returns', async () => {
    const res = await send('/hooks/a', signWebhook(body, 'secret-a'));
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toEqual({ got: { event: 'ping' } });
    expect((await send('/hooks/b', signWebhook(body, 'secret-a'))).status).toBe(403);
  });

  it('does not check a mission-control webhook without a secret', async () => {
    expect((await send('/hooks/open', {})).status).toBe(202);
  });

  it('refuses with 500 when a JSON parser consumed the body first, and logs the parser once', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await send('/parsed-first', signWebhook(body, 'x'));
      expect(res.status).toBe(500);
      expect((JSON.parse(res.text) as { detail: string }).detail).toMatch(
        /read by another body parser/,
      );
    }
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toMatch(/misuse\.body_consumed.*express\.json\(\).*mount payloadLimit/);
  });

  it('refuses to be created without a secret', () => {
    expect(() => verifyWebhook({})).toThrow(/no secret is given.*process\.env/);
    expect(() => verifyWebhook({ secret: '' })).toThrow(/empty string/);
  });

  it('hands rejections to onReject', async () => {
    const res = await send('/custom', {});
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toEqual({ problem: 'signature_missing' });
  });
});
