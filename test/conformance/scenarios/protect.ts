import type { StartupScenario } from '../types.js';

const routes = [
  { method: 'GET', path: '/data', reply: { kind: 'json', body: { ok: true } } },
] as const;

// Nest's protect is BulwarkModule.forRoot, and its messages name it.
const PROTECT = '(?:protect|BulwarkModule\\.forRoot)';

/**
 * protect's own misuse, refused when the app is built on every framework. Its parts' misuse
 * (and everything else) runs through the separate middlewares' scenarios, rewritten to
 * protect (see ../protect.ts).
 */
export const protectAtStartup: readonly StartupScenario[] = [
  {
    name: 'a part misspelt (ratelimit) would leave the app unlimited: refused, naming rateLimit',
    app: {
      use: [{ kind: 'protect', securityHeaders: {}, misspelt: 'ratelimit' }],
      routes,
    },
    error: new RegExp(`${PROTECT}: unknown option "ratelimit"; write rateLimit`),
  },
  {
    name: 'an option that is no part at all (helmet): refused, listing the parts',
    app: { use: [{ kind: 'protect', securityHeaders: {}, misspelt: 'helmet' }], routes },
    error: new RegExp(
      `${PROTECT}: unknown option "helmet"; the parts are securityHeaders, cors, rateLimit`,
    ),
  },
  {
    name: 'every part switched off: refused, it would check nothing',
    app: { use: [{ kind: 'protect', securityHeaders: false }], routes },
    error: new RegExp(`${PROTECT}: every part is off`),
  },
  {
    name: "a part's own bad option fails as that middleware's would",
    app: {
      use: [
        {
          kind: 'protect',
          securityHeaders: {},
          rateLimit: {
            kind: 'rateLimit',
            options: { limiter: { limit: 0, windowMs: 60_000 } },
          },
        },
      ],
      routes,
    },
    error: /bulwark: .*limit: 0/,
  },
];
