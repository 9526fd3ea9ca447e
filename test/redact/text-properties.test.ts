import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactText } from 'bulwark';
import { mayContainSecret } from '../../src/redact/text.js';
import { FORMAT_CASES, type FormatCase } from '../fixtures/secret-formats.js';

const SEPARATORS = [' ', '\n', '.', '-', '_', '=', ':', '"', "'", '/', ',', '@', '?', '&'];

/**
 * Random text assembled from one format's own material: its prefix, runs of its alphabet,
 * separators, its near-misses, and the realistic credential set off by line breaks (so it is
 * a credential whatever stands around it).
 */
function material(c: FormatCase): fc.Arbitrary<string> {
  const piece = fc.oneof(
    fc.constant(c.prefix),
    fc.string({ unit: fc.constantFrom(...Array.from(c.alphabet)), maxLength: 80 }),
    fc.constantFrom(...SEPARATORS),
    fc.constantFrom(...c.nearMisses),
    fc.constant(`\n${c.text}\n`),
  );
  return fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
}

describe.each(FORMAT_CASES)('properties: $name', (c) => {
  it('is idempotent, keeps no full credential, and only changes text the trigger sees', () => {
    fc.assert(
      fc.property(material(c), (text) => {
        const once = redactText(text);
        expect(redactText(once)).toBe(once);
        if (text.includes(`\n${c.text}\n`)) expect(once).not.toContain(`\n${c.text}\n`);
        if (once !== text) expect(mayContainSecret(text)).toBe(true);
      }),
    );
  });
});

describe('properties: all formats mixed', () => {
  const ALL = FORMAT_CASES.flatMap((c) => [c.prefix, ...c.nearMisses, `\n${c.text}\n`]);
  const mixed = fc
    .array(
      fc.oneof(
        fc.constantFrom(...ALL),
        fc.constantFrom(...SEPARATORS),
        fc.string({ unit: fc.constantFrom(...Array.from('aZ09_-.=+/~')), maxLength: 40 }),
      ),
      { maxLength: 16 },
    )
    .map((parts) => parts.join(''));

  it('is idempotent and only changes text the trigger sees, across formats', () => {
    fc.assert(
      fc.property(mixed, (text) => {
        const once = redactText(text);
        expect(redactText(once)).toBe(once);
        if (once !== text) expect(mayContainSecret(text)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
