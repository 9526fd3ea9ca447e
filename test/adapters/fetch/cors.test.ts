import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPromise } from 'bulwark';
import { cors } from 'bulwark/fetch';
import type { RunningApp } from '../../conformance/types.js';
import { http } from '../../helpers/http.js';
import { captureLog } from '../../helpers/log-capture.js';
import { ok, serveFetch } from './serve-fetch.js';

const ORIGIN = 'https://app.example.com';

describe('Fetch cors', () => {
  let app: RunningApp;
  const log = captureLog();
  const listed = cors({ origins: [ORIGIN], exposedHeaders: ['RateLimit'] });
  const asked = cors({
    origins: async (origin) => {
      await Promise.resolve();
      if (origin === 'https://throws.example.com') throw new Error('lookup failed');
      return origin.endsWith('.partner.example.com');
    },
    logger: log.logger,
  });
  beforeAll(async () => {
    app = await serveFetch(async (req) => {
      const { pathname } = new URL(req.url);
      const verdict = await (pathname.startsWith('/asked') ? asked(req) : listed(req));
      if (!verdict.ok) return verdict.response;
      if (pathname.endsWith('/boom')) return verdict.finish(ok({}, { status: 500 }));
      if (pathname.endsWith('/missing')) return verdict.finish(ok({}, { status: 404 }));
      return verdict.finish(ok({}, { headers: { Vary: 'Accept-Encoding' } }));
    });
  });
  afterAll(() => app.close());

  it('answers a preflight itself with 204 and the CORS headers', async () => {
    const res = await http(`${app.url}/api`, {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'X-Token',
      },
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-methods']).toContain('PUT');
    expect(res.headers['access-control-allow-headers']).toBe('x-token');
  });

  it('gives an allowed origin its origin back on the 200, 404 and 500, merging Vary', async () => {
    for (const [path, status] of [
      ['/api', 200],
      ['/api/missing', 404],
      ['/api/boom', 500],
    ] as const) {
      const res = await http(`${app.url}${path}`, { headers: { Origin: ORIGIN } });
      expect(res.status).toBe(status);
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers['access-control-expose-headers']).toBe('RateLimit');
    }
    const res = await http(`${app.url}/api`, { headers: { Origin: ORIGIN } });
    expect(res.headers.vary).toBe('Accept-Encoding, Origin');
  });

  it('gives another origin no CORS header, but still Vary: Origin', async () => {
    const res = await http(`${app.url}/api`, { headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept-Encoding, Origin');
    const preflight = await http(`${app.url}/api`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('asks an origins function, and refuses (logged once) when it throws', async () => {
    const yes = await http(`${app.url}/asked`, {
      headers: { Origin: 'https://a.partner.example.com' },
    });
    expect(yes.headers['access-control-allow-origin']).toBe('https://a.partner.example.com');
    for (let i = 0; i < 2; i++) {
      const res = await http(`${app.url}/asked`, {
        headers: { Origin: 'https://throws.example.com' },
      });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toContain('misuse.cors_origin');
  });

  it('decides a listed origin synchronously, and refuses bad options at creation', () => {
    const verdict = listed(new Request('http://app.test/', { headers: { Origin: ORIGIN } }));
    expect(isPromise(verdict)).toBe(false);
    expect(() => cors({} as never)).toThrow(TypeError);
    expect(() => cors({ origins: '*', credentials: true })).toThrow(TypeError);
  });
});
