/**
 * Checks on a RegExp given as an allowed origin. Each refusal is a bug class that has let
 * look-alike sites read responses in real CORS setups:
 * - `g` or `y`: `test()` keeps `lastIndex` between calls, so one origin is allowed and then
 *   refused on alternate requests;
 * - no `^` or no `$`: `/https:\/\/app\.example\.com/` also matches
 *   `https://app.example.com.evil.net`;
 * - an alternation outside a group: in `/^https:\/\/a\.com|https:\/\/b\.com$/` the anchors
 *   cover one side each, so `https://b.com.evil.net` matches;
 * - an unescaped `.` standing for a literal dot: `/^https:\/\/app.example\.com$/` matches
 *   `https://appxexample.com`, a domain anyone can register.
 *
 * @returns why the pattern is unsafe, as the second half of an error message, or undefined.
 */
export function patternProblem(pattern: RegExp): string | undefined {
  if (pattern.global || pattern.sticky) {
    return `the ${pattern.global ? 'g' : 'y'} flag makes test() remember its last position, so the same origin is allowed and refused on alternate requests; remove the flag`;
  }
  const source = pattern.source;
  if (!source.startsWith('^') || !source.endsWith('$') || source.endsWith('\\$')) {
    return `it is not anchored, so it also matches longer origins such as https://app.example.com.evil.net; write /^...$/`;
  }
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      return 'the alternatives are outside a group, so ^ and $ each anchor only one of them; write /^(?:https:\\/\\/a\\.example\\.com|https:\\/\\/b\\.example\\.com)$/';
    } else if (c === '.' && !/[*+?{]/.test(source[i + 1] ?? '')) {
      return 'an unescaped . matches any character, so a look-alike domain (appxexample.com for app.example.com) matches too; write \\. for a dot';
    }
  }
  return undefined;
}
