import { describe, expect, it } from 'vitest';
import { compileSecurityHeaders } from 'bulwark';
import { fillWebHeaders } from '../../../adapters/shared/web.js';

const compiled = compileSecurityHeaders({});
const limit = { 'RateLimit-Policy': '"api";q=10;w=60', RateLimit: '"api";r=9;t=60' };

describe('fillWebHeaders', () => {
  it('adds the rate-limit fields and the security headers a response lacks, in lower case', () => {
    const headers = new Headers({ 'Content-Type': 'application/json' });
    fillWebHeaders(headers, compiled, limit);
    expect(headers.get('ratelimit-policy')).toBe('"api";q=10;w=60');
    expect(headers.get('ratelimit')).toBe('"api";r=9;t=60');
    for (const [name, value] of compiled.lower.entries) expect(headers.get(name)).toBe(value);
    expect(headers.get('content-type')).toBe('application/json');
  });

  it('keeps what the app set, whatever the case it wrote the name in', () => {
    const headers = new Headers({ 'X-Frame-Options': 'SAMEORIGIN', RATELIMIT: 'app' });
    fillWebHeaders(headers, compiled, limit);
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.get('ratelimit')).toBe('app');
    expect(headers.get('ratelimit-policy')).toBe('"api";q=10;w=60');
  });

  it('reads each response afresh: a name one response carried does not hold back the next', () => {
    const first = new Headers({ 'x-content-type-options': 'app', a: '1', b: '2', c: '3' });
    fillWebHeaders(first, compiled);
    expect(first.get('x-content-type-options')).toBe('app');
    const second = new Headers();
    fillWebHeaders(second, compiled);
    expect(second.get('x-content-type-options')).toBe('nosniff');
  });

  it('lets the first fields win over a security header of the same name', () => {
    const same = compileSecurityHeaders({ referrerPolicy: 'no-referrer' });
    const headers = new Headers();
    fillWebHeaders(headers, same, { 'Referrer-Policy': 'same-origin' });
    expect(headers.get('referrer-policy')).toBe('same-origin');
  });

  it('skips a field left undefined', () => {
    const headers = new Headers();
    fillWebHeaders(headers, undefined, { 'Retry-After': undefined, RateLimit: 'x' });
    expect([...headers.keys()]).toEqual(['ratelimit']);
  });
});
