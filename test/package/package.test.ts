import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the published package', () => {
  it('installs into ESM and CommonJS consumers, imports every entry point, type-checks, and passes publint and attw', () => {
    const output = execFileSync('node', ['scripts/check-package.mjs'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(output).toContain(
      'loaded bulwark, bulwark/redis, bulwark/express, bulwark/koa, bulwark/fastify',
    );
    expect(output).toContain('package checks passed');
  }, 180_000);
});
