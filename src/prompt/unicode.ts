/**
 * Invisible characters an attacker uses to hide text from a human reviewer while the model
 * still reads it, or to split a marker word so a filter misses it: format characters (\p{Cf}:
 * zero-width space and joiners, bidirectional embeddings, overrides and isolates, the Unicode
 * tag block used for "ASCII smuggling", soft hyphen, BOM), variation selectors (also used to
 * smuggle bytes), Hangul fillers and other characters that render as nothing, and every control
 * character except tab and newline (terminal escape sequences, NUL).
 */
export const INVISIBLE =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- these characters are the point
  /[\p{Cf}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u3164\uFFA0\uFE00-\uFE0F\u{E0100}-\u{E01EF}\x00-\x08\x0E-\x1F\x7F\x80-\x84\x86-\x9F]/gu;

/**
 * Every sequence a renderer or model may treat as a line break. Turning all of them into `\n`
 * means "one line" means the same thing to us and to whatever reads the prompt: a U+2028 cannot
 * start a line that our check never saw.
 */
export const LINE_BREAKS = /\r\n|[\r\v\f\u0085\u2028\u2029]/g;

/**
 * Latin look-alikes from Cyrillic, Greek, small capitals and IPA, enough to spell the marker
 * words (begin, end, external, structured, data, instructions). Full-width, mathematical and
 * enclosed letters need no entry: compatibility decomposition (NFKD) already folds them.
 */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a',
  α: 'a',
  ᴀ: 'a',
  в: 'b',
  ь: 'b',
  β: 'b',
  ʙ: 'b',
  с: 'c',
  ϲ: 'c',
  ᴄ: 'c',
  ԁ: 'd',
  ᴅ: 'd',
  е: 'e',
  ε: 'e',
  ᴇ: 'e',
  є: 'e',
  ɡ: 'g',
  ԍ: 'g',
  ɢ: 'g',
  һ: 'h',
  н: 'h',
  і: 'i',
  ι: 'i',
  ı: 'i',
  ɩ: 'i',
  ɪ: 'i',
  ӏ: 'i',
  ј: 'j',
  к: 'k',
  κ: 'k',
  ᴋ: 'k',
  м: 'm',
  μ: 'm',
  ᴍ: 'm',
  ո: 'n',
  ν: 'n',
  η: 'n',
  ɴ: 'n',
  п: 'n',
  о: 'o',
  ο: 'o',
  ᴏ: 'o',
  р: 'p',
  ρ: 'p',
  ᴘ: 'p',
  ѕ: 's',
  т: 't',
  τ: 't',
  ᴛ: 't',
  ս: 'u',
  υ: 'u',
  ᴜ: 'u',
  х: 'x',
  χ: 'x',
  у: 'y',
  ү: 'y',
  ᴢ: 'z',
  ζ: 'z',
};

const MARKS = /\p{M}/gu;
const NOT_ALNUM = /[^a-z0-9]/g;
const CONFUSABLE_CHARS = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'gu');

/**
 * The letters and digits of a line as a reader would recognize them: compatibility-decomposed
 * (full-width and styled letters become ASCII), accents dropped, lower-cased, look-alikes
 * mapped, and everything else (spaces, dashes of every kind, punctuation, invisible
 * characters) removed. `"－－ ＥＮＤ  ExtеrnaI\u200B Data —"` becomes `"endexternaidata"`.
 */
export function skeleton(line: string): string {
  return line
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(CONFUSABLE_CHARS, (c) => CONFUSABLES[c] ?? c)
    .replace(NOT_ALNUM, '');
}
