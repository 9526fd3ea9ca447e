// Package checks: pack the package as npm would publish it, install the tarball into
// throwaway ESM and CommonJS consumer projects outside this repository (so nothing resolves
// from our own node_modules by accident), import every entry point at runtime, type-check
// both consumers against the shipped .d.ts/.d.cts files, run the bin, then publint and
// are-the-types-wrong. Exits non-zero on the first failure.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { entries } from './entries.js';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dev = pkg.devDependencies;
const work = mkdtempSync(join(tmpdir(), 'bulwark-package-'));
const keep = process.argv.includes('--keep');

function run(cmd, args, cwd) {
  console.log(`$ ${[cmd, ...args].join(' ')}${cwd === root ? '' : `   (in ${cwd})`}`);
  execFileSync(cmd, args, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
}

try {
  // 1. The tarball, exactly what `npm publish` would upload.
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: root,
      encoding: 'utf8',
    }),
  );
  const tarball = join(work, packed[0].filename);
  const files = packed[0].files.map((f) => f.path);
  for (const e of entries) {
    for (const ext of ['.js', '.cjs', '.d.ts', '.d.cts']) {
      if (!files.includes(`dist/${e.name}${ext}`))
        throw new Error(`the tarball lacks dist/${e.name}${ext}`);
    }
  }
  const leaked = files.filter((f) => /^(src|adapters|test|node_modules|coverage)\//.test(f));
  if (leaked.length > 0)
    throw new Error(`the tarball ships files it should not: ${leaked.join(', ')}`);
  console.log(`packed ${packed[0].filename}: ${files.length} files, ${packed[0].size} bytes`);

  const subpaths = entries
    .filter((e) => e.subpath !== null)
    .map((e) => (e.subpath === '.' ? 'bulwark' : `bulwark/${e.subpath.slice(2)}`));
  const peers = [
    'express',
    '@types/express',
    'koa',
    '@types/koa',
    'fastify',
    'ioredis',
    'hono',
    '@nestjs/common',
    '@nestjs/core',
    'reflect-metadata',
    'rxjs',
    'typescript',
    '@types/node',
  ];

  // 2. An ESM consumer and a CommonJS consumer, each a real npm project.
  const esm = join(work, 'consumer-esm');
  const cjs = join(work, 'consumer-cjs');
  for (const [dir, type] of [
    [esm, 'module'],
    [cjs, 'commonjs'],
  ]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: `consumer-${type}`, private: true, type }, null, 2),
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2022',
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: ['node'],
          },
          include: ['*.ts', '*.mts', '*.cts'],
        },
        null,
        2,
      ),
    );
  }
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      tarball,
      ...peers.map((p) => `${p}@${dev[p]}`),
    ],
    esm,
  );
  cpSync(join(esm, 'node_modules'), join(cjs, 'node_modules'), {
    recursive: true,
    verbatimSymlinks: true,
  });

  const runtimeCheck = (load) => `
${subpaths.map((s, i) => load(`m${i}`, s)).join('\n')}
const core = m0;
const headers = core.buildSecurityHeaders();
if (headers['X-Frame-Options'] !== 'DENY') throw new Error('core did not load');
for (const [name, mod] of Object.entries({ ${subpaths.map((s, i) => `'${s}': m${i}`).join(', ')} })) {
  if (Object.keys(mod).length === 0 && name !== 'bulwark/redis') throw new Error(name + ' exports nothing');
}
for (const adapter of [m2, m3, m4, m5, m7]) {
  if (typeof adapter.securityHeaders !== 'function') throw new Error('adapter lacks securityHeaders');
}
if (typeof m6.BulwarkModule?.forRoot !== 'function') throw new Error('bulwark/nest lacks BulwarkModule.forRoot');
console.log('loaded', ${JSON.stringify(subpaths.join(', '))});
`;
  writeFileSync(
    join(esm, 'check.mjs'),
    runtimeCheck((v, s) => `import * as ${v} from '${s}';`),
  );
  writeFileSync(
    join(cjs, 'check.cjs'),
    runtimeCheck((v, s) => `const ${v} = require('${s}');`),
  );

  const typeCheck = `
import { BulwarkError, buildSecurityHeaders, configFromEnv } from 'bulwark';
import type { SecurityHeadersOptions, BulwarkConfig } from 'bulwark';
import * as redis from 'bulwark/redis';
import { securityHeaders as e } from 'bulwark/express';
import { securityHeaders as k } from 'bulwark/koa';
import { securityHeaders as f } from 'bulwark/fastify';
import type { RequestHandler } from 'express';
import type { Middleware } from 'koa';
const options: SecurityHeadersOptions = { preset: 'api', xFrameOptions: false };
const h: Record<string, string> = buildSecurityHeaders(options);
const c: BulwarkConfig = configFromEnv({});
const err = new BulwarkError({ status: 400, code: 'bad_request', detail: 'x' });
const s: number = err.status;
const mw: RequestHandler = e();
const km: Middleware = k();
// Third-party .d.ts files are skipped (skipLibCheck), so prove ours resolved to real
// types, not to an implicit any: each line below must be a type error.
// @ts-expect-error a number is not a header value
buildSecurityHeaders({ xFrameOptions: 1 });
// @ts-expect-error unknown preset
e({ preset: 'strict' });
// @ts-expect-error status is a number
const notString: string = err.status;
void [h, c, s, mw, km, f, redis, notString];
`;
  writeFileSync(join(esm, 'types.mts'), typeCheck);
  writeFileSync(join(cjs, 'types.cts'), typeCheck);

  for (const [dir, file] of [
    [esm, 'check.mjs'],
    [cjs, 'check.cjs'],
  ]) {
    run('node', [file], dir);
    run(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', '.'], dir);
  }
  run(join(esm, 'node_modules', '.bin', 'bulwark'), ['--help'], esm);

  // 3. Lint the package as published.
  run(join(root, 'node_modules', '.bin', 'publint'), ['--strict'], root);
  run(join(root, 'node_modules', '.bin', 'attw'), [tarball, '--profile', 'node16'], root);
  console.log('package checks passed');
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
