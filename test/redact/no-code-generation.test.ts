import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../fixtures/no-code-generation.ts', import.meta.url));

describe('no code generation (strict CSP)', () => {
  it('redacts, scrubs and fences in a process where eval and new Function are disabled', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--disallow-code-generation-from-strings', '--import', 'tsx', script],
      { timeout: 15_000 },
    );
    expect(JSON.parse(stdout)).toEqual({
      blocked: true,
      json: '{"a":{"has_b":true},"c":[{"has_token":true}],"d":{"has_x-y":true},"has_secret":true}',
      copy: { a: { has_b: true } },
      text: 'token=[REDACTED]',
      fence: 3,
      lines: [[{ token: '[REDACTED]' }, 'password=[REDACTED]']],
    });
  });
});
