import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPromise } from 'bulwark';
import { securityHeaders } from 'bulwark/fetch';
import type { RunningApp } from '../../conformance/types.js';
import { http } from '../../helpers/http.js';
import { ok, serveFetch } from './serve-fetch.js';

const request = (path = '/') => new Request(`http://app.test${path}`);

describe('Fetch securityHeaders', () => {
  let app: RunningApp;
  const guard = securityHeaders();
  beforeAll(async () => {
    app = await serveFetch(async (req) => {
      const verdict = await guard(req);
      if (!verdict.ok) return verdict.response;
      const { pathname } = new URL(req.url);
      // The handler's own answers: a route, a 404, its own header, and an error it caught.
      try {
        if (pathname === '/') return verdict.finish(ok());
        if (pathname === '/own') {
          return verdict.finish(ok({}, { headers: { 'X-Frame-Options': 'SAMEORIGIN' } }));
        }
        if (pathname === '/boom') throw new Error('boom');
        return verdict.finish(ok({ detail: 'Not Found' }, { status: 404 }));
      } catch {
        return verdict.finish(ok({ detail: 'Internal Server Error' }, { status: 500 }));
      }
    });
  });
  afterAll(() => app.close());

  it('puts the headers on the handler 200, 404 and 500', async () => {
    for (const [path, status] of [
      ['/', 200],
      ['/nowhere', 404],
      ['/boom', 500],
    ] as const) {
      const res = await http(`${app.url}${path}`);
      expect(res.status).toBe(status);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    }
  });

  it('never replaces a header the handler set', async () => {
    const res = await http(`${app.url}/own`);
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('decides synchronously: nothing in it waits', () => {
    const verdict = guard(request());
    expect(isPromise(verdict)).toBe(false);
    if (isPromise(verdict) || !verdict.ok) throw new Error('expected an admitted verdict');
    expect(verdict.rawBody).toBeUndefined();
    expect(verdict.body).toBeUndefined();
  });

  it('copies a response whose headers are immutable: a redirect and a fetch() answer', async () => {
    const verdict = await guard(request());
    if (!verdict.ok) throw new Error('expected an admitted verdict');
    const redirect = Response.redirect('https://app.test/next', 302);
    expect(() => {
      redirect.headers.set('X-Test', '1');
    }).toThrow(TypeError);
    const finished = verdict.finish(redirect);
    expect(finished.status).toBe(302);
    expect(finished.headers.get('location')).toBe('https://app.test/next');
    expect(finished.headers.get('x-frame-options')).toBe('DENY');

    const upstream = await fetch(`${app.url}/own`);
    const proxied = verdict.finish(upstream);
    expect(proxied.status).toBe(200);
    // The upstream's own value stands; a missing one is added.
    expect(proxied.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(await proxied.json()).toEqual({});
  });

  it('hands a network error (Response.error()) back untouched', async () => {
    const verdict = await guard(request());
    if (!verdict.ok) throw new Error('expected an admitted verdict');
    const failed = Response.error();
    expect(verdict.finish(failed)).toBe(failed);
  });

  it('takes the core options: a preset, a header switched off, a bad option refused', async () => {
    const verdict = await securityHeaders({ preset: 'api', xFrameOptions: false })(request());
    if (!verdict.ok) throw new Error('expected an admitted verdict');
    const res = verdict.finish(new Response('x'));
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(() => securityHeaders({ preset: 'nope' } as never)).toThrow(TypeError);
  });
});
