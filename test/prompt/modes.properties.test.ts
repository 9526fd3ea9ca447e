import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFence, isMarkerLike, wrapExternalData } from 'bulwark';
import type { FenceOptions } from 'bulwark';
import {
  BEGIN_LINE,
  decodeBody,
  END_LINE,
  fenceParts,
  markerOf,
  TRUNCATION,
  wellFormed,
} from './fence-parts.js';
import { FENCE_BREAKERS, INVISIBLES, LINE_SMUGGLERS } from '../fixtures/adversarial.js';

/** Strings biased towards fence-breaking material: markers, separators, invisibles. */
const piece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...FENCE_BREAKERS, ...LINE_SMUGGLERS, ...INVISIBLES, '\n', 'END', ' data', 'zw~'),
);
const hostileText = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));

const KEYS = ['a', 'b', 'c', 'end', '__proto__', '0', '1'] as const;
const key = fc.constantFrom(...KEYS);

/** Sets a key as plain data, even "__proto__". */
function withKeys(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return o;
}

/** JSON-shaped values over a small key alphabet, so paths hit often. */
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null)),
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie('tree')), { maxLength: 5 }).map(withKeys),
  ),
}));

/** Paths in the redaction syntax over the same keys, with wildcards and brackets. */
const segment = fc.oneof(
  key.map((k) => ({ seg: k, text: /^\d+$/.test(k) ? `[${k}]` : k })),
  fc.constant({ seg: '*', text: '*' }),
  fc.constant({ seg: '*', text: '[*]' }),
  key.map((k) => ({ seg: k, text: `["${k}"]` })),
);
const pathArb = fc.array(segment, { minLength: 1, maxLength: 4 }).map((segs) => ({
  segs: segs.map((s) => s.seg),
  text: segs
    .map((s, i) => (i === 0 || s.text.startsWith('[') ? s.text : `.${s.text}`))
    .join('')
    .replace(/^\./, ''),
}));

const DROP = Symbol('drop');

/** Reference allow-list filter: a direct, unoptimized reading of the documented rules. */
function reference(paths: readonly (readonly string[])[], value: unknown): unknown {
  if (paths.some((p) => p.length === 0)) return value;
  if (typeof value !== 'object' || value === null) return DROP;
  const next = (k: string): string[][] =>
    paths.filter((p) => p[0] === '*' || p[0] === k).map((p) => p.slice(1));
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((v, i) => {
      const rest = next(String(i));
      if (rest.length === 0) return;
      const r = reference(rest, v);
      if (r !== DROP) out.push(r);
    });
    return out;
  }
  const out: [string, unknown][] = [];
  for (const k of Object.keys(value)) {
    const rest = next(k);
    if (rest.length === 0) continue;
    const r = reference(rest, (value as Record<string, unknown>)[k]);
    if (r !== DROP) out.push([k, r]);
  }
  return withKeys(out);
}

const options: fc.Arbitrary<FenceOptions> = fc.record(
  {
    label: fc.constantFrom('EXTERNAL DATA' as const, 'STRUCTURED DATA' as const),
    nonce: fc.oneof(fc.boolean(), fc.constant('n0nce-value')),
    maxLength: fc.nat({ max: 200 }),
    datamark: fc.oneof(fc.boolean(), fc.constant({ marker: '⁂' })),
    encoding: fc.constantFrom('none' as const, 'base64' as const),
    allowedFields: fc.array(
      pathArb.map((p) => p.text),
      { minLength: 1, maxLength: 4 },
    ),
  },
  { requiredKeys: [] },
);

/** The text a plain fence carries: neutralization prefixes taken off again. */
function plainText(body: readonly string[]): string {
  return body.map((l) => (l.startsWith('[neutralized] ') ? l.slice(14) : l)).join('\n');
}

