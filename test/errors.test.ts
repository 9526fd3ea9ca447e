import { describe, expect, it } from 'vitest';
import { BulwarkError, isBulwarkError, renderRejection } from 'bulwark';

describe('BulwarkError and renderRejection', () => {
  it('carries status, code, detail and headers', () => {
    const cause = new Error('store down');
    const e = new BulwarkError({
      status: 429,
      code: 'rate_limited',
      detail: 'Too Many Requests',
      headers: { 'Retry-After': '3' },
      cause,
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('BulwarkError');
    expect(e.message).toBe('Too Many Requests');
    expect(e.cause).toBe(cause);
    expect(isBulwarkError(e)).toBe(true);
    expect(isBulwarkError(new Error('x'))).toBe(false);
    expect(isBulwarkError({ status: 400, detail: 'x' })).toBe(false);
  });

  it('renders the one JSON shape every adapter sends', () => {
    const e = new BulwarkError({
      status: 413,
      code: 'payload_too_large',
      detail: 'Payload exceeds maximum size of 5 bytes.',
      headers: { Connection: 'close' },
    });
    expect(renderRejection(e)).toEqual({
      status: 413,
      headers: { Connection: 'close', 'Content-Type': 'application/json; charset=utf-8' },
      body: '{"detail":"Payload exceeds maximum size of 5 bytes."}',
    });
    expect(new BulwarkError({ status: 400, code: 'bad_request', detail: 'x' }).headers).toEqual({});
  });
});
