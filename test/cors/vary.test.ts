import { describe, expect, it } from 'vitest';
import { mergeVary } from 'bulwark';

describe('mergeVary', () => {
  it.each([
    [undefined, 'Origin', 'Origin'],
    ['', 'Origin', 'Origin'],
    ['Accept-Encoding', 'Origin', 'Accept-Encoding, Origin'],
    ['origin', 'Origin', 'origin'],
    [
      'Accept-Encoding, Origin',
      'Origin, Access-Control-Request-Headers',
      'Accept-Encoding, Origin, Access-Control-Request-Headers',
    ],
    [['Accept', 'Cookie'], 'Origin', 'Accept, Cookie, Origin'],
    ['*', 'Origin', '*'],
    ['Accept, *', 'Origin', '*'],
  ])('%j + %s = %s', (current, fields, expected) => {
    expect(mergeVary(current, fields)).toBe(expected);
  });
});
