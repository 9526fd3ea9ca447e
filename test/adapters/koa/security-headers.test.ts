import { createServer } from 'node:http';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { rateLimitSlot, securityHeadersSlot } from 'bulwark';
import { protect, securityHeaders } from 'bulwark/koa';
import { listen } from '../../conformance/apps/listen.js';
import type { RunningApp } from '../../conformance/types.js';
import { http } from '../../helpers/http.js';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

type OnError = (this: Koa.Context, error: Error | null) => void;

/** `securityHeaders()` before a handler that answers /fine and throws a 418 elsewhere. */
function teapotApp(before?: (k: Koa) => void): Koa {
  const k = new Koa();
  k.silent = true;
  before?.(k);
  k.use(securityHeaders());
  k.use((ctx) => {
    if (ctx.path === '/fine') ctx.body = 'ok';
    else throw Object.assign(new Error(ctx.path), { status: 418, expose: true });
  });
  return k;
}

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

  it('chains to an onerror an outer middleware put on the context', async () => {
    const k = new Koa();
    k.silent = true;
    const seen: string[] = [];
    k.use((ctx, next) => {
      const original = ctx.onerror.bind(ctx);
      ctx.onerror = (error: Error | null) => {
        if (error !== null) seen.push(error.message);
        original(error!);
      };
      return next();
    });
    k.use(securityHeaders());
    k.use(() => {
      throw Object.assign(new Error('teapot'), { status: 418, expose: true });
    });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    app = await listen(createServer(k.callback()));
    const res = await http(`${app.url}/`);
    expect(res.status).toBe(418);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(seen).toEqual(['teapot']);
  });

  it('an error an outer middleware handles itself keeps the headers', async () => {
    const k = new Koa();
    k.use(async (ctx, next) => {
      try {
        await next();
      } catch {
        ctx.status = 409;
        ctx.body = { detail: 'handled' };
      }
    });
    k.use(securityHeaders());
    k.use(() => {
      throw new Error('conflict');
    });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    app = await listen(createServer(k.callback()));
    const res = await http(`${app.url}/`);
    expect(res.status).toBe(409);
    expect(res.headers['x-frame-options']).toBe('DENY');
  });
  it('keeps an onerror the app set on app.context, before and after the first request', async () => {
    const seen: string[] = [];
    let koaDefault: OnError = () => undefined;
    const k = teapotApp((app) => {
      koaDefault = Reflect.get(app.context, 'onerror') as OnError;
      app.context.onerror = function (this: Koa.Context, error: Error | null) {
        if (error !== null) seen.push(`first:${error.message}`);
        koaDefault.call(this, error);
      };
    });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    app = await listen(createServer(k.callback()));
    expect((await http(`${app.url}/fine`)).status).toBe(200);
    const first = await http(`${app.url}/a`);
    expect(first.status).toBe(418);
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    // Replaced again while the app runs, after bulwark took its place in front of the first.
    k.context.onerror = function (this: Koa.Context, error: Error | null) {
      if (error !== null) seen.push(`second:${error.message}`);
      koaDefault.call(this, error);
    };
    const second = await http(`${app.url}/b`);
    expect(second.status).toBe(418);
    expect(second.headers['x-content-type-options']).toBe('nosniff');
    expect(seen).toEqual(['first:/a', 'second:/b']);
  });

  it('leaves the error answer of a request that skipped it as Koa makes it', async () => {
    const k = new Koa();
    k.silent = true;
    const headers = securityHeaders();
    // Only /guarded passes the middleware; both share app.context.
    k.use((ctx, next) =>
      ctx.path === '/guarded' ? (headers(ctx, next) as Promise<void>) : next(),
    );
    k.use(() => {
      throw Object.assign(new Error('nope'), {
        status: 403,
        expose: true,
        headers: { 'X-Own': 'kept' },
      });
    });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    app = await listen(createServer(k.callback()));
    const guarded = await http(`${app.url}/guarded`);
    expect(guarded.headers['x-content-type-options']).toBe('nosniff');
    const open = await http(`${app.url}/open`);
    expect(open.status).toBe(403);
    expect(open.headers['x-own']).toBe('kept');
    expect(open.headers['x-content-type-options']).toBeUndefined();
    const again = await http(`${app.url}/guarded`);
    expect(again.status).toBe(403);
    expect(again.headers['x-own']).toBe('kept');
    expect(again.headers['x-frame-options']).toBe('DENY');
  });
  it('notes what it did on the context, in slots declared once on app.context', async () => {
    const k = new Koa();
    const seen: { headers: boolean; counted: boolean }[] = [];
    k.use(protect({ rateLimit: { limiter: { name: 'slots', limit: 100, windowMs: 60_000 } } }));
    k.use((ctx) => {
      seen.push({
        headers: Object.hasOwn(ctx, securityHeadersSlot),
        counted: Object.hasOwn(ctx, rateLimitSlot),
      });
      ctx.body = 'ok';
    });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    app = await listen(createServer(k.callback()));
    expect((await http(`${app.url}/`)).status).toBe(200);
    expect((await http(`${app.url}/`)).status).toBe(200);
    expect(seen).toEqual([
      { headers: true, counted: true },
      { headers: true, counted: true },
    ]);
    // Declared on the prototype every context is built from, unset there.
    expect(Reflect.get(k.context, securityHeadersSlot)).toBeNull();
    expect(Reflect.get(k.context, rateLimitSlot)).toBeNull();
  });

  it('an app.context.onerror that wraps the one it finds after the first request (bulwark’s) answers once', async () => {
    const k = teapotApp();
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    app = await listen(createServer(k.callback()));
    expect((await http(`${app.url}/fine`)).status).toBe(200);
    // The handler now on app.context is bulwark's; the app wraps it and calls it, as a
    // logging wrapper does.
    const wrapped = Reflect.get(k.context, 'onerror') as OnError;
    const seen: string[] = [];
    k.context.onerror = function (this: Koa.Context, error: Error | null) {
      if (error !== null) seen.push(error.message);
      wrapped.call(this, error);
    };
    const res = await http(`${app.url}/wrapped`);
    expect(res.status).toBe(418);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(seen).toEqual(['/wrapped']);
    expect((await http(`${app.url}/fine`)).status).toBe(200);
  });
});
