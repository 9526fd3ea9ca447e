import { suggest } from './suggest.js';

/**
 * Throws the one shape of configuration error bulwark uses everywhere: which option of
 * which feature is wrong, and what to write instead. Raised at creation, never per request.
 */
export function failOption(scope: string, option: string, problem: string, instead: string): never {
  throw new TypeError(`bulwark: ${scope} ${option}: ${problem}; ${instead}.`);
}

/**
 * Rejects option keys a feature does not know, with the closest known name as a hint: a
 * misspelt security option would otherwise be ignored without a word and leave a default on.
 */
export function rejectUnknownOptions(
  scope: string,
  options: object,
  known: readonly string[],
): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      failOption(
        scope,
        'options',
        `unknown option ${JSON.stringify(key)}`,
        suggest(key, known) ?? `use one of ${known.join(', ')}`,
      );
    }
  }
}
