// The benchmark suite in --smoke mode (one tiny round of everything), as a correctness check
// of the bench code: every group runs, every case accepts its input, RESULTS.md and the
// charts are written. It asserts no timing.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { noRedis, redisUrl } from '../helpers/redis.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'bench', 'run.ts'), ...args],
      {
        cwd: root,
        env: { ...process.env, REDIS_URL: redisUrl },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      resolve({ code, stderr });
    });
  });
}

describe.skipIf(noRedis)('npm run bench -- --smoke', () => {
  const out = mkdtempSync(join(tmpdir(), 'bulwark-bench-test-'));
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('runs every group and writes RESULTS.md with every table and chart', async () => {
    const { code, stderr } = await run(['--smoke', `--out=${out}`]);
    expect(code, stderr).toBe(0);
    // Progress names the group, the round and the case.
    expect(stderr).toMatch(/\[rate-limit\] round 1\/1 {2}bulwark sliding-window/);
    expect(stderr).toMatch(/\[abuse\] round 1\/1 {2}bulwark RedisStore, blockMs \(block cache\)/);
    expect(stderr).toMatch(/\[http\] Fastify 5 round 1\/1 {2}bare/);
    expect(stderr).toMatch(/\[http\] Koa 3 CORS round 1\/1 {2}preflight {2}bulwark cors/);

    const doc = readFileSync(join(out, 'RESULTS.md'), 'utf8');
    expect(doc).toContain(`Node ${process.version}`);
    for (const heading of [
      '### Targets (ratios measured side by side in this run)',
      '### Rate limiting, MemoryStore, 1 hot key',
      '### Rate limiting, MemoryStore, 100,000 keys round-robin',
      '### Rate limiting, RedisStore, 1 in flight, 10,000 keys',
      '### Rate limiting, RedisStore, 256 in flight, 10,000 keys',
      '### Abuse, a blocked key hammered, 1 in flight',
      '### Abuse, a blocked key hammered, 64 in flight',
      '### Abuse, two limits combined on RedisStore, 1 in flight, 10,000 keys',
      '### Abuse, two limits combined on RedisStore, 64 in flight, 10,000 keys',
      '### Webhook verification, 1 KiB body',
      '### Webhook verification, 64 KiB body',
      '### Redact a gateway object with 20 agents to JSON',
      '### redactText throughput (1 MB inputs)',
      '### wrapExternalData throughput',
      '### HTTP, Express 5',
      '### HTTP, Koa 3',
      '### HTTP, Fastify 5',
      '### HTTP, Hono 4 (@hono/node-server)',
      '### HTTP, NestJS 12 (Express platform)',
      '### CORS, Hono 4 (@hono/node-server): preflight',
      '### CORS, NestJS 12 (Express platform): simple GET',
      '### CORS, Express 5: simple GET',
      '### CORS, Express 5: preflight',
      '### CORS, Koa 3: simple GET',
      '### CORS, Koa 3: preflight',
      '### CORS, Fastify 5: simple GET',
      '### CORS, Fastify 5: preflight',
      '### Heap allocated per request, Express 5',
      '### Heap allocated per request, Koa 3',
      '### Heap allocated per request, Fastify 5',
    ])
      expect(doc).toContain(heading);
    for (const row of [
      '| bulwark token-bucket',
      '| rate-limiter-flexible RateLimiterRedis',
      '| ioredis INCR, auto-pipelined (floor)',
      '| MemoryStore, 1 hot key: awaited limiter.consume() vs RateLimiterMemory',
      '| rate-limiter-flexible RateLimiterRedis, blockDuration',
      '| bulwark RedisStore, blockMs (block cache)',
      '| bulwark MemoryStore, blockMs',
      '| rate-limiter-flexible RateLimiterRedis, inMemoryBlockOnConsumed',
      '| Blocked key, 64 in flight: bulwark RedisStore vs RateLimiterRedis',
      '| Blocked key, 64 in flight: bulwark RedisStore vs bulwark MemoryStore',
      '| bulwark one limit, limiter.decide()',
      '| bulwark two limits, compileCombinedLimit',
      '| rate-limiter-flexible RateLimiterUnion of two RateLimiterRedis',
      '| Combined limits on RedisStore, 64 in flight: two combined vs one limit',
      '| node:crypto floor, github and mission-control',
      '| bulwark discord, verifySignature',
      '| twilio validateRequest',
      '| Webhook 1 KiB: twilio, verifySignature vs its node:crypto floor',
      '| fast-redact',
      '| koa-helmet + koa-ratelimit',
      '| floor: one middleware setting the same 5 headers',
      '| @fastify/helmet + @fastify/rate-limit',
      '| bulwark headers + rate limit (Redis)',
      '| bulwark protect(): headers + rate limit in one (memory)',
      '| bulwark sliding-window, auto-pipelining client',
      '| HTTP Koa 3: bulwark protect() (headers + memory rate limit) vs floor',
      '| HTTP Fastify 5: bulwark protect() (headers + memory rate limit) vs @fastify/helmet + @fastify/rate-limit',
      '| createRedactor().stringify vs @pinojs/redact (gateway object)',
      '| bare (no CORS)',
      '| bulwark cors',
      '| cors (expressjs/cors)',
      '| @koa/cors',
      '| @fastify/cors',
      '| hono/secure-headers + hono-rate-limiter',
      '| helmet + @nestjs/throttler',
      '| hono/cors',
      '| Nest enableCors() (the cors package)',
      '| CORS Express 5, simple GET: bulwark cors vs cors (expressjs/cors)',
      '| CORS Koa 3, preflight: bulwark cors vs @koa/cors',
      '| CORS Fastify 5, preflight: bulwark cors vs @fastify/cors',
    ])
      expect(doc).toContain(row);

    // Every chart the page embeds exists, is an SVG, and has one bar per compared case.
    const embedded = [...doc.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1]);
    expect(embedded.sort()).toEqual(
      readdirSync(out)
        .filter((f) => f.endsWith('.svg'))
        .sort(),
    );
    expect(embedded).toContain('http.svg');
    const http = readFileSync(join(out, 'http.svg'), 'utf8');
    expect(http.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    // 5 frameworks x 6 stacks, plus the background rect.
    expect(http.match(/<rect /g)).toHaveLength(31);
    expect(embedded).toContain('http-cors.svg');
    const cors = readFileSync(join(out, 'http-cors.svg'), 'utf8');
    // 5 frameworks x 2 kinds of request x 3 stacks, plus the background rect.
    expect(cors.match(/<rect /g)).toHaveLength(31);
  }, 300_000);
});
