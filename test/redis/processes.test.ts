import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileCombinedLimit, createRateLimiter } from 'bulwark';
import { RedisStore } from 'bulwark/redis';
import { noRedis, redisUrl } from '../helpers/redis.js';
import { combinedLimits, IP_LIMIT, SCENARIOS, USER_LIMIT } from './fixtures/combined-limits.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Runs one real Node process on a fixture and resolves with what it printed. */
function runChild(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', fixture(file), redisUrl, ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code === 0) resolve(out.trim());
      else reject(new Error(`child exited with ${String(code)}: ${err}`));
    });
  });
}

interface ChildReport {
  /** Admitted and still counted, per user (refunded ones subtracted). */
  readonly admitted: Readonly<Record<string, number>>;
  readonly refunded: number;
}

/** The four processes' reports of one scenario, added up. */
function total(reports: readonly ChildReport[]) {
  const perUser = { alice: 0, bob: 0 };
  for (const r of reports) {
    perUser.alice += r.admitted.alice ?? 0;
    perUser.bob += r.admitted.bob ?? 0;
  }
  const refunded = reports.reduce((a, r) => a + r.refunded, 0);
  return { perUser, net: perUser.alice + perUser.bob, refunded };
}

/** What the same limits admit now, from this process: the room the children left. */
async function admitsNow(name: string, blockMs: number): Promise<number> {
  const client = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false });
  await client.connect();
  try {
    const store = new RedisStore({ client, prefix: 'test:processes:' });
    const limits = combinedLimits(name, blockMs).map((o) => createRateLimiter({ ...o, store }));
    const both = compileCombinedLimit(limits);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        Promise.resolve(both([i % 2 === 0 ? 'alice' : 'bob', 'shared-ip'])),
      ),
    );
    return results.filter((r) => r.allowed).length;
  } finally {
    client.disconnect();
  }
}

describe.skipIf(noRedis)('several processes sharing one Redis', () => {
  it('four Node processes admit exactly the limit between them', async () => {
    const name = `procs-${randomUUID().slice(0, 8)}`;
    const admitted = await Promise.all(
      [1, 2, 3, 4].map(async () => Number(await runChild('consume-child.ts', [name, '40']))),
    );
    // limit 50 (see the fixture), 160 attempts in all
    expect(admitted.reduce((a, b) => a + b, 0)).toBe(50);
  });

  describe('four processes with combined limits (20 per user, 30 per IP) and refunds', () => {
    const name = `comb-${randomUUID().slice(0, 8)}`;
    let scenarios: ReturnType<typeof total>[] = [];
    beforeAll(async () => {
      const outputs = await Promise.all(
        [1, 2, 3, 4].map(() => runChild('combined-child.ts', [name])),
      );
      const reports = outputs.map((o) => JSON.parse(o) as ChildReport[]);
      scenarios = SCENARIOS.map((_, s) => total(reports.map((r) => r[s]!)));
    }, 60_000);

    it('never over either limit, and exactly the limit once the room left is taken', async () => {
      const { perUser, net, refunded } = scenarios[0]!;
      expect(refunded).toBeGreaterThan(0);
      // What stays counted never exceeds either limit...
      expect(net).toBeLessThanOrEqual(IP_LIMIT);
      expect(perUser.alice).toBeLessThanOrEqual(USER_LIMIT);
      expect(perUser.bob).toBeLessThanOrEqual(USER_LIMIT);
      // ...and the room left is exactly what the refunds gave back and nobody took since.
      expect(net + (await admitsNow(`${name}-refunds`, 0))).toBe(IP_LIMIT);
    });

    it('with a block: exactly the limit admitted, and the block outlasts the refunds', async () => {
      const { net, refunded } = scenarios[1]!;
      // The refunded requests were admitted too: admitted in all is exactly the IP limit.
      expect(net + refunded).toBe(IP_LIMIT);
      // Refunds take counts back, never a block: nothing more is admitted.
      expect(await admitsNow(`${name}-block`, 60_000)).toBe(0);
    });
  });
});