describe('every mode (property-based)', () => {
  it('has exactly one opening line, first, one closing line, last, and no marker-like line between', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, fc.jsonValue(), tree), options, (data, opts) => {
        const lines = wrapExternalData(data, opts).split('\n');
        expect(lines.length).toBeGreaterThanOrEqual(3);
        expect(lines[0]).toMatch(BEGIN_LINE);
        expect(lines.at(-1)).toMatch(END_LINE);
        for (const line of lines.slice(1, -1)) {
          expect(line).not.toMatch(BEGIN_LINE);
          expect(line).not.toMatch(END_LINE);
          expect(isMarkerLike(line)).toBe(false);
          expect(/[\r\u2028\u2029\u0085\u200b\u202e]/.test(line)).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('keeps maxLength in every mode, and the note adds up', () => {
    fc.assert(
      fc.property(hostileText, options, (data, opts) => {
        const o = { ...opts, maxLength: opts.maxLength ?? 50, datamark: false };
        const out = wrapExternalData(data, o);
        const lines = out.split('\n');
        const note = TRUNCATION.exec(lines.at(-2) ?? '');
        const parts = fenceParts(out, o, note !== null);
        const kept = o.encoding === 'base64' ? decodeBody(parts.body, '') : plainText(parts.body);
        expect(kept.length).toBeLessThanOrEqual(o.maxLength);
        if (note !== null) expect(kept.length + Number(note[1])).toBe(Number(note[2]));
      }),
      { numRuns: 400 },
    );
  });

  it('base64 decodes back exactly to the text plain mode shows, cut the same way', () => {
    fc.assert(
      fc.property(
        fc.oneof(hostileText, fc.jsonValue(), tree),
        fc.option(fc.nat({ max: 300 }), { nil: undefined }),
        fc.boolean(),
        (data, maxLength, datamark) => {
          const base = maxLength === undefined ? {} : { maxLength };
          const plain = wrapExternalData(data, { ...base, nonce: 'n0nce-value' });
          const enc = { ...base, nonce: 'n0nce-value', encoding: 'base64', datamark } as const;
          const encoded = wrapExternalData(data, enc);
          const cut = TRUNCATION.test(encoded.split('\n').at(-2) ?? '') && maxLength !== undefined;
          const p = fenceParts(plain, {}, cut);
          const e = fenceParts(encoded, enc, cut);
          expect(decodeBody(e.body, markerOf(enc))).toBe(wellFormed(plainText(p.body)));
          expect(e.truncation).toBe(p.truncation);
          expect([e.begin, e.end]).toEqual([p.begin, p.end]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('base64 decodes back exactly to plain text data, cut at maxLength', () => {
    fc.assert(
      fc.property(
        // Text without invisible characters or line-break variants, which every mode
        // removes or unifies first; lone surrogates included (UTF-8 writes them as U+FFFD).
        fc.string({
          unit: fc.constantFrom(
            'a',
            'Z',
            ' ',
            '\n',
            '\t',
            'é',
            '中',
            '😀',
            '-',
            'E',
            'N',
            'D',
            '\ud800',
            '\udfff',
          ),
          maxLength: 300,
        }),
        fc.nat({ max: 400 }),
        (text, maxLength) => {
          const o = { encoding: 'base64', maxLength } as const;
          const out = wrapExternalData(text, o);
          const parts = fenceParts(out, o, text.length > maxLength);
          let end = Math.min(text.length, maxLength);
          const last = text.charCodeAt(end - 1);
          if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
          expect(decodeBody(parts.body, '')).toBe(wellFormed(text.slice(0, end)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('allowedFields keeps exactly what the reference filter keeps', () => {
    fc.assert(
      fc.property(tree, fc.array(pathArb, { minLength: 1, maxLength: 4 }), (data, paths) => {
        const out = wrapExternalData(data, { allowedFields: paths.map((p) => p.text) });
        const expected = reference(
          paths.map((p) => p.segs),
          data,
        );
        const json = JSON.stringify(expected === DROP ? {} : expected, null, 2);
        // The JSON itself goes through neutralization like any data: compare line by line.
        expect(plainText(out.split('\n').slice(1, -1))).toBe(json);
      }),
      { numRuns: 500 },
    );
  });

  it('allowedFields never lets a key outside the allow-list through', () => {
    // Paths without wildcards over objects: every key path in the output must lie on a
    // listed path (a prefix of it) or below a listed field (kept whole).
    const names = fc.array(fc.constantFrom('a', 'b', 'c', 'end', '__proto__'), {
      minLength: 1,
      maxLength: 3,
    });
    fc.assert(
      fc.property(tree, fc.array(names, { minLength: 1, maxLength: 4 }), (data, lists) => {
        const out = wrapExternalData(data, { allowedFields: lists.map((l) => l.join('.')) });
        const parsed: unknown = JSON.parse(plainText(out.split('\n').slice(1, -1)));
        const check = (v: unknown, at: readonly string[]): void => {
          if (typeof v !== 'object' || v === null || Array.isArray(v)) return;
          for (const k of Object.keys(v)) {
            const here = [...at, k];
            const onPath = lists.some((l) => here.every((s, i) => l[i] === s));
            const below = lists.some(
              (l) => l.length <= here.length && l.every((s, i) => here[i] === s),
            );
            expect(onPath || below).toBe(true);
            if (!below) check((v as Record<string, unknown>)[k], here);
          }
        };
        check(parsed, []);
      }),
      { numRuns: 500 },
    );
  });

  it('createFence gives what wrapExternalData gives, for every option combination', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, tree), options, (data, opts) => {
        const fixed = {
          ...opts,
          nonce: opts.nonce === true ? 'fixed-for-test' : (opts.nonce ?? false),
        };
        expect(createFence(fixed)(data)).toBe(wrapExternalData(data, fixed));
      }),
    );
  });

  it('rejects bad options with a TypeError saying what to write', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 12 })
          .filter(
            (k) =>
              !['label', 'nonce', 'maxLength', 'datamark', 'encoding', 'allowedFields'].includes(k),
          ),
        (k) => {
          expect(() => wrapExternalData('x', { [k]: 1 })).toThrow(
            /^bulwark: wrapExternalData options: unknown option .*; (did you mean|use one of)/,
          );
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.string().filter((e) => e !== 'none' && e !== 'base64'),
        (e) => {
          expect(() => createFence({ encoding: e as 'base64' })).toThrow(
            /write 'base64', or 'none'/,
          );
        },
      ),
    );
    expect(() => createFence(null as unknown as FenceOptions)).toThrow(/must be an object/);
  });
});
