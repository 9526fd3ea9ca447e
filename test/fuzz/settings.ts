import fc from 'fast-check';

/**
 * Runs per property: modest by default so `npm test` stays fast; `BULWARK_FUZZ_RUNS=100000`
 * for a long run. fast-check prints the seed and the shrunk counterexample of any failure,
 * and `fc.assert(..., { seed, path })` replays it.
 */
export const FUZZ_RUNS = Number(process.env.BULWARK_FUZZ_RUNS ?? 200);

/** Timeout for one property: generous in long mode. */
export const FUZZ_TIMEOUT_MS = FUZZ_RUNS > 1000 ? 3_600_000 : 20_000;

/** fast-check parameters shared by every property in test/fuzz. */
export const fuzz: fc.Parameters<unknown> = { numRuns: FUZZ_RUNS };

/** Fragments that break parsers: separators, quotes, escapes, controls, non-ASCII, huge numbers. */
const hostilePiece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.constantFrom(
    ',',
    ';',
    '=',
    '"',
    '\\',
    '[',
    ']',
    ':',
    ' ',
    '\t',
    '\u0000',
    '\r\n',
    '\u00ff',
    '\ud800',
    '%',
    'for=',
    'v1=',
    't=',
    'v1,',
    'sha256=',
    'SHA256=',
    '::ffff:',
    '::',
    '1.2.3.4',
    '2001:db8::1',
    '99999999999999999999',
    '-1',
    '0x10',
    '1e3',
    'unknown',
    '_hidden',
    'chunked',
  ),
);

/** Strings built from hostile fragments. */
export const hostileString = fc
  .array(hostilePiece, { maxLength: 12 })
  .map((parts) => parts.join(''));

/** A header value as Node may give it: a string, or several for a repeated header. */
export const headerValue = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.array(hostileString, { minLength: 2, maxLength: 4 }) },
);
