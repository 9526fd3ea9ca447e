import { describe, expect, it } from 'vitest';
import { compileRateLimitHeaders, rateLimitError, rateLimitHeaders } from 'bulwark';
import type { RateLimitDecision } from 'bulwark';

const allowed: RateLimitDecision = {
  allowed: true,
  limit: 100,
  remaining: 42,
  resetMs: 16_001,
  retryAfterMs: 0,
  storeUnavailable: false,
  stamp: 0,
};
const rejected: RateLimitDecision = {
  ...allowed,
  allowed: false,
  remaining: 0,
  retryAfterMs: 2001,
};

describe('rateLimitHeaders', () => {
  it('sends the current IETF draft structured fields by default', () => {
    const options = { name: 'api', windowMs: 60_000 };
    expect(rateLimitHeaders(allowed, options)).toEqual({
      'RateLimit-Policy': '"api";q=100;w=60',
      RateLimit: '"api";r=42;t=17',
    });
  });

  it('adds Retry-After in whole seconds, rounded up, on every rejection', () => {
    const h = rateLimitHeaders(rejected, { name: 'api', windowMs: 60_000 });
    expect(h['Retry-After']).toBe('3');
    expect(
      rateLimitHeaders({ ...rejected, retryAfterMs: 1 }, { name: 'a', windowMs: 1 }),
    ).toMatchObject({ 'Retry-After': '1' });
    expect(
      rateLimitHeaders(rejected, { name: 'a', windowMs: 1000, format: false })['Retry-After'],
    ).toBe('3');
  });

  it('draft-7, draft-6 and legacy forms on request', () => {
    expect(rateLimitHeaders(allowed, { name: 'a', windowMs: 1500, format: 'draft-7' })).toEqual({
      'RateLimit-Policy': '100;w=2',
      RateLimit: 'limit=100, remaining=42, reset=17',
    });
    expect(rateLimitHeaders(allowed, { name: 'a', windowMs: 60_000, format: 'draft-6' })).toEqual({
      'RateLimit-Policy': '100;w=60',
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '42',
      'RateLimit-Reset': '17',
    });
    const legacy = rateLimitHeaders(allowed, {
      name: 'a',
      windowMs: 1000,
      format: false,
      legacy: true,
    });
    expect(Object.keys(legacy)).toEqual([
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
    ]);
    expect(Number(legacy['X-RateLimit-Reset'])).toBeGreaterThan(Date.now() / 1000);
  });

  it('claims no counts for a decision made without the store', () => {
    const build = compileRateLimitHeaders({ name: 'a', windowMs: 1000 });
    expect(build({ ...allowed, storeUnavailable: true })).toEqual({});
    expect(build({ ...rejected, storeUnavailable: true, retryAfterMs: 5000 })).toEqual({
      'Retry-After': '5',
    });
  });

  it('rejects a bad format at creation', () => {
    expect(() =>
      compileRateLimitHeaders({ name: 'a', windowMs: 1, format: 'draft-8' as never }),
    ).toThrow(/write 'ietf', 'draft-7', 'draft-6' or false/);
  });
});

describe('rateLimitError', () => {
  it('is a 429 with the Mission Control body, or a 503 when the store is down', () => {
    const e = rateLimitError(rejected, { 'Retry-After': '3' });
    expect(e).toMatchObject({ status: 429, code: 'rate_limited', detail: 'Too Many Requests' });
    expect(e.headers).toEqual({ 'Retry-After': '3' });
    expect(rateLimitError({ ...rejected, storeUnavailable: true }, {})).toMatchObject({
      status: 503,
      code: 'store_unavailable',
    });
  });
});
