import type { Env } from '../headers/from-env.js';
import { ConfigError } from '../config-error.js';
import { originProblem } from './origin.js';
import type { CorsOptions } from './types.js';

/**
 * CORS options from the environment, the way Mission Control's operations runbook names
 * them: `CORS_ORIGINS` (comma-separated origins, or `*`; unset or blank: no cross-origin
 * access), `CORS_CREDENTIALS` (`true` or `false`, default `false`) and `CORS_MAX_AGE`
 * (seconds). Problems are added to `problems`, one line per variable.
 */
export function readCorsEnv(env: Env, problems: string[]): CorsOptions {
  const origins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = origins.filter((o) => o !== '*' && originProblem(o) !== undefined);
  for (const entry of bad) {
    problems.push(
      `CORS_ORIGINS: ${JSON.stringify(entry)}: ${originProblem(entry) ?? 'not an origin'}; write a comma-separated list such as https://app.example.com,https://admin.example.com`,
    );
  }
  const wildcard = origins.includes('*');
  if (wildcard && origins.length > 1) {
    problems.push(
      'CORS_ORIGINS: * is mixed with other origins; write * alone, or list the origins',
    );
  }
  const credentials = readBoolean(env, 'CORS_CREDENTIALS', problems);
  if (wildcard && credentials) {
    problems.push(
      "CORS_ORIGINS=* with CORS_CREDENTIALS=true would let every site read your users' responses; list the frontend origins in CORS_ORIGINS",
    );
  }
  const maxAge = readSeconds(env, 'CORS_MAX_AGE', problems);
  const good = origins.filter((o) => o !== '*' && originProblem(o) === undefined);
  return {
    origins: wildcard && origins.length === 1 && !credentials ? '*' : good,
    ...(credentials ? { credentials } : {}),
    ...(maxAge === undefined ? {} : { maxAge }),
  };
}

function readBoolean(env: Env, name: string, problems: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  problems.push(`${name}=${JSON.stringify(env[name])}: expected true or false`);
  return false;
}

function readSeconds(env: Env, name: string, problems: string[]): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) > 86_400) {
    problems.push(
      `${name}=${JSON.stringify(env[name])}: expected a whole number of seconds from 0 to 86400, such as 600`,
    );
    return undefined;
  }
  return Number(raw);
}

/**
 * CORS options from `CORS_ORIGINS`, `CORS_CREDENTIALS` and `CORS_MAX_AGE`, for
 * `cors(corsFromEnv(process.env))` on any framework. With `CORS_ORIGINS` unset no origin is
 * allowed (browsers then keep every cross-origin response from page scripts). Throws one
 * `ConfigError` listing every bad variable.
 */
export function corsFromEnv(env: Env = process.env): CorsOptions {
  const problems: string[] = [];
  const options = readCorsEnv(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return options;
}
