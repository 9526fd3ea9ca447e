/**
 * The shape of a built-in pattern of {@link redactText}, and the replacement helpers the
 * pattern files share.
 *
 * Linear time by construction. JavaScript regular expressions backtrack, so each pattern is
 * written so that the work done at one start position is bounded and start positions do not
 * rescan each other's text:
 * - every token starts after a one-character lookbehind boundary that excludes the token's
 *   alphabet, so a candidate begins only at the start of a run of token characters, never
 *   inside one (where the boundary must let a body character precede a token, as `-` before
 *   `SIE-glpat-`, the body is an unbounded run that a match consumes whole);
 * - a run is followed either by nothing that can fail (an unbounded greedy run at the end of
 *   the pattern always succeeds, and the global scan then resumes after the match), or by a
 *   character the run cannot contain (`.` after a JWT segment, `@` after userinfo), or it is
 *   bounded and followed by a lookahead that excludes its alphabet, so backtracking over the
 *   run is one step per character, once;
 * - every quantifier in a prefix or separator is bounded (`{0,16}`, `{1,32}`);
 * - an open-ended run is written `x{n}x*`, never `x{n,}`, and no group repeats without a
 *   bound: V8 keeps a backtrack entry per iteration of a counted or group loop and throws a
 *   RangeError past a few million, where a plain `x*` runs on any length.
 * The same two rules make redaction idempotent: a match always ends where its run ends, so the
 * replacement never leaves the tail of a run that a second pass would read as a new token.
 * The tests run each pattern on 1 MB adversarial inputs built to defeat exactly these points.
 */
export interface TextPattern {
  /** What the pattern finds, for the docs and tests. */
  readonly name: string;
  /** Global. */
  readonly regex: RegExp;
  /**
   * Lower-case literals one of which starts every match's token, found by the combined
   * prefix scan only after a character that is not an ASCII letter or digit (or at the start
   * of the text), as the pattern's own boundary requires: `ghp_`, `sk_live_`.
   */
  readonly prefixes?: readonly string[];
  /**
   * Lower-case literals one of which every match contains anywhere (case-insensitively):
   * `token`, `key`, `://`. For patterns keyed on a name, or whose marker sits mid-token.
   */
  readonly words?: readonly string[];
  /**
   * Builds the replacement; `r` is the configured replacement text, `groups` the capture
   * groups (`undefined` for a group that did not take part). Returning `match` unchanged
   * rejects the candidate, which is how a failed checksum keeps a look-alike in the text.
   */
  readonly replace: (r: string, match: string, ...groups: (string | undefined)[]) => string;
}

/** Keeps the first group (the recognizable prefix or name) and replaces the rest. */
export const keepFirst = (r: string, _match: string, prefix?: string): string => (prefix ?? '') + r;

/** Replaces the whole match: formats without a prefix worth keeping. */
export const whole = (r: string): string => r;
