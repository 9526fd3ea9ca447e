// @ts-check
/**
 * Every entry point of the package. tsup builds exactly these; check-entries.mjs holds
 * package.json `exports` and `bin` to the same list; check-package.mjs imports each one.
 * @type {ReadonlyArray<{ name: string, source: string, subpath: string | null, bin?: string }>}
 */
export const entries = [
  { name: 'index', source: 'src/index.ts', subpath: '.' },
  { name: 'redis', source: 'src/redis/index.ts', subpath: './redis' },
  { name: 'express', source: 'adapters/express.ts', subpath: './express' },
  { name: 'koa', source: 'adapters/koa.ts', subpath: './koa' },
  { name: 'fastify', source: 'adapters/fastify.ts', subpath: './fastify' },
  { name: 'hono', source: 'adapters/hono.ts', subpath: './hono' },
  { name: 'nest', source: 'adapters/nest.ts', subpath: './nest' },
  { name: 'fetch', source: 'adapters/fetch.ts', subpath: './fetch' },
  { name: 'cli', source: 'src/cli.ts', subpath: null, bin: 'bulwark' },
];
