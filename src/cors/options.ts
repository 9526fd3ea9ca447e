import type { LoggerLike } from '../log/logger-kind.js';
import { failOption, rejectUnknownOptions } from '../util/options.js';
import { normalizeOrigin, originProblem } from './origin.js';
import { patternProblem } from './pattern.js';
import type { CorsOptions, CorsOriginFunction } from './types.js';

/** The methods a preflight allows by default. */
export const DEFAULT_CORS_METHODS: readonly string[] = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
];

/** An HTTP token (RFC 9110 section 5.6.2): what a header or method name may be. */
export const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Validated options, every header value computed. */
export interface CorsSettings<Req> {
  /** `'*'`, or the normalized exact origins, the patterns and the function. */
  readonly any: boolean;
  readonly exact: readonly string[];
  readonly patterns: readonly RegExp[];
  readonly test: CorsOriginFunction<Req> | undefined;
  readonly credentials: boolean;
  readonly methods: string;
  /** undefined: reflect what the preflight asks for. */
  readonly allowedHeaders: string | undefined;
  readonly exposedHeaders: string | undefined;
  readonly maxAge: string | undefined;
  readonly privateNetwork: boolean;
  readonly preflightContinue: boolean;
  readonly logger: LoggerLike;
}

const KNOWN = [
  'origins',
  'credentials',
  'methods',
  'allowedHeaders',
  'exposedHeaders',
  'maxAge',
  'privateNetwork',
  'preflightContinue',
  'logger',
];

function fail(option: string, problem: string, instead: string): never {
  return failOption('cors', option, problem, instead);
}

function boolean(option: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    fail(option, `${JSON.stringify(value)} is not a boolean`, 'write true or false');
  return value;
}

function tokens(option: string, value: unknown, credentials: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    return fail(option, 'expected an array of names', `write ${option}: ['X-Request-Id']`);
  }
  const names = value as readonly unknown[];
  for (const name of names) {
    if (typeof name !== 'string' || !HTTP_TOKEN.test(name)) {
      fail(
        option,
        `${JSON.stringify(name)} is not an HTTP token (letters, digits and !#$%&'*+.^_\`|~-, no spaces, commas or line breaks)`,
        `write names such as 'X-Request-Id'`,
      );
    }
    // With credentials the Fetch standard reads '*' as a name, not as "everything": it
    // would silently allow nothing.
    if (name === '*' && credentials) {
      fail(option, "'*' is not a wildcard when credentials are allowed", 'list the names');
    }
  }
  return names.join(', ');
}

function origins<Req>(
  value: unknown,
): Pick<CorsSettings<Req>, 'any' | 'exact' | 'patterns' | 'test'> {
  if (value === undefined) {
    return fail(
      'origins',
      'no origins are given',
      "write cors({ origins: ['https://app.example.com'] }) (or corsFromEnv(process.env) for CORS_ORIGINS)",
    );
  }
  if (value === '*') return { any: true, exact: [], patterns: [], test: undefined };
  if (typeof value === 'function') {
    return { any: false, exact: [], patterns: [], test: value as CorsOriginFunction<Req> };
  }
  const list: readonly unknown[] = Array.isArray(value) ? value : [value];
  const exact: string[] = [];
  const patterns: RegExp[] = [];
  for (const entry of list) {
    if (entry === '*') {
      fail(
        'origins',
        "'*' is mixed with other origins",
        "write origins: '*' alone, or list the origins",
      );
    }
    if (typeof entry === 'string') {
      const problem = originProblem(entry);
      const normalized = problem === undefined ? normalizeOrigin(entry) : undefined;
      if (normalized === undefined) {
        fail(
          'origins',
          `${JSON.stringify(entry)}: ${problem ?? 'not an origin'}`,
          "write 'https://app.example.com'",
        );
      }
      if (!exact.includes(normalized)) exact.push(normalized);
    } else if (entry instanceof RegExp) {
      const problem = patternProblem(entry);
      if (problem !== undefined) fail('origins', `${String(entry)}: ${problem}`, 'fix the pattern');
      patterns.push(entry);
    } else {
      fail(
        'origins',
        `${typeof entry === 'object' ? 'an object' : JSON.stringify(entry)} is not an origin`,
        "write an origin string, an anchored RegExp, an array of them, '*' or a function",
      );
    }
  }
  return { any: false, exact, patterns, test: undefined };
}

/** Checks CORS options once, at creation; a bad one throws a TypeError saying what to write. */
export function corsSettings<Req>(options: CorsOptions<Req>): CorsSettings<Req> {
  if (typeof options !== 'object' || (options as unknown) === null) {
    return fail(
      'options',
      'no options are given',
      "write cors({ origins: ['https://app.example.com'] })",
    );
  }
  rejectUnknownOptions('cors', options, KNOWN);
  const allowed = origins<Req>(options.origins);
  const credentials = boolean('credentials', options.credentials);
  if (allowed.any && credentials) {
    fail(
      'origins',
      "'*' together with credentials: true would let every site on the web read your users' responses (browsers refuse the pair, and reflecting every origin instead is the classic CORS hole)",
      "list the origins: origins: ['https://app.example.com']",
    );
  }
  const methods = tokens('methods', options.methods ?? DEFAULT_CORS_METHODS, credentials) ?? '';
  const maxAge = options.maxAge;
  if (maxAge !== undefined && (!Number.isSafeInteger(maxAge) || maxAge < 0 || maxAge > 86_400)) {
    fail(
      'maxAge',
      `${String(maxAge)} is not a whole number of seconds from 0 to 86400 (browsers cap it at 7200 or 86400; a value in milliseconds is a common slip)`,
      'write 600 for ten minutes',
    );
  }
  const logger = options.logger ?? console;
  if (typeof logger.warn !== 'function')
    fail('logger', 'has no warn function', 'pass console or a pino/winston logger');
  return {
    ...allowed,
    credentials,
    methods,
    allowedHeaders: tokens('allowedHeaders', options.allowedHeaders, credentials),
    exposedHeaders: tokens('exposedHeaders', options.exposedHeaders, credentials),
    maxAge: maxAge === undefined ? undefined : String(maxAge),
    privateNetwork: boolean('privateNetwork', options.privateNetwork),
    preflightContinue: boolean('preflightContinue', options.preflightContinue),
    logger,
  };
}
