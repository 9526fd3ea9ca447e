import { HEADER_SPECS, PRESET_NAMES } from './catalog.js';
import { compileSecurityHeaders } from './build.js';
import type { SecurityHeadersOptions } from './types.js';
import { suggest } from '../util/suggest.js';

/** Environment as `process.env` holds it. */
export type Env = Readonly<Record<string, string | undefined>>;

const HEADER_PREFIX = 'SECURITY_HEADER_';
/** Chooses the preset the variables adjust. Plural, so it cannot collide with a header name. */
export const PRESET_VARIABLE = 'SECURITY_HEADERS_PRESET';
const KNOWN = HEADER_SPECS.map((s) => s.env);

/**
 * Reads the SECURITY_HEADER_* variables into options, appending one line per problem to
 * `problems`. Unset keeps the preset's value, blank turns the header off; an unknown
 * SECURITY_HEADER_* name is a problem, because a typo would otherwise silently leave a
 * header at its default.
 */
export function readSecurityHeadersEnv(env: Env, problems: string[]): SecurityHeadersOptions {
  const options: Record<string, unknown> = {};
  const presetValue = env[PRESET_VARIABLE];
  if (presetValue !== undefined && presetValue.trim() !== '') {
    const p = presetValue.trim();
    if ((PRESET_NAMES as readonly string[]).includes(p)) options.preset = p;
    else
      problems.push(
        `${PRESET_VARIABLE}=${JSON.stringify(p)}: expected one of ${PRESET_NAMES.join(', ')}`,
      );
  }
  for (const name of Object.keys(env)) {
    if (name.startsWith(HEADER_PREFIX) && !KNOWN.includes(name)) {
      problems.push(
        `${name}: unknown security header variable; ${suggest(name, KNOWN) ?? `known: ${KNOWN.join(', ')}`}`,
      );
    }
  }
  for (const spec of HEADER_SPECS) {
    const raw = env[spec.env];
    if (raw === undefined) continue;
    options[spec.key] = raw.trim() === '' ? false : raw;
  }
  // Validate each header on its own, so every bad variable is reported at once.
  for (const spec of HEADER_SPECS) {
    const value = options[spec.key];
    if (typeof value !== 'string') continue;
    try {
      compileSecurityHeaders({ preset: 'mission-control', [spec.key]: value });
    } catch (error) {
      problems.push(`${spec.env}: ${(error as Error).message.replace(/^bulwark: /, '')}`);
      Reflect.deleteProperty(options, spec.key);
    }
  }
  return options;
}

/**
 * Security-header options from the environment (`SECURITY_HEADER_X_FRAME_OPTIONS`,
 * `SECURITY_HEADER_REFERRER_POLICY`, ... and `SECURITY_HEADERS_PRESET`): unset keeps the
 * default, blank turns the header off. Throws one `TypeError` listing every bad variable.
 */
export function securityHeadersFromEnv(env: Env = process.env): SecurityHeadersOptions {
  const problems: string[] = [];
  const options = readSecurityHeadersEnv(env, problems);
  if (problems.length > 0) {
    throw new TypeError(
      `bulwark: invalid security header configuration:\n- ${problems.join('\n- ')}`,
    );
  }
  return options;
}
