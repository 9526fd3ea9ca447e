import { describe, expect, it } from 'vitest';
import { compileCors, isPromise } from 'bulwark';
import type { CorsOptions, CorsOutcome, CorsRequest } from 'bulwark';
import { captureLog } from '../helpers/log-capture.js';

const APP = 'https://app.example.com';
const get = (origin?: string | string[]): CorsRequest => ({
  method: 'GET',
  headers: origin === undefined ? {} : { origin },
});
const preflight = (origin: string, extra: Record<string, string> = {}): CorsRequest => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': 'PUT', ...extra },
});
function now(policy: ReturnType<typeof compileCors>, request: CorsRequest): CorsOutcome {
  const outcome = policy.decide(request, {});
  if (isPromise(outcome)) throw new Error('expected an outcome now');
  return outcome;
}

describe('compileCors: simple and actual requests', () => {
  const policy = compileCors({
    origins: [APP, /^https:\/\/[a-z0-9-]+\.preview\.example\.com$/],
    exposedHeaders: ['RateLimit', 'RateLimit-Policy'],
  });

  it('answers an allowed origin with exactly that origin and Vary: Origin', () => {
    expect(now(policy, get(APP))).toEqual({
      headers: {
        'Access-Control-Allow-Origin': APP,
        'Access-Control-Expose-Headers': 'RateLimit, RateLimit-Policy',
      },
      vary: 'Origin',
      preflight: false,
    });
  });

  it('matches after normalization and answers with the normalized origin', () => {
    expect(
      now(policy, get('HTTPS://App.Example.com:443')).headers['Access-Control-Allow-Origin'],
    ).toBe(APP);
    expect(
      now(policy, get('https://pr-7.preview.example.com')).headers['Access-Control-Allow-Origin'],
    ).toBe('https://pr-7.preview.example.com');
  });

  it.each([
    ['another site', 'https://evil.example.net'],
    ['a look-alike suffix', 'https://app.example.com.evil.net'],
    ['the null origin, not listed', 'null'],
    ['a malformed origin', 'https://app.example.com/path'],
    ['an origin with a line break', 'https://app.example.com\r\nX: 1'],
    ['an oversized origin', `https://${'a'.repeat(5000)}.example.com`],
    ['two origins in one header', `${APP}, https://evil.example.net`],
  ])('gives %s no CORS header at all, only Vary', (_what, origin) => {
    expect(now(policy, get(origin))).toEqual({ headers: {}, vary: 'Origin', preflight: false });
  });

  it('refuses a repeated Origin header', () => {
    expect(now(policy, get([APP, APP])).headers).toEqual({});
    expect(now(policy, get([APP])).headers['Access-Control-Allow-Origin']).toBe(APP);
  });

  it('sends Vary: Origin on requests without an Origin (a cache must not reuse them)', () => {
    expect(now(policy, get())).toEqual({ headers: {}, vary: 'Origin', preflight: false });
  });

  it('allows the null origin only when listed', () => {
    const withNull = compileCors({ origins: ['null'] });
    expect(now(withNull, get('null')).headers['Access-Control-Allow-Origin']).toBe('null');
  });
});

describe("compileCors: '*'", () => {
  const policy = compileCors({ origins: '*', maxAge: 600 });

  it('answers every request with * and no Vary', () => {
    for (const origin of [undefined, APP, 'null', 'garbage']) {
      expect(now(policy, get(origin))).toEqual({
        headers: { 'Access-Control-Allow-Origin': '*' },
        vary: undefined,
        preflight: false,
      });
    }
  });

  it('reflects the requested headers in a preflight, varying on them only', () => {
    const answer = now(
      policy,
      preflight(APP, { 'access-control-request-headers': 'Content-Type, X-Client' }),
    );
    expect(answer).toEqual({
      headers: {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
        'Access-Control-Allow-Headers': 'content-type, x-client',
        'Access-Control-Max-Age': '600',
      },
      vary: 'Access-Control-Request-Headers',
      preflight: true,
    });
  });
});

