import { HEADER_SPECS, PRESETS, PRESET_NAMES } from './catalog.js';
import type { SecurityHeaderKey, SecurityHeadersOptions } from './types.js';
import {
  checkFieldValue,
  checkHeaderName,
  fail,
  formatChoice,
  formatCsp,
  formatHsts,
  formatReferrerPolicy,
  formatXFrameOptions,
} from './validate.js';
import { suggest } from '../util/suggest.js';

type Formatter = (header: string, value: never) => string;

// Headers whose values have a grammar get a formatter that validates it; the rest only
// need to be a safe field value.
const FORMATTERS: Partial<Record<SecurityHeaderKey, Formatter>> = {
  contentSecurityPolicy: formatCsp,
  contentSecurityPolicyReportOnly: formatCsp,
  strictTransportSecurity: formatHsts,
  referrerPolicy: formatReferrerPolicy,
  xFrameOptions: formatXFrameOptions,
  xContentTypeOptions: (h, v: string) => formatChoice(h, v, ['nosniff']),
  xDnsPrefetchControl: (h, v: string) => formatChoice(h, v, ['on', 'off']),
  originAgentCluster: (h, v: string) => formatChoice(h, v, ['?1', '?0']),
};

const OPTION_KEYS = new Set<string>(['preset', 'custom', ...HEADER_SPECS.map((s) => s.key)]);

/**
 * Security headers computed once: the plain record, and the same as `[name, value]` pairs
 * that adapters walk on each response without building anything.
 */
export interface CompiledSecurityHeaders {
  /** Header name to value, canonical capitalisation. */
  readonly headers: Readonly<Record<string, string>>;
  /** The same headers as pairs, in response order. */
  readonly entries: readonly (readonly [name: string, value: string])[];
  /**
   * The same as `headers` and `entries` with lower-case names, for frameworks that store
   * names in lower case (Fastify): lowering them here, once, spares a new string per header
   * on every request.
   */
  readonly lower: {
    readonly headers: Readonly<Record<string, string>>;
    readonly entries: readonly (readonly [name: string, value: string])[];
  };
}

const EMPTY = Object.freeze({ headers: Object.freeze({}), entries: Object.freeze([]) });
const NONE: CompiledSecurityHeaders = Object.freeze({ ...EMPTY, lower: EMPTY });

function compiledFrom(headers: Record<string, string>): CompiledSecurityHeaders {
  const entries = Object.entries(headers);
  const lowerEntries = entries.map(([name, value]) => [name.toLowerCase(), value] as const);
  return Object.freeze({
    headers: Object.freeze(headers),
    entries: Object.freeze(entries),
    lower: Object.freeze({
      headers: Object.freeze(Object.fromEntries(lowerEntries)),
      entries: Object.freeze(lowerEntries),
    }),
  });
}

/**
 * Validates `options` and computes every header value once. Throws a `TypeError` that names
 * the header and says what to write instead. `false` compiles to no headers at all (a route
 * that opts out).
 */
export function compileSecurityHeaders(
  options: SecurityHeadersOptions | false = {},
): CompiledSecurityHeaders {
  if (options === false) return NONE;
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new TypeError(
      'bulwark: securityHeaders options must be an object, such as { preset: "api" }.',
    );
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      throw new TypeError(
        `bulwark: securityHeaders: unknown option ${JSON.stringify(key)}; ${suggest(key, [...OPTION_KEYS]) ?? 'use custom: { "Header-Name": "value" } for other headers'}.`,
      );
    }
  }
  const preset = options.preset ?? 'mission-control';
  if (!PRESET_NAMES.includes(preset)) {
    throw new TypeError(
      `bulwark: securityHeaders: unknown preset ${JSON.stringify(preset)}; write one of ${PRESET_NAMES.map((p) => `'${p}'`).join(', ')}.`,
    );
  }
  const base = PRESETS[preset];
  const headers: Record<string, string> = {};
  for (const spec of HEADER_SPECS) {
    const setting = options[spec.key] ?? base[spec.key];
    if (setting === undefined || setting === false) continue;
    if (typeof setting !== 'string' && typeof setting !== 'object') {
      fail(
        spec.name,
        `expected a string or false, got ${typeof setting}`,
        'write the header value as a string, or false to send no header',
      );
    }
    const format = FORMATTERS[spec.key] as ((h: string, v: unknown) => string) | undefined;
    headers[spec.name] =
      format !== undefined
        ? format(spec.name, setting)
        : checkFieldValue(spec.name, setting as string);
  }
  for (const [name, setting] of Object.entries(options.custom ?? {})) {
    checkHeaderName(name);
    const existing = Object.keys(headers).find((h) => h.toLowerCase() === name.toLowerCase());
    if (existing !== undefined) Reflect.deleteProperty(headers, existing);
    if (setting === false) continue;
    if (typeof setting !== 'string') {
      fail(
        name,
        `expected a string or false, got ${typeof setting}`,
        'write the header value as a string',
      );
    }
    headers[name] = checkFieldValue(name, setting);
  }
  return compiledFrom(headers);
}

/**
 * The security response headers for `options`, computed and validated once.
 *
 * @example
 * buildSecurityHeaders(); // Mission Control's three headers
 * buildSecurityHeaders({ preset: 'api', cacheControl: false });
 */
export function buildSecurityHeaders(options: SecurityHeadersOptions = {}): Record<string, string> {
  return { ...compileSecurityHeaders(options).headers };
}
