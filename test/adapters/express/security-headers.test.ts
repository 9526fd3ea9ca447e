import { createServer } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { securityHeaders } from 'bulwark/express';
import { listen } from '../../conformance/apps/listen.js';
import type { RunningApp } from '../../conformance/types.js';
import { http } from '../../helpers/http.js';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('express securityHeaders', () => {
  it.each([
    [{}, undefined],
    [{ removePoweredBy: false }, 'Express'],
  ])('X-Powered-By with %o is %s', async (options, expected) => {
    const a = express();
    a.use(securityHeaders(options));
    a.get('/x', (_req, res) => res.json({}));
    app = await listen(createServer(a));
    expect((await http(`${app.url}/x`)).headers['x-powered-by']).toBe(expected);
  });

  it("turns Express's x-powered-by setting off, and removes the header an enclosing app wrote", async () => {
    const outer = express();
    const inner = express();
    inner.use(securityHeaders());
    inner.get('/x', (_req, res) => res.json({}));
    outer.use('/in', inner);
    outer.get('/out', (_req, res) => res.json({}));
    app = await listen(createServer(outer));
    for (let i = 0; i < 2; i++) {
      expect((await http(`${app.url}/in/x`)).headers['x-powered-by']).toBeUndefined();
    }
    expect(inner.enabled('x-powered-by')).toBe(false);
    // Only the app the middleware serves: the outer app's own routes are its business.
    expect(outer.enabled('x-powered-by')).toBe(true);
    expect((await http(`${app.url}/out`)).headers['x-powered-by']).toBe('Express');
  });

  it('throws at creation on bad options', () => {
    expect(() => securityHeaders({ xFrameOptions: 'DENY\r\n' })).toThrow(/X-Frame-Options/);
  });
});
