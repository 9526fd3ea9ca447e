import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(root, 'dist', 'cli.js');

/**
 * The tests run the built binary, as users do. CI builds before testing; locally the global
 * setup (test/setup/build-global.ts) builds a missing or stale dist/ once, before any test
 * file runs. This only checks: building here would race the other test files reading dist/.
 */
export function ensureBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\``);
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/cli.js ...args` with `input` on stdin. */
export function runCli(
  args: readonly string[],
  input: string | Buffer = '',
  env: Record<string, string> = {},
): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
