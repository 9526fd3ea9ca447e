import { describe, expect, it } from 'vitest';
import { redactText } from 'bulwark';
import { FORMAT_CASES, type FormatCase } from '../fixtures/secret-formats.js';

/**
 * One set of 1 MB adversarial inputs per built-in pattern, built from that pattern's own
 * prefix and alphabet: the prefix repeated without its terminator, one long run of the
 * alphabet, the prefix before runs that are one character too short, near-misses back to back,
 * and real tokens back to back. A pattern that backtracks quadratically would need minutes on
 * any of these and hit the test timeout; that is how this file fails. Time is never asserted,
 * only the output.
 */
const MB = 1 << 20;
const fill = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
/** Whole copies of `unit` up to about 1 MB, so the last one is not cut short. */
const copies = (unit: string): string => unit.repeat(Math.max(1, Math.floor(MB / unit.length)));
/** The alphabet cycled to `n` characters. */
const run = (alphabet: string, n: number): string => fill(alphabet).slice(0, n);

function adversaries(c: FormatCase): Record<string, string> {
  return {
    'prefix repeated': fill(c.prefix),
    'prefix then one long run': c.prefix + run(c.alphabet, MB),
    'prefix, run, prefix, run ...': fill(c.prefix + run(c.alphabet, 97)),
    'alphabet run with prefixes glued in': fill(run(c.alphabet, 13) + c.prefix),
  };
}

describe.each(FORMAT_CASES)('linear time: $name', (c) => {
  it('survives 1 MB built from its prefix and alphabet', () => {
    for (const [what, input] of Object.entries(adversaries(c))) {
      const out = redactText(input);
      expect(typeof out, what).toBe('string');
      // Idempotence; an unchanged output is trivially so.
      if (out !== input) expect(redactText(out), what).toBe(out);
    }
  });

  it('leaves 1 MB of back-to-back near-misses unchanged', () => {
    const almost = copies(`${c.nearMisses[0] ?? ''}\n`);
    expect(redactText(almost)).toBe(almost);
    const alternating = copies(`${c.nearMisses.join('\n')}\n`);
    expect(redactText(alternating)).toBe(alternating);
  });

  it('scrubs every one of the real tokens in 1 MB of them', () => {
    const many = copies(`${c.text}\n`);
    const out = redactText(many);
    expect(out).not.toContain(c.secret);
    expect(out).not.toContain('LEAK');
  });
});

describe('no backtrack-stack overflow on long runs', () => {
  // V8 keeps a backtrack entry per iteration of a group loop or of a `{n,}` count, and throws
  // RangeError past a few million; the patterns use only bounded groups and plain `x*` runs.
  const EIGHT_MB = 8 << 20;
  const long = (unit: string): string => unit.repeat(Math.ceil(EIGHT_MB / unit.length));

  it.each([
    ['Stripe key body', `sk_live_${long('a')}`],
    ['Bearer value', `Bearer ${long('a')}`],
    ['GitLab body with dashes', `glpat-${long('a-')}`],
    ['PEM body', `-----BEGIN PRIVATE KEY-----\n${long('MIIEvQIBADAN\n')}`],
    ['PEM header then dashes', `-----BEGIN PRIVATE KEY-----${long('-')}`],
    ['JSON value', `"password":"${long('x')}"`],
  ])('%s', (_name, input) => {
    const out = redactText(input);
    expect(out.length).toBeLessThanOrEqual(input.length);
  });
});
