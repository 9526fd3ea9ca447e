import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, redact, redactText } from 'bulwark';
import { base62Token } from '../fixtures/tokens.js';

const FIELDS = ['token', 'secret'];
const key = fc.oneof(
  fc.constantFrom(
    'token',
    'secret',
    'has_token',
    '__proto__',
    'constructor',
    'a',
    'b',
    'x',
    'y',
    'c',
    'd',
    'has_b',
    'has_y',
    'Token',
  ),
  fc.string({ maxLength: 6 }),
);
const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  ),
})).node;

/** Every value held under a redacted key anywhere in `value`. */
function secretsIn(value: unknown, out: unknown[] = []): unknown[] {
  if (typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value)) {
    if (FIELDS.includes(k)) out.push(v);
    else secretsIn(v, out);
  }
  return out;
}

/** Whether any key anywhere is a redacted field name. */
function hasField(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => FIELDS.includes(k) || hasField(v));
}

describe('redaction invariants (property-based)', () => {
  it('never mutates its input', () => {
    fc.assert(
      fc.property(tree, fc.constantFrom('flag', 'censor', 'remove'), (value, mode) => {
        const before = JSON.stringify(value);
        redact(value, { mode: mode as 'flag' });
        expect(JSON.stringify(value)).toBe(before);
      }),
    );
  });

  it('never leaves a redacted field name in the output, in any mode', () => {
    fc.assert(
      fc.property(tree, fc.constantFrom('flag', 'censor', 'remove'), (value, mode) => {
        const out = redact(value, { mode: mode as 'flag' });
        if (mode !== 'censor') expect(hasField(out)).toBe(false);
        else expect(secretsIn(out).every((v) => v === '[REDACTED]')).toBe(true);
      }),
    );
  });

  it('never leaks a flagged value: unique secrets under token/secret are gone from the JSON', () => {
    fc.assert(
      fc.property(tree, fc.uuid(), (value, id) => {
        const secret = `S3CRET-${id}`;
        const wrapped = { data: value, nested: [{ token: secret }], secret };
        expect(JSON.stringify(redact(wrapped))).not.toContain(secret);
        expect(
          createRedactor({ paths: ['nested[*].token', 'secret'] }).stringify(wrapped),
        ).not.toContain(secret);
      }),
    );
  });

  it('stringify() agrees with JSON.stringify of the copy', () => {
    const r = createRedactor({ paths: ['*.token', 'a[*].secret', 'b'] });
    fc.assert(
      fc.property(tree, (value) => {
        expect(r.stringify(value)).toBe(JSON.stringify(r(value)));
      }),
    );
  });

  it('stringify() agrees with the copy in every mode, with and without the fast paths', () => {
    const paths = ['*.token', 'a[*].secret', 'b', 'x.y', 'x.has_y', 'c.d[*]', 'has_b'];
    const redactors = (['flag', 'censor', 'remove'] as const).flatMap((mode) => [
      createRedactor({ paths, mode }),
      createRedactor({ paths, mode, caseInsensitive: true }),
    ]);
    fc.assert(
      fc.property(tree, (value) => {
        for (const r of redactors) expect(r.stringify(value)).toBe(JSON.stringify(r(value)));
      }),
    );
  });

  it('redactText never throws and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const once = redactText(text);
        expect(redactText(once)).toBe(once);
      }),
    );
  });

  it('redactText removes any GitHub or Stripe token embedded in arbitrary text', () => {
    // A GitHub token ends in the CRC32 of its body: only well-formed tokens are real ones.
    const github = fc.stringMatching(/^[A-Za-z0-9]{30}$/).map((s) => base62Token('ghp_', s));
    const alnum = fc.stringMatching(/^[A-Za-z0-9]{36}$/);
    fc.assert(
      fc.property(fc.string(), github, alnum, fc.string(), (pre, token, body, post) => {
        const out = redactText(`${pre} ${token} ${post} sk_live_${body}`);
        expect(out).not.toContain(token.slice(4));
        expect(out).not.toContain(body);
      }),
    );
  });
});
