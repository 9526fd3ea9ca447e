import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { noRedis, redisUrl } from '../helpers/redis.js';

const child = fileURLToPath(new URL('./fixtures/consume-child.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs one real Node process that fires `attempts` consumes and prints how many passed. */
function runChild(name: string, attempts: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', child, redisUrl, name, String(attempts)],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code === 0) resolve(Number(out.trim()));
      else reject(new Error(`child exited with ${String(code)}: ${err}`));
    });
  });
}

describe.skipIf(noRedis)('several processes sharing one Redis', () => {
  it('four Node processes admit exactly the limit between them', async () => {
    const name = `procs-${randomUUID().slice(0, 8)}`;
    const admitted = await Promise.all([1, 2, 3, 4].map(() => runChild(name, 40)));
    // limit 50 (see the fixture), 160 attempts in all
    expect(admitted.reduce((a, b) => a + b, 0)).toBe(50);
  });
});
