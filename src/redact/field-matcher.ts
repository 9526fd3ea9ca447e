import { types } from 'node:util';
import { normalizeKey } from './key-style.js';

/** The compiled `fields` option: exact names in a set, patterns in a list. */
export interface FieldMatcher {
  /** Exact names, normalized (see normalizeKey) when matching is case-insensitive. */
  readonly names: ReadonlySet<string>;
  /** Patterns, copied without the `g` and `y` flags. */
  readonly patterns: readonly RegExp[];
  /** Whether any name or pattern is configured: lets the walkers skip the lookups. */
  readonly any: boolean;
}

/** Raised for a bad entry; compile.ts turns it into its option error. */
export type FieldProblem = (entry: unknown, problem: string) => never;

/**
 * Compiles the `fields` entries once. A pattern is copied without `g` and `y`: with either
 * flag `test` advances `lastIndex`, so the same key would match on one call and not the next,
 * and a secret would leak on every other log line.
 */
export function compileFields(
  list: readonly unknown[],
  caseInsensitive: boolean,
  fail: FieldProblem,
): FieldMatcher {
  const names = new Set<string>();
  const patterns: RegExp[] = [];
  for (const f of list) {
    if (types.isRegExp(f)) {
      patterns.push(new RegExp(f.source, f.flags.replace(/[gy]/g, '')));
      continue;
    }
    if (typeof f !== 'string' || f === '') fail(f, 'is not a key name or a RegExp');
    const name = caseInsensitive ? normalizeKey(f) : f;
    // `_` alone would normalize to '' and match the empty key, `-` and every other key that
    // is only separators: surely not what was meant.
    if (name === '') fail(f, 'has no letters or digits to match across key styles');
    names.add(name);
  }
  return { names, patterns, any: names.size > 0 || patterns.length > 0 };
}

/**
 * Whether an object or Map key is a configured field. `key` is the key as written, `mk` its
 * match form (normalized when case-insensitive, else `key` itself). A pattern is tested
 * against both, so `/secret/` matches `CLIENT_SECRET` under caseInsensitive and `/^api_key$/`
 * still matches `api_key`.
 */
export function isField(f: FieldMatcher, key: string, mk: string): boolean {
  if (f.names.has(mk)) return true;
  for (const re of f.patterns) {
    if (re.test(key) || (mk !== key && re.test(mk))) return true;
  }
  return false;
}
