import { ConfigError, configFromEnv } from 'bulwark';
import type { BulwarkConfig } from 'bulwark';

export const FRAMEWORKS = ['express', 'koa', 'fastify'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** The example's configuration: bulwark's own variables plus the server's. */
export interface MissionControlConfig {
  readonly bulwark: BulwarkConfig;
  /** FRAMEWORK: express, koa or fastify (default fastify). */
  readonly framework: Framework;
  /** HOST (default 127.0.0.1) and PORT (default 8000; 0 picks a free port). */
  readonly host: string;
  readonly port: number;
  /** REQUEST_LOG_SLOW_MS: requests at least this slow are logged as warnings; 0 turns it off (default 1000). */
  readonly slowRequestMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function wholeNumber(
  env: Env,
  name: string,
  fallback: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) {
    problems.push(
      `${name}=${JSON.stringify(env[name])}: expected a whole number from 0 to ${String(max)}`,
    );
    return fallback;
  }
  return Number(raw);
}

/** Every variable, validated at once; the error lists every problem. */
export function readConfig(env: Env): MissionControlConfig {
  const problems: string[] = [];
  let bulwark: BulwarkConfig | undefined;
  try {
    bulwark = configFromEnv(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const rawFramework = (env.FRAMEWORK ?? '').trim().toLowerCase() || 'fastify';
  const framework = (FRAMEWORKS as readonly string[]).includes(rawFramework)
    ? (rawFramework as Framework)
    : undefined;
  if (framework === undefined)
    problems.push(`FRAMEWORK=${JSON.stringify(env.FRAMEWORK)}: expected express, koa or fastify`);
  const port = wholeNumber(env, 'PORT', 8000, 65_535, problems);
  const slowRequestMs = wholeNumber(env, 'REQUEST_LOG_SLOW_MS', 1000, 3_600_000, problems);
  const rawHost = env.HOST?.trim() ?? '';
  const host = rawHost === '' ? '127.0.0.1' : rawHost;
  if (problems.length > 0 || bulwark === undefined || framework === undefined)
    throw new ConfigError(problems);
  return { bulwark, framework, host, port, slowRequestMs };
}