describe('compileCors: preflights', () => {
  const options: CorsOptions = {
    origins: APP,
    credentials: true,
    methods: ['GET', 'PUT'],
    maxAge: 600,
    privateNetwork: true,
  };
  const policy = compileCors(options);

  it('answers an allowed preflight with everything the browser checks', () => {
    const answer = now(
      policy,
      preflight(APP, {
        'access-control-request-headers': 'x-client-version,content-type,X-Client-Version',
        'access-control-request-private-network': 'true',
      }),
    );
    expect(answer).toEqual({
      headers: {
        'Access-Control-Allow-Origin': APP,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'GET, PUT',
        'Access-Control-Allow-Headers': 'x-client-version, content-type',
        'Access-Control-Max-Age': '600',
        'Access-Control-Allow-Private-Network': 'true',
      },
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Private-Network',
      preflight: true,
    });
  });

  it('answers a refused preflight 204 with no CORS header, before the app', () => {
    expect(now(policy, preflight('https://evil.example.net'))).toEqual({
      headers: {},
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Private-Network',
      preflight: true,
    });
  });

  it('does not reflect a malformed or oversized header list', () => {
    for (const asked of [
      'x-ok, "bad"',
      'a b',
      Array.from({ length: 100 }, (_, i) => `x-${i}`).join(','),
    ]) {
      const answer = now(policy, preflight(APP, { 'access-control-request-headers': asked }));
      expect(answer.headers['Access-Control-Allow-Headers']).toBeUndefined();
    }
  });

  it('leaves a plain OPTIONS request (no Origin or no request method) to the app', () => {
    expect(now(policy, { method: 'OPTIONS', headers: {} }).preflight).toBe(false);
    expect(now(policy, { method: 'OPTIONS', headers: { origin: APP } })).toMatchObject({
      preflight: false,
      headers: { 'Access-Control-Allow-Origin': APP },
    });
  });

  it('passes preflights on with preflightContinue', () => {
    const passing = compileCors({ ...options, preflightContinue: true });
    expect(now(passing, preflight(APP)).preflight).toBe(false);
    expect(now(passing, preflight(APP)).headers['Access-Control-Allow-Methods']).toBe('GET, PUT');
  });

  it('sends the configured allowedHeaders instead of reflecting', () => {
    const fixed = compileCors({ origins: APP, allowedHeaders: ['Content-Type'] });
    const answer = now(fixed, preflight(APP, { 'access-control-request-headers': 'x-other' }));
    expect(answer.headers['Access-Control-Allow-Headers']).toBe('Content-Type');
    expect(answer.vary).toBe('Origin');
  });
});

describe('compileCors: an origins function', () => {
  it('is asked on every request, with the normalized origin and the request', async () => {
    const asked: [string, unknown][] = [];
    const policy = compileCors<{ tenant: string }>({
      origins: (origin, req) => {
        asked.push([origin, req]);
        return Promise.resolve(req.tenant === 'a');
      },
    });
    const a = await policy.decide(get('HTTPS://App.example.com'), { tenant: 'a' });
    const b = await policy.decide(get(APP), { tenant: 'b' });
    expect(a.headers['Access-Control-Allow-Origin']).toBe(APP);
    expect(b.headers).toEqual({});
    expect(asked).toEqual([
      [APP, { tenant: 'a' }],
      [APP, { tenant: 'b' }],
    ]);
  });

  it('is never asked about the null origin', () => {
    let calls = 0;
    const policy = compileCors({
      origins: () => {
        calls++;
        return true;
      },
    });
    expect(now(policy, get('null')).headers).toEqual({});
    expect(calls).toBe(0);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('tenant db down: postgres://u:secret@db');
      },
      /threw \(tenant db down: postgres:\/\/u:\*\*\*@db\)/,
    ],
    ['rejects', () => Promise.reject(new Error('timeout')), /threw \(timeout\)/],
    ['returns a string', () => 'yes' as unknown as boolean, /returned string/],
  ])('that %s refuses the origin and logs once', async (_what, fn, line) => {
    const log = captureLog();
    const policy = compileCors({ origins: fn, logger: log.logger });
    for (let i = 0; i < 3; i++) expect((await policy.decide(get(APP), {})).headers).toEqual({});
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toMatch(line);
  });
});
