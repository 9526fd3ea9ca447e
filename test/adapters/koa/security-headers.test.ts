import { createServer } from 'node:http';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { securityHeaders } from 'bulwark/koa';
import { listen } from '../../conformance/apps/listen.js';
import type { RunningApp } from '../../conformance/types.js';
import { http } from '../../helpers/http.js';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('koa securityHeaders', () => {
  it('survives Koa clearing headers on a thrown error, keeping the error’s own headers', async () => {
    const k = new Koa();
    k.silent = true;
    k.use(securityHeaders());
    k.use(() => {
      throw Object.assign(new Error('nope'), {
        status: 401,
        expose: true,
        headers: { 'WWW-Authenticate': 'Bearer', 'X-Frame-Options': 'SAMEORIGIN' },
      });
    });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    app = await listen(createServer(k.callback()));
    const res = await http(`${app.url}/`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('leaves non-object throws alone', async () => {
    const k = new Koa();
    k.silent = true;
    k.use(securityHeaders());
    k.use(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw 'plain string';
    });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    app = await listen(createServer(k.callback()));
    expect((await http(`${app.url}/`)).status).toBe(500);
  });
});
