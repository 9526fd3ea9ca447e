import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const built = [join(root, 'dist', 'index.js'), join(root, 'dist', 'cli.js')];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/ is missing or older than any file of src/ or adapters/. */
export function distIsStale(): boolean {
  if (!built.every((f) => existsSync(f))) return true;
  const oldestBuilt = Math.min(...built.map((f) => statSync(f).mtimeMs));
  const newestSrc = Math.max(newestSource(join(root, 'src')), newestSource(join(root, 'adapters')));
  return oldestBuilt < newestSrc;
}

/**
 * Tests that exercise the built package (the packed tarball, the `bulwark` binary) need
 * dist/. CI builds before testing; a bare `npm test` after `npm ci`, or after editing src/,
 * builds here, once, before any test file runs. No test file may build: tsup's `clean`
 * empties dist/ first, which would break the test files reading it in the other worker.
 */
export default function setup(): void {
  // BULWARK_SKIP_BUILD=1: running one source-level test file while src/ is being edited;
  // the tests of the built package then read whatever dist/ holds.
  if (process.env.BULWARK_SKIP_BUILD === '1') return;
  if (distIsStale()) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  }
}
