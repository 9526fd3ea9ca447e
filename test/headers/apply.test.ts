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

  it('with names(), reads no header of a response that carries none, and each of one that does', () => {
    const reads: string[] = [];
    const counting: HeaderAccess<Target> = {
      ...access,
      get: (t, n) => {
        reads.push(n);
        return access.get(t, n);
      },
      names: (t) => [...t.h.keys()],
    };
    const empty = target();
    applySecurityHeaders(empty, counting, compileSecurityHeaders());
    expect(reads).toEqual([]);
    expect(empty.h.size).toBe(3);
    const carrying = target({ 'X-Frame-Options': 'SAMEORIGIN' });
    applySecurityHeaders(carrying, counting, compileSecurityHeaders());
    expect(reads).toHaveLength(3);
    expect(carrying.h.get('x-frame-options')).toBe('SAMEORIGIN');
    // The same response again, through a later layer: its own earlier values are replaced.
    applySecurityHeaders(empty, counting, compileSecurityHeaders({ xFrameOptions: false }));
    expect(empty.h.has('x-frame-options')).toBe(false);
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
