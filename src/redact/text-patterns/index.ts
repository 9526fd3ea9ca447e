/**
 * The built-in credential patterns of {@link redactText}, and the one combined scan that picks
 * which of them a text needs.
 *
 * Every pattern names the literals one of which each of its matches contains: `prefixes`,
 * which start a token after a non-alphanumeric character (`ghp_`, `sk_live_`), and `words`,
 * found anywhere (`token`, `://`). All of them are joined into one case-insensitive
 * alternation. {@link TRIGGER} answers "might this text hold a secret?" with one linear scan;
 * {@link selectPatterns} walks the same alternation's hits and returns only the patterns whose
 * literals occur, so text that triggers runs a few patterns, not all of them.
 */
import { CHAT_PATTERNS } from './chat.js';
import { CLOUD_PATTERNS } from './cloud.js';
import { DEVOPS_PATTERNS } from './devops.js';
import { KEY_PATTERNS } from './keys.js';
import { LLM_PATTERNS } from './llm.js';
import { PAYMENT_PATTERNS } from './payment.js';
import type { TextPattern } from './types.js';
import { VCS_PATTERNS } from './vcs.js';
import { WEB_PATTERNS } from './web.js';

export type { TextPattern } from './types.js';

/**
 * In order of application: key blocks first (their bodies go whole), then the token formats,
 * then the web forms, whose broad values (`name=...`, header lines) would otherwise swallow a
 * token before its own pattern could keep the token's prefix.
 */
export const BUILTIN_PATTERNS: readonly TextPattern[] = [
  ...KEY_PATTERNS,
  ...CLOUD_PATTERNS,
  ...DEVOPS_PATTERNS,
  ...VCS_PATTERNS,
  ...CHAT_PATTERNS,
  ...PAYMENT_PATTERNS,
  ...LLM_PATTERNS,
  ...WEB_PATTERNS,
];

const unique = (list: readonly string[]): string[] => [...new Set(list)];

/** Every `words` literal of every pattern. */
export const WORDS: readonly string[] = unique(BUILTIN_PATTERNS.flatMap((p) => p.words ?? []));
/** Every `prefixes` literal of every pattern. */
export const PREFIXES: readonly string[] = unique(
  BUILTIN_PATTERNS.flatMap((p) => p.prefixes ?? []),
);

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
/**
 * Longest first: at one position the alternation then reports the longest literal, and every
 * shorter literal that also matches there is a prefix of it, found again by `startsWith`.
 */
const alternation = (list: readonly string[]): string =>
  [...list]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map(escape)
    .join('|');

const WORD_SOURCE = alternation(WORDS);
const PREFIX_SOURCE = alternation(PREFIXES);

/**
 * A cheap pre-check: every built-in pattern needs one of these literals (case-insensitively),
 * so text without any of them is returned as it is after a single scan. This is what keeps a
 * safe logger's cost low on ordinary messages. The prefix branch consumes its boundary
 * character, the form V8 scans fastest.
 */
export const TRIGGER = new RegExp(`${WORD_SOURCE}|(?:^|[^a-z0-9])(?:${PREFIX_SOURCE})`, 'i');

/** The same literals for a walk over every hit; the boundary is a lookbehind, so hits do not
 * include it and a hit's text is exactly one literal. */
const SCAN = new RegExp(`${WORD_SOURCE}|(?<![a-z0-9])(?:${PREFIX_SOURCE})`, 'gi');

/** What one literal of the scan stands for. */
interface Literal {
  /** The patterns it wakes: every pattern with a literal that this one starts with. */
  readonly ids: readonly number[];
  /** Whether another literal can begin inside this one, so the walk must not skip past it. */
  readonly inner: boolean;
  /** The call (generation) that last saw it, so a repeated hit costs one comparison. */
  seen: number;
}

const isAlnum = (c: string): boolean => /[a-z0-9]/.test(c);

/** Whether some literal can start at an offset inside `lit` (and match there or run past). */
function hasInnerStart(lit: string): boolean {
  for (let k = 1; k < lit.length; k++) {
    const rest = lit.slice(k);
    const overlaps = (other: string): boolean => rest.startsWith(other) || other.startsWith(rest);
    if (WORDS.some(overlaps)) return true;
    if (!isAlnum(lit.charAt(k - 1)) && PREFIXES.some(overlaps)) return true;
  }
  return false;
}

/** Every literal, lower case. A hit's lower-cased text is always one of the keys. */
const LITERALS: ReadonlyMap<string, Literal> = new Map(
  unique([...WORDS, ...PREFIXES]).map((hit) => {
    const ids: number[] = [];
    BUILTIN_PATTERNS.forEach((p, i) => {
      if ([...(p.words ?? []), ...(p.prefixes ?? [])].some((l) => hit.startsWith(l))) ids.push(i);
    });
    return [hit, { ids, inner: hasInnerStart(hit), seen: 0 }];
  }),
);

/** Hits as they appear (`Token`, `GHP_`), so the common spellings skip `toLowerCase`. Bounded:
 * past the limit, other spellings are looked up lower-cased each time. */
const BY_SPELLING = new Map<string, Literal>();
const MAX_SPELLINGS = 1024;

function literalOf(hit: string): Literal | undefined {
  let lit = BY_SPELLING.get(hit);
  if (lit === undefined) {
    lit = LITERALS.get(hit.toLowerCase());
    if (lit !== undefined && BY_SPELLING.size < MAX_SPELLINGS) BY_SPELLING.set(hit, lit);
  }
  return lit;
}

/** Per-pattern marks for {@link selectPatterns}: a mark equal to the current generation means
 * "already chosen", so nothing is allocated or cleared per call. */
const marks = new Uint32Array(BUILTIN_PATTERNS.length);
let generation = 0;

/**
 * Which built-in patterns `text` needs, as indexes into {@link BUILTIN_PATTERNS} in ascending
 * order, or `undefined` when no literal occurs at all. One pass over the text: each hit is
 * looked up once per call; after a literal inside which another may begin, the walk restarts
 * one character after the hit's start.
 */
export function selectPatterns(text: string): number[] | undefined {
  SCAN.lastIndex = 0;
  let hit = SCAN.exec(text);
  if (hit === null) return undefined;
  generation = (generation + 1) >>> 0;
  if (generation === 0) {
    marks.fill(0);
    for (const lit of LITERALS.values()) lit.seen = 0;
    generation = 1;
  }
  const chosen: number[] = [];
  while (hit !== null) {
    const lit = literalOf(hit[0]);
    if (lit === undefined || lit.inner) SCAN.lastIndex = hit.index + 1;
    if (lit !== undefined && lit.seen !== generation) {
      lit.seen = generation;
      for (const i of lit.ids) {
        if (marks[i] !== generation) {
          marks[i] = generation;
          chosen.push(i);
        }
      }
      if (chosen.length === BUILTIN_PATTERNS.length) break;
    }
    hit = SCAN.exec(text);
  }
  SCAN.lastIndex = 0;
  return chosen.sort((a, b) => a - b);
}
