import { compilePaths, type PathNode } from './paths.js';
import { redactText } from './text.js';
import type { CensorValue, RedactMode, RedactOptions } from './types.js';
import { failOption, rejectUnknownOptions } from '../util/options.js';

/** Everything a redactor needs at run time, computed once by {@link compileRedaction}. */
export interface CompiledRedaction {
  readonly fields: ReadonlySet<string>;
  /** The root of the path trie as the initial state set, or an empty set without paths. */
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
  const fields = new Set<string>();
  for (const f of fieldList) {
    if (typeof f !== 'string' || f === '') {
      fail('fields', `${JSON.stringify(f)} is not a key name`, "write names such as 'token'");
    }
    fields.add(caseInsensitive ? f.toLowerCase() : f);
  }
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
    pathsOnly: hasPaths && fields.size === 0 && scrub === undefined && maxDepth === Infinity,
  };
}

/**
 * Whether `key` is redacted under these path states (no allocation). The trie is deterministic
 * (see compilePaths), so there is at most one state: the exact child, else the wildcard.
 */
export function isHit(c: CompiledRedaction, states: readonly PathNode[], key: string): boolean {
  if (c.fields.size > 0 && c.fields.has(key)) return true;
  const s = states[0];
  if (s === undefined) return false;
  return (s.children.get(key) ?? s.wildcard)?.terminal === true;
}

/** The path states below `key`: a shared one-element array, or the empty one. */
export function step(states: readonly PathNode[], key: string): readonly PathNode[] {
  const s = states[0];
  if (s === undefined) return EMPTY_STATES;
  const next = s.children.get(key) ?? s.wildcard;
  if (next === undefined || (next.childKeys.length === 0 && next.wildcard === undefined)) {
    return EMPTY_STATES;
  }
  return next.asStates;
}

/** The boolean written in 'flag' mode: is a secret set? */
export function flagOf(value: unknown): boolean {
  return value !== null && value !== undefined && value !== '';
}
