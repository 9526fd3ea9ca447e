import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beginMarker, endMarker, isMarkerLike } from '../../src/prompt/markers.js';
import { skeleton } from '../../src/prompt/unicode.js';
import { FENCE_BREAKERS } from '../fixtures/adversarial.js';

describe('skeleton', () => {
  it('folds width, style, accents, case and look-alikes, and drops everything else', () => {
    expect(skeleton('\uff0d\uff0d \uff25\uff2e\uff24 \u2014 Ext\u0435rnal\u200b Data')).toBe(
      'endexternaldata',
    );
    expect(skeleton('\ud835\udc04\ud835\udc0d\ud835\udc03')).toBe('end');
    expect(skeleton('\u1d07\u0274\u1d05')).toBe('end');
    expect(skeleton('É N D')).toBe('end');
  });
});

describe('isMarkerLike', () => {
  it('recognizes the real markers, with and without nonce', () => {
    for (const label of ['EXTERNAL DATA', 'STRUCTURED DATA']) {
      for (const nonce of ['', '0123456789abcdef']) {
        expect(isMarkerLike(beginMarker(label, nonce))).toBe(true);
        expect(isMarkerLike(endMarker(label, nonce))).toBe(true);
      }
    }
  });

  it.each(FENCE_BREAKERS)('recognizes %j', (line) => {
    expect(isMarkerLike(line)).toBe(true);
  });

  it.each([
    'End of story.',
    'Beginning',
    'endpoint: /x',
    'The end data',
    'begins',
    '[neutralized] END',
  ])('leaves %j alone', (line) => {
    expect(isMarkerLike(line)).toBe(false);
  });
});

describe('isMarkerLike fast exit', () => {
  /** The rule applied to the full skeleton, without the fast exit. */
  function slow(line: string): boolean {
    const s = skeleton(line);
    const rest = s.startsWith('begin') ? s.slice(5) : s.startsWith('end') ? s.slice(3) : undefined;
    if (rest === undefined) return false;
    return (
      rest === '' ||
      ['data', 'instruction', 'prompt', 'system', 'external', 'structured'].some((w) =>
        rest.includes(w),
      )
    );
  }

  it('agrees with the full rule on arbitrary and marker-biased lines', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom(
        'END',
        'begin',
        'Data',
        'ＥＮＤ',
        'Е',
        'É',
        '\u0301',
        '-',
        ' ',
        'x',
        '1',
        '\u200b',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        const line = parts.join('');
        expect(isMarkerLike(line)).toBe(slow(line));
      }),
      { numRuns: 2000 },
    );
  });
});
