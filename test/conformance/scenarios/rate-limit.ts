import { MemoryStore } from 'bulwark';
import type { AppSpec, Scenario } from '../types.js';
import { MC, JSON_TYPE, ok } from './common.js';

const window = { windowMs: 60_000, algorithm: 'fixed-window' } as const;
const silent = { warn: () => undefined, error: () => undefined };

/** Security headers first, then a global limit of 2 per minute per client IP. */
const global: AppSpec = {
  use: [
    { kind: 'securityHeaders' },
    {
      kind: 'rateLimit',
      options: { limiter: { name: 'api', limit: 2, ...window }, skipHeader: 'x-skip' },
    },
  ],
  routes: [
    { method: 'GET', path: '/a', reply: ok },
    { method: 'GET', path: '/free', reply: ok, use: [{ kind: 'rateLimit', options: false }] },
  ],
};

/** A key function (an API key header), the draft-7 fields and the legacy ones. */
const keyed: AppSpec = {
  use: [
    { kind: 'securityHeaders' },
    {
      kind: 'rateLimit',
      options: {
        limiter: { name: 'keyed', limit: 1, ...window },
        keyHeader: 'x-api-key',
        headers: 'draft-7',
        legacyHeaders: true,
      },
    },
  ],
  routes: [{ method: 'GET', path: '/a', reply: ok }],
};

/** A store that is down, with the fail-closed policy. */
const closedStore = new MemoryStore();
closedStore.close();
const denied: AppSpec = {
  use: [
    { kind: 'securityHeaders' },
    {
      kind: 'rateLimit',
      options: {
        limiter: {
          name: 'down',
          limit: 5,
          windowMs: 1000,
          store: closedStore,
          onStoreError: 'deny',
          logger: silent,
        },
      },
    },
  ],
  routes: [{ method: 'GET', path: '/a', reply: ok }],
};

/** Per-route policy: one route limited to 1 a minute, another not limited at all. */
const perRoute: AppSpec = {
  use: [{ kind: 'securityHeaders' }],
  routes: [
    {
      method: 'GET',
      path: '/strict',
      reply: ok,
      use: [
        {
          kind: 'rateLimit',
          options: { limiter: { name: 'strict', limit: 1, ...window }, headers: 'draft-6' },
        },
      ],
    },
    { method: 'GET', path: '/open', reply: ok },
  ],
};

/** Behind a trusted proxy (the test client is 127.0.0.1): clients keyed by X-Forwarded-For. */
const proxied: AppSpec = {
  use: [
    { kind: 'securityHeaders' },
    {
      kind: 'rateLimit',
      options: { limiter: { name: 'proxied', limit: 1, ...window }, trustedProxies: ['127.0.0.1'] },
    },
  ],
  routes: [{ method: 'GET', path: '/a', reply: ok }],
};

const get = (path: string, headers?: Record<string, string>) => ({
  method: 'GET',
  path,
  ...(headers === undefined ? {} : { headers }),
});

/** The scenarios run in order on one app per AppSpec, so counts build up across them. */
export const rateLimitScenarios: readonly Scenario[] = [
  {
    name: 'first request: allowed, IETF fields and security headers',
    app: global,
    request: get('/a'),
    expect: {
      status: 200,
      headers: {
        ...MC,
        'RateLimit-Policy': '"api";q=2;w=60',
        RateLimit: '"api";r=1;t=60',
        'Retry-After': null,
        'X-RateLimit-Limit': null,
      },
      json: { ok: true },
    },
  },
  {
    name: 'a skipped request is not counted and gets no fields',
    app: global,
    request: get('/a', { 'X-Skip': '1' }),
    expect: { status: 200, headers: { RateLimit: null, 'RateLimit-Policy': null } },
  },
  {
    name: 'second request: allowed, nothing remaining',
    app: global,
    request: get('/a'),
    expect: { status: 200, headers: { RateLimit: '"api";r=0;t=60' } },
  },
  {
    name: 'third request: 429 with Retry-After, the fields and security headers',
    app: global,
    request: get('/a'),
    expect: {
      status: 429,
      headers: {
        ...MC,
        'Content-Type': JSON_TYPE,
        'Retry-After': '60',
        'RateLimit-Policy': '"api";q=2;w=60',
        RateLimit: '"api";r=0;t=60',
      },
      json: { detail: 'Too Many Requests' },
    },
  },
  {
    name: 'a route opts out through config.rateLimit = false (Fastify route config)',
    app: global,
    request: get('/free'),
    expect: { status: 200, headers: { RateLimit: null } },
    // Hono has no route config either: a route's own middleware cannot undo an app-wide one.
    skip: ['express', 'koa', 'hono'],
  },
  {
    name: 'a key function: draft-7 and legacy fields on an allowed request',
    app: keyed,
    request: get('/a', { 'X-Api-Key': 'alpha' }),
    expect: {
      status: 200,
      headers: {
        'RateLimit-Policy': '1;w=60',
        RateLimit: 'limit=1, remaining=0, reset=60',
        'X-RateLimit-Limit': '1',
        'X-RateLimit-Remaining': '0',
      },
    },
  },
  {
    name: 'a key function: the same key is refused',
    app: keyed,
    request: get('/a', { 'X-Api-Key': 'alpha' }),
    expect: {
      status: 429,
      headers: { ...MC, 'Retry-After': '60', RateLimit: 'limit=1, remaining=0, reset=60' },
      json: { detail: 'Too Many Requests' },
    },
  },
  {
    name: 'a key function: another key from the same address passes',
    app: keyed,
    request: get('/a', { 'X-Api-Key': 'beta' }),
    expect: { status: 200 },
  },
  {
    name: "store down with onStoreError 'deny': 503 with Retry-After",
    app: denied,
    request: get('/a'),
    expect: {
      status: 503,
      headers: { ...MC, 'Retry-After': '5', 'Content-Type': JSON_TYPE, RateLimit: null },
      json: { detail: 'Service Unavailable' },
    },
  },
  {
    name: 'per-route policy: allowed with draft-6 fields',
    app: perRoute,
    request: get('/strict'),
    expect: {
      status: 200,
      headers: {
        'RateLimit-Policy': '1;w=60',
        'RateLimit-Limit': '1',
        'RateLimit-Remaining': '0',
        'RateLimit-Reset': '60',
      },
    },
  },
  {
    name: 'per-route policy: refused on that route',
    app: perRoute,
    request: get('/strict'),
    expect: { status: 429, headers: { ...MC, 'Retry-After': '60' } },
  },
  {
    name: 'per-route policy: other routes are not limited',
    app: perRoute,
    request: get('/open'),
    expect: { status: 200, headers: { 'RateLimit-Policy': null, RateLimit: null } },
  },
  {
    name: 'behind a trusted proxy: the forwarded client is counted',
    app: proxied,
    request: get('/a', { 'X-Forwarded-For': '6.6.6.6, 198.51.100.1' }),
    expect: { status: 200 },
  },
  {
    name: 'behind a trusted proxy: the same client is refused',
    app: proxied,
    request: get('/a', { 'X-Forwarded-For': '198.51.100.1' }),
    expect: { status: 429 },
  },
  {
    name: 'behind a trusted proxy: another client passes',
    app: proxied,
    request: get('/a', { 'X-Forwarded-For': '198.51.100.2' }),
    expect: { status: 200 },
  },
];
