import { isMarkerLike } from './markers.js';

/**
 * Characters per base64 line: the MIME line length of RFC 2045, the form of base64 most common
 * in text a model has read. A multiple of 4, so every full line is whole base64 groups.
 */
export const BASE64_LINE_LENGTH = 76;

/** The base64 alphabet's punctuation: a datamark must not be one of these in base64 mode. */
export const BASE64_PUNCTUATION = ['+', '/', '='] as const;

const ALNUM = /[A-Za-z0-9]/;

/**
 * Where to break a base64 line whose letters read as a marker: just before the last letter of
 * its leading `begin` / `end`. The first part then spells only `begi` / `en`, the second starts
 * with `n` / `d`, so neither starts with a marker word (see isMarkerLike), at any length.
 */
function markerBreak(line: string): number {
  let letters = 0;
  // The skeleton of a base64 line is its letters and digits, lower-cased: + / = are dropped.
  const want = /^[^A-Za-z0-9]*[bB]/.test(line) ? 5 : 3;
  for (let i = 0; i < line.length; i++) {
    if (ALNUM.test(line.charAt(i)) && ++letters === want) return i;
  }
  return line.length; // unreachable for a marker-like line
}

/**
 * The UTF-8 bytes of `text` as base64 lines of {@link BASE64_LINE_LENGTH} characters. Base64
 * has no spaces or dashes, so no line can be a fence marker; but its letters could still spell
 * one (`ENDdataQ…`, or a last line `end+`), which the fence invariant forbids inside a fence in
 * every mode. Such a line is broken in two inside its first word instead of being prefixed, so
 * the lines stay pure base64: decoders ignore line breaks. Lone surrogates, which UTF-8 cannot
 * hold, become U+FFFD. Empty text gives one empty line.
 */
export function base64Lines(text: string): string[] {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  if (encoded === '') return [''];
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += BASE64_LINE_LENGTH) {
    const line = encoded.slice(i, i + BASE64_LINE_LENGTH);
    if (isMarkerLike(line)) {
      const at = markerBreak(line);
      lines.push(line.slice(0, at), line.slice(at));
    } else {
      lines.push(line);
    }
  }
  return lines;
}
