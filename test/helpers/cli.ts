import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(root, 'dist', 'cli.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The tests run the built binary, as users do. CI builds before testing; locally, a
 * missing (or older than src/) dist/cli.js is built once with tsup.
 */
export function ensureBuiltCli(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestSource(join(root, 'src'))) return;
  const build = spawnSync('npx', ['tsup'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npx tsup failed:\n${build.stderr}${build.stdout}`);
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
