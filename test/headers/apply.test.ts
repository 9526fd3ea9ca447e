import { describe, expect, it } from 'vitest';
import { applySecurityHeaders, compileSecurityHeaders, securityHeadersForError } from 'bulwark';
import type { HeaderAccess } from 'bulwark';

interface Target {
  h: Map<string, string>;
}
const access: HeaderAccess<Target> = {
  get: (t, n) => t.h.get(n.toLowerCase()),
  set: (t, n, v) => t.h.set(n.toLowerCase(), v),
  remove: (t, n) => t.h.delete(n.toLowerCase()),
};
const target = (init: Record<string, string> = {}): Target => ({
  h: new Map(Object.entries(init).map(([k, v]) => [k.toLowerCase(), v])),
});

describe('applySecurityHeaders', () => {
  it('sets what is missing and leaves what the app set', () => {
    const t = target({ 'X-Frame-Options': 'SAMEORIGIN' });
    applySecurityHeaders(t, access, compileSecurityHeaders());
    expect(Object.fromEntries(t.h)).toEqual({
      'x-frame-options': 'SAMEORIGIN',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
    });
  });

  it('a later bulwark layer replaces and removes what the earlier one set', () => {
    const t = target();
    applySecurityHeaders(t, access, compileSecurityHeaders());
    t.h.set('referrer-policy', 'origin'); // the app changed one itself
    applySecurityHeaders(
      t,
      access,
      compileSecurityHeaders({ xFrameOptions: 'SAMEORIGIN', xContentTypeOptions: false }),
    );
    expect(Object.fromEntries(t.h)).toEqual({
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'origin',
    });
  });

  it('hands the applied headers to an error, the error winning', () => {
    const t = target();
    expect(securityHeadersForError(t, undefined)).toBeUndefined();
    applySecurityHeaders(t, access, compileSecurityHeaders());
    expect(
      securityHeadersForError(t, { 'x-frame-options': 'SAMEORIGIN', 'Retry-After': '1' }),
    ).toEqual({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'x-frame-options': 'SAMEORIGIN',
      'Retry-After': '1',
    });
  });
});
