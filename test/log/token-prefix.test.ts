import { describe, expect, it } from 'vitest';
import { tokenPrefix } from 'bulwark';

describe('tokenPrefix', () => {
  it('shows the first 6 characters of a normal token, as Mission Control logs them', () => {
    expect(tokenPrefix('mc_live_8f3a9c2e71d04b5a')).toBe('mc_liv');
  });

  it('never shows more than a quarter of the token', () => {
    expect(tokenPrefix('abcdefghijkl')).toBe('abc'); // 12 chars -> 3
    expect(tokenPrefix('abcdefgh')).toBe('ab');
    expect(tokenPrefix('abcd')).toBe('a');
    expect(tokenPrefix('abc')).toBe('');
    for (let n = 0; n < 64; n++) {
      const t = 'x'.repeat(n);
      expect(tokenPrefix(t).length).toBeLessThanOrEqual(Math.min(6, n / 4));
    }
  });

  it('shows nothing for a missing token', () => {
    expect(tokenPrefix('')).toBe('');
    expect(tokenPrefix(null)).toBe('');
    expect(tokenPrefix(undefined)).toBe('');
  });

  it('replaces control and non-ASCII characters, never splitting a surrogate pair', () => {
    expect(tokenPrefix('\n\x1b[31mabcdefghijklmnopqrstu')).toBe('??[31m');
    expect(tokenPrefix('😀😀😀😀😀😀😀😀')).toBe('??');
  });
});
