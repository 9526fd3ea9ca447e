import { compileFields, isField, type FieldMatcher } from './field-matcher.js';
import { normalizeKey } from './key-style.js';
import { compilePaths, type PathNode } from './paths.js';
import { redactText } from './text.js';
import type { CensorValue, RedactMode, RedactOptions } from './types.js';
import { failOption, rejectUnknownOptions } from '../util/options.js';

/** Everything a redactor needs at run time, computed once by {@link compileRedaction}. */
export interface CompiledRedaction {
  readonly fields: FieldMatcher;
  /** The root of the path automaton as the initial state set, or an empty set without paths. */
  readonly rootStates: readonly PathNode[];
  readonly mode: RedactMode;
  readonly censor: CensorValue;
  readonly flagPrefix: string;
  readonly caseInsensitive: boolean;
  readonly scrub: ((text: string) => string) | undefined;
  readonly maxDepth: number;
  /** Only paths are configured: the JSON form can copy just the spine the paths reach. */
  readonly pathsOnly: boolean;
}

/** The default field names: Mission Control's `token` and `secret`. */
export const DEFAULT_FIELDS: readonly string[] = ['token', 'secret'];

const MODES: readonly RedactMode[] = ['flag', 'censor', 'remove'];
const OPTION_KEYS: readonly string[] = [
  'fields',
  'paths',
  'mode',
  'censor',
  'flagPrefix',
  'caseInsensitive',
  'scrubStrings',
  'maxDepth',
];
export const EMPTY_STATES: readonly PathNode[] = [];

function fail(option: string, problem: string, instead: string): never {
  return failOption('redact', option, problem, instead);
}

export function compileRedaction(options: RedactOptions = {}): CompiledRedaction {
  const given: unknown = options;
  if (typeof given !== 'object' || given === null) {
    fail('options', 'must be an object', "pass { fields: ['token'] } or leave it out");
  }
  rejectUnknownOptions('redact', options, OPTION_KEYS);
  const mode = options.mode ?? 'flag';
  if (!MODES.includes(mode)) {
    fail('mode', `${JSON.stringify(mode)} is not a mode`, "write 'flag', 'censor' or 'remove'");
  }
  const caseInsensitive = options.caseInsensitive ?? false;
  const paths = options.paths ?? [];
  if (!Array.isArray(paths)) fail('paths', 'must be an array', "write paths: ['gateway.token']");
  const fieldList =
    options.fields ?? (options.paths === undefined ? DEFAULT_FIELDS : ([] as string[]));
  if (!Array.isArray(fieldList)) fail('fields', 'must be an array', "write fields: ['token']");
  const fields = compileFields(fieldList, caseInsensitive, (entry, problem) =>
    fail(
      'fields',
      `${describe(entry)} ${problem}`,
      "write names such as 'token' or patterns such as /secret/i",
    ),
  );
  const flagPrefix = options.flagPrefix ?? 'has_';
  if (typeof flagPrefix !== 'string' || flagPrefix === '') {
    fail('flagPrefix', 'must be a non-empty string', "write 'has_' or another prefix");
  }
  const censor = options.censor === undefined ? '[REDACTED]' : options.censor;
  if (censor !== null && !['string', 'number', 'boolean'].includes(typeof censor)) {
    fail('censor', 'must be a string, number, boolean or null', "write censor: '[REDACTED]'");
  }
  const maxDepth = options.maxDepth ?? Infinity;
  if (typeof maxDepth !== 'number' || Number.isNaN(maxDepth) || maxDepth < 1) {
    fail('maxDepth', `${String(maxDepth)} is not a depth`, 'write a whole number of 1 or more');
  }
  const root = compilePaths(paths, caseInsensitive);
  const hasPaths = root.children.size > 0 || root.wildcard !== undefined;
  const scrub = options.scrubStrings === true ? redactText : undefined;
  return {
    fields,
    rootStates: hasPaths ? [root] : EMPTY_STATES,
    mode,
    censor,
    flagPrefix,
    caseInsensitive,
    scrub,
    maxDepth,
    pathsOnly: hasPaths && !fields.any && scrub === undefined && maxDepth === Infinity,
  };
}

/** A `fields` entry in an error message, without calling anything the entry defines. */
function describe(entry: unknown): string {
  if (typeof entry === 'string') return JSON.stringify(entry);
  if (typeof entry === 'object' && entry !== null) return 'an object';
  return typeof entry === 'symbol' ? 'a symbol' : String(entry);
}

/** The form of `key` that fields and path segments are compared with. */
export function matchKey(c: CompiledRedaction, key: string): string {
  return c.caseInsensitive ? normalizeKey(key) : key;
}

/**
 * Whether an object or Map key is redacted, by a field or by a path (no allocation). `key` is
 * the key as written, `mk` its {@link matchKey} form.
 */
export function isHit(
  c: CompiledRedaction,
  states: readonly PathNode[],
  key: string,
  mk: string,
): boolean {
  if (c.fields.any && isField(c.fields, key, mk)) return true;
  return isPathHit(states, mk);
}

/**
 * Whether a path ends at `mk` under these states. Array indices are checked with this alone:
 * fields name object keys, and a pattern such as /\d/ must not redact every array element.
 * The automaton is deterministic (see compilePaths), so there is at most one state: the exact
 * child, else the wildcard.
 */
export function isPathHit(states: readonly PathNode[], mk: string): boolean {
  const s = states[0];
  if (s === undefined) return false;
  return (s.children.get(mk) ?? s.wildcard)?.terminal === true;
}

/**
 * The path states below `key`: a shared one-element array, or the empty one when no path can
 * match further down. A state with a live `**` always has a wildcard (itself, at least), so
 * it is never empty there.
 */
export function step(states: readonly PathNode[], key: string): readonly PathNode[] {
  const s = states[0];
  if (s === undefined) return EMPTY_STATES;
  const next = s.children.get(key) ?? s.wildcard;
  if (next === undefined || (next.childKeys.length === 0 && next.wildcard === undefined)) {
    return EMPTY_STATES;
  }
  return next.asStates;
}

/** Whether a path ends at whatever any key leads to: a Set element, a Map's object key. */
export function isAnyKeyHit(states: readonly PathNode[]): boolean {
  return states[0]?.wildcard?.terminal === true;
}

/** The path states below a position that has no key to match (see isAnyKeyHit). */
export function stepAnyKey(states: readonly PathNode[]): readonly PathNode[] {
  const next = states[0]?.wildcard;
  if (next === undefined || (next.childKeys.length === 0 && next.wildcard === undefined)) {
    return EMPTY_STATES;
  }
  return next.asStates;
}

/** The boolean written in 'flag' mode: is a secret set? */
export function flagOf(value: unknown): boolean {
  return value !== null && value !== undefined && value !== '';
}
