import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { entries } from '../../scripts/entries.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('entry points', () => {
  it('package.json exports agree with the build entry list', () => {
    const out = execFileSync('node', ['scripts/check-entries.mjs'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toContain(`${String(entries.length)} entry points match`);
  });

  it('the core imports no framework and nothing outside Node', () => {
    const index = readFileSync(`${root}/dist/index.js`, 'utf8');
    const imports = [...index.matchAll(/from ['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(imports.filter((s) => s !== undefined && !isBuiltin(s))).toEqual([]);
  });
});
