import { describe, expect, it } from 'vitest';
import { createTextRedactor, redactText } from 'bulwark';
import { adversarialMegabytes, BENIGN_TEXTS, SECRET_TEXTS } from '../fixtures/adversarial.js';
import { ALNUM, base62Token, body } from '../fixtures/tokens.js';

/** A GitHub token with a valid checksum (the pattern rejects a wrong one). */
const ghp = base62Token('ghp_', body(ALNUM, 30));

describe('redactText built-in patterns', () => {
  it.each(SECRET_TEXTS)('scrubs $name', ({ text, secret }) => {
    const out = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).not.toContain('LEAK');
    expect(redactText(out)).toBe(out); // idempotent
  });

  it.each(BENIGN_TEXTS)('leaves benign text alone: %s', (text) => {
    expect(redactText(text)).toBe(text);
  });

  it('keeps names, prefixes and structure so logs stay readable', () => {
    expect(redactText('GET /hook?token=abc123&x=1')).toBe('GET /hook?token=[REDACTED]&x=1');
    expect(redactText('redis://user:pass@host:6379/0')).toBe('redis://user:***@host:6379/0');
    expect(redactText('Authorization: Bearer abc.def')).toBe('Authorization: [REDACTED]');
    expect(redactText('use Bearer abcdefghijkl now')).toBe('use Bearer [REDACTED] now');
    expect(redactText(`${ghp}.`)).toBe('ghp_[REDACTED].');
    expect(redactText(`ghp_${'a'.repeat(36)}.`)).toBe(`ghp_${'a'.repeat(36)}.`); // bad checksum
    expect(redactText('sk_live_abcdefghijkl')).toBe('sk_live_[REDACTED]');
    expect(redactText('{"password":"x","a":1}')).toBe('{"password":"[REDACTED]","a":1}');
    expect(redactText('AKIAIOSFODNN7EXAMPLE')).toBe('AKIA[REDACTED]');
  });

  it('uses a custom replacement', () => {
    expect(redactText('token=abc', { replacement: '***' })).toBe('token=***');
  });
});

describe('custom patterns', () => {
  it('replaces whole matches, or only a named secret group', () => {
    const r = createTextRedactor({
      patterns: [/internal-[0-9a-f]{8}/, { pattern: /acct=(?<secret>\d+)/, replacement: '#' }],
    });
    expect(r('id internal-deadbeef and internal-01234567')).toBe('id [REDACTED] and [REDACTED]');
    expect(r('acct=12345 acct=9')).toBe('acct=# acct=#');
  });

  it('can run custom patterns alone', () => {
    const r = createTextRedactor({ builtins: false, patterns: [/x+/g] });
    expect(r('token=abc xx')).toBe('token=abc [REDACTED]');
  });

  it('rejects a pattern that is not a RegExp', () => {
    expect(() => createTextRedactor({ patterns: [{ pattern: 'x' as unknown as RegExp }] })).toThrow(
      /write patterns/,
    );
  });
});

describe('linear time on adversarial 1 MB inputs', () => {
  // Each input defeats a naive pattern (a quadratic scan of 1 MB would take hours, far past
  // the test timeout). Correctness is asserted; time is not.
  const inputs = adversarialMegabytes();

  it.each(Object.keys(inputs))('%s', (name) => {
    const input = inputs[name]!;
    const out = redactText(input);
    expect(typeof out).toBe('string');
    expect(out.length).toBeLessThanOrEqual(input.length + 16);
  });

  it('still finds a real secret after 1 MB of near-misses', () => {
    const input = `${'eyJa.'.repeat(200_000)} token=LEAKlate ${ghp}`;
    const out = redactText(input);
    expect(out).not.toContain('LEAK');
    expect(out.endsWith('ghp_[REDACTED]')).toBe(true);
  });

  it('redacts every one of 262,144 adjacent secrets in 2 MB', () => {
    const one = redactText('token=a&'.repeat(131_072));
    const two = redactText('token=a&'.repeat(262_144));
    expect(two.length).toBe(one.length * 2);
    expect(two).toBe('token=[REDACTED]&'.repeat(262_144));
  });
});
