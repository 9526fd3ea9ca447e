import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, type Redactor } from 'bulwark';

const CENSOR = '[REDACTED]';

/** An own data key, also for `__proto__` (assignment would set the prototype instead). */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * A reference redactor, recursive and obviously correct, for censor and remove modes:
 * `hit(keys)` says whether the key path from the root is redacted. Counts the hits, so a test
 * knows whether `needsRedaction` must answer true.
 */
function reference(
  value: unknown,
  hit: (keys: readonly string[], isIndex: boolean) => boolean,
  mode: 'censor' | 'remove',
): { out: unknown; hits: number } {
  let hits = 0;
  const walk = (v: unknown, keys: readonly string[]): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      v.forEach((item, i) => {
        if (hit([...keys, String(i)], true)) {
          hits++;
          if (mode === 'censor') out.push(CENSOR);
        } else out.push(walk(item, [...keys, String(i)]));
      });
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      if (hit([...keys, k], false)) {
        hits++;
        if (mode === 'censor') put(out, k, CENSOR);
      } else put(out, k, walk(item, [...keys, k]));
    }
    return out;
  };
  return { out: walk(value, []), hits };
}

/** The copy, the JSON text and needsRedaction, all against the reference. */
function agree(r: Redactor, value: unknown, expected: { out: unknown; hits: number }): void {
  const json = JSON.stringify(expected.out);
  expect(JSON.stringify(r(value))).toBe(json);
  expect(r.stringify(value)).toBe(json);
  expect(r.needsRedaction(value)).toBe(expected.hits > 0 || json.includes('"__proto__"'));
}

const tree = (key: fc.Arbitrary<string>): fc.Arbitrary<unknown> =>
  fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null)),
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(key, tie('node'), { maxKeys: 5 }),
    ),
  })).node;

describe('key styles (property-based)', () => {
  /** Independent of the implementation: lower case, no `_`, `-`, `.` or space. */
  const norm = (k: string): string => k.toLowerCase().replace(/[-_. ]/g, '');
  const word = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
  const words = fc.array(word, { minLength: 1, maxLength: 3 });
  /** One spelling of `ws`: random case per letter, random separator between words. */
  const spelling = (ws: readonly string[]): fc.Arbitrary<string> =>
    fc
      .tuple(
        fc.array(fc.boolean(), { minLength: ws.join('').length, maxLength: ws.join('').length }),
        fc.array(fc.constantFrom('_', '-', ''), { minLength: ws.length, maxLength: ws.length }),
      )
      .map(([upper, seps]) => {
        let i = 0;
        const cased = ws.map((w) =>
          w.replace(/./g, (ch) => ((upper[i++] ?? false) ? ch.toUpperCase() : ch)),
        );
        return cased.map((w, j) => (j === 0 ? w : (seps[j] ?? '') + w)).join('');
      });
  const styled = words.chain((ws) => fc.tuple(spelling(ws), spelling(ws)));

  it('redacts every spelling of a field, at any depth, and keeps keys that normalize apart', () => {
    fc.assert(
      fc.property(styled, fc.string({ maxLength: 8 }), ([field, key], other) => {
        fc.pre(norm(other) !== norm(field) && other !== 'nested');
        const r = createRedactor({ fields: [field], caseInsensitive: true, mode: 'censor' });
        const inner: Record<string, unknown> = {};
        put(inner, key, '#secret2#');
        const value: Record<string, unknown> = { nested: { list: [inner] } };
        put(value, key, '#secret1#');
        put(value, other, '#kept#');
        const expected = reference(
          value,
          (keys) => norm(keys.at(-1) ?? '') === norm(field),
          'censor',
        );
        agree(r, value, expected);
        const out = JSON.stringify(r(value));
        expect(out).not.toContain('#secret');
        expect(out).toContain('"#kept#"');
      }),
    );
  });

  it('matches a key exactly when both normalize alike, on random trees and paths', () => {
    const key = fc.oneof(
      fc.constantFrom('Api_Key', 'apiKey', 'API-KEY', 'api.key', 'a'),
      fc.string({ maxLength: 5 }),
    );
    fc.assert(
      fc.property(tree(key), fc.constantFrom('api_key', 'ApiKey', 'a'), (value, field) => {
        const fields = createRedactor({ fields: [field], caseInsensitive: true, mode: 'censor' });
        agree(
          fields,
          value,
          reference(
            value,
            (keys, isIndex) => !isIndex && norm(keys.at(-1) ?? '') === norm(field),
            'censor',
          ),
        );
        const paths = createRedactor({
          paths: [`**.${field}`],
          caseInsensitive: true,
          mode: 'remove',
        });
        agree(
          paths,
          value,
          reference(value, (keys) => norm(keys.at(-1) ?? '') === norm(field), 'remove'),
        );
      }),
    );
  });
});

describe('** paths against a reference matcher (property-based)', () => {
  /** A key, or '*' / '**' (the alphabet has no such keys). */
  type Seg = string;
  /** Whether `segs` matches the whole key path `keys`: plain recursion, no automaton. */
  const matches = (segs: readonly Seg[], keys: readonly string[]): boolean => {
    if (segs.length === 0) return keys.length === 0;
    const [s, ...rest] = segs;
    if (s === '**') return matches(rest, keys) || (keys.length > 0 && matches(segs, keys.slice(1)));
    if (keys.length === 0) return false;
    return (s === '*' || s === keys[0]) && matches(rest, keys.slice(1));
  };
  const text = (segs: readonly Seg[]): string =>
    segs
      .map((s, i) => {
        if (/^\d+$/.test(s)) return `[${s}]`;
        return i === 0 ? s : `.${s}`;
      })
      .join('');
  const segment = fc.constantFrom<Seg>('a', 'b', 'token', '0', '1', '*', '**');
  const path = fc
    .array(segment, { minLength: 1, maxLength: 4 })
    .filter((segs) => segs.at(-1) !== '**');
  const key = fc.constantFrom('a', 'b', 'token', 'c', '0', '1');

  it('redacts exactly what the reference matcher says, in every form', () => {
    fc.assert(
      fc.property(
        tree(key),
        fc.array(path, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('censor', 'remove'),
        (value, paths, mode) => {
          const r = createRedactor({ paths: paths.map(text), mode });
          const hit = (keys: readonly string[]): boolean => paths.some((p) => matches(p, keys));
          agree(r, value, reference(value, hit, mode));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('RegExp fields (property-based)', () => {
  const pattern = fc.tuple(
    fc.constantFrom('^a', 'b$', 'tok', '\\d', '^$', 'x|y', '^_', 'proto'),
    fc.constantFrom('', 'i', 'g', 'gy', 'iy'),
  );
  const key = fc.oneof(
    fc.constantFrom('a', 'ab', 'B', 'token', 'Tok', '0', '__proto__', 'constructor', 'xy'),
    fc.string({ maxLength: 4 }),
  );

  it('redacts every object key the pattern matches, at every depth, and nothing else', () => {
    fc.assert(
      fc.property(tree(key), pattern, (value, [source, flags]) => {
        const r = createRedactor({ fields: [new RegExp(source, flags)], mode: 'censor' });
        const re = new RegExp(source, flags.replace(/[gy]/g, ''));
        const hit = (keys: readonly string[], isIndex: boolean): boolean =>
          !isIndex && re.test(keys.at(-1) ?? '');
        agree(r, value, reference(value, hit, 'censor'));
      }),
    );
  });
});
