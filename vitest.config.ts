import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Two cores: keep worker count low so real servers, real Redis and timing-sensitive
// socket tests do not starve each other.
export default defineConfig({
  // The package's own entry points resolve to source, as tsconfig `paths` does for tsc.
  resolve: {
    alias: [
      { find: /^bulwark$/, replacement: here('./src/index.ts') },
      { find: /^bulwark\/redis$/, replacement: here('./src/redis/index.ts') },
      {
        find: /^bulwark\/(express|koa|fastify|hono|nest|fetch)$/,
        replacement: here('./adapters/$1.ts'),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: [
      'test/setup/build-global.ts',
      'test/setup/redis-global.ts',
      'test/setup/browser-global.ts',
    ],
    pool: 'forks',
    maxWorkers: 2,
    // test/attacks/leaks.test.ts measures the heap after global.gc(); the flag costs the
    // other files nothing.
    execArgv: ['--expose-gc'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'adapters/**/*.ts'],
      reporter: ['text-summary', 'html'],
    },
  },
});
