// The benchmarks measure what users install: the built package in dist/, loaded through the
// package's own exports. The root tsconfig maps 'bulwark' to the TypeScript sources for
// tests and type-checking; run through tsx, those are transformed with keepNames, which
// wraps every function created per request in a naming call the shipped build does not make
// (measured at 2-3 µs of server CPU per request on Fastify). bench/tsconfig.built.json
// drops that mapping, and TSX_TSCONFIG_PATH hands it to every benchmark process.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsStale } from '../../test/setup/build-global.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The environment of a benchmark process: 'bulwark' resolves to dist/. */
export function builtEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TSX_TSCONFIG_PATH: join(root, 'bench', 'tsconfig.built.json'),
    ...extra,
  };
}

/** Builds dist/ when it is missing or older than the sources, so a run never measures stale code. */
export function ensureBuilt(): void {
  if (!distIsStale()) return;
  process.stderr.write('bench: building dist/ (the benchmarks measure the built package)\n');
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error('bench: npm run build failed');
}
