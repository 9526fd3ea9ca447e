// The benchmarks measure what users install: the built package in dist/, loaded through the
// package's own exports. The root tsconfig maps 'bulwark' to the TypeScript sources for
// tests and type-checking; run through tsx, those are transformed with keepNames, which
// wraps every function created per request in a naming call the shipped build does not make
// (measured at 2-3 µs of server CPU per request on Fastify). bench/tsconfig.built.json
// drops that mapping, and TSX_TSCONFIG_PATH hands it to every benchmark process.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The environment of a benchmark process: 'bulwark' resolves to dist/. */
export function builtEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TSX_TSCONFIG_PATH: join(root, 'bench', 'tsconfig.built.json'),
    ...extra,
  };
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds dist/ when it is missing or older than the sources, so a run never measures stale code. */
export function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(join(root, 'dist', 'index.js')).mtimeMs;
  } catch {
    // Not built yet.
  }
  if (built >= Math.max(newest(join(root, 'src')), newest(join(root, 'adapters')))) return;
  process.stderr.write('bench: building dist/ (the benchmarks measure the built package)\n');
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error('bench: npm run build failed');
}
