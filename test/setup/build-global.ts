import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Tests that exercise the built package (the packed tarball, the `bulwark` binary) need
 * dist/. CI builds before testing; a bare `npm test` after `npm ci` builds here, once,
 * before any test file runs, so no two test files ever race to build.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  if (!existsSync(`${root}/dist/index.js`) || !existsSync(`${root}/dist/cli.js`)) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  }
}
