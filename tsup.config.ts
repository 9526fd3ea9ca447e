import { defineConfig } from 'tsup';
import { entries } from './scripts/entries.js';

// One source of truth for the build: scripts/entries.js lists every entry point, and
// scripts/check-entries.mjs fails the build when package.json `exports` disagrees with it.
export default defineConfig({
  entry: Object.fromEntries(entries.map((e) => [e.name, e.source])),
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  treeshake: true,
  // Adapters and the Redis entry import the core as 'bulwark' (the package's own name),
  // so every entry shares one copy of it: `instanceof BulwarkError` holds across entries.
  external: [
    'bulwark',
    'express',
    'koa',
    'fastify',
    'fastify-plugin',
    'ioredis',
    'hono',
    '@nestjs/common',
    '@nestjs/core',
    'rxjs',
  ],
});
