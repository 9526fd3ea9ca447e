import type { AppSpec, Scenario, ScenarioRequest, StartupScenario } from '../types.js';
import { MC } from './common.js';

const APP = 'https://app.example.com';
const PREVIEW = 'https://pr-42.preview.example.com';
const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const EXPOSED = 'RateLimit, RateLimit-Policy, Retry-After';
const silent = { warn: () => undefined, error: () => undefined };

/**
 * The mounting the guide gives: securityHeaders, cors, then the rate limit (a preflight is
 * answered before it), with an app middleware that sets its own Vary before cors runs.
 */
const api: AppSpec = {
  use: [
    { kind: 'securityHeaders' },
    { kind: 'header', name: 'Vary', value: 'Accept-Encoding' },
    {
      kind: 'cors',
      options: {
        origins: [APP, /^https:\/\/pr-\d+\.preview\.example\.com$/],
        exposedHeaders: ['RateLimit', 'RateLimit-Policy', 'Retry-After'],
        maxAge: 600,
      },
    },
    {
      kind: 'rateLimit',
      options: {
        limiter: { name: 'cors', limit: 3, windowMs: 60_000, algorithm: 'fixed-window' },
        keyHeader: 'x-client',
      },
    },
  ],
  routes: [
    { method: 'GET', path: '/data', reply: { kind: 'json', body: { ok: true } } },
    { method: 'GET', path: '/boom', reply: { kind: 'throw' } },
    { method: 'GET', path: '/negotiated', reply: { kind: 'vary', field: 'Accept', body: {} } },
  ],
};

const wildcard: AppSpec = {
  use: [{ kind: 'cors', options: { origins: '*' } }],
  routes: [{ method: 'GET', path: '/data', reply: { kind: 'json', body: {} } }],
};

const credentialed: AppSpec = {
  use: [
    {
      kind: 'cors',
      options: {
        origins: APP,
        credentials: true,
        methods: ['GET', 'PUT'],
        allowedHeaders: ['Content-Type'],
      },
    },
  ],
  routes: [{ method: 'GET', path: '/me', reply: { kind: 'json', body: {} } }],
};

const tenants = new Set(['https://tenant-a.example.com']);
const decided: AppSpec = {
  use: [
    {
      kind: 'cors',
      options: {
        logger: silent,
        origins: async (origin) => {
          await Promise.resolve();
          if (origin === 'https://broken.example.com') throw new Error('tenant lookup failed');
          return tenants.has(origin);
        },
      },
    },
  ],
  routes: [{ method: 'GET', path: '/data', reply: { kind: 'json', body: {} } }],
};

/** CORS for one part of the app only: a scope with its own cors (Fastify: a prefixed plugin). */
const scoped: AppSpec = {
  use: [{ kind: 'securityHeaders' }],
  routes: [{ method: 'GET', path: '/internal', reply: { kind: 'json', body: {} } }],
  scopes: [
    {
      prefix: '/api',
      use: [{ kind: 'cors', options: { origins: APP } }],
      routes: [
        { method: 'GET', path: '/x', reply: { kind: 'json', body: {} } },
        {
          method: 'GET',
          path: '/closed',
          reply: { kind: 'json', body: {} },
          use: [{ kind: 'cors', options: { origins: 'https://other.example.com' } }],
        },
        {
          method: 'PUT',
          path: '/closed',
          reply: { kind: 'json', body: {} },
          use: [{ kind: 'cors', options: { origins: 'https://other.example.com' } }],
        },
      ],
    },
  ],
};

/** Registered in the wrong order: the rate limit before cors. */
const lateCors: AppSpec = {
  use: [
    { kind: 'securityHeaders' },
    {
      kind: 'rateLimit',
      options: {
        limiter: { name: 'late', limit: 1, windowMs: 60_000, algorithm: 'fixed-window' },
        keyHeader: 'x-client',
      },
    },
    { kind: 'cors', options: { origins: APP } },
  ],
  routes: [{ method: 'GET', path: '/data', reply: { kind: 'json', body: {} } }],
};

const from = (
  origin: string,
  path = '/data',
  headers: Record<string, string> = {},
): ScenarioRequest => ({
  method: 'GET',
  path,
  headers: { Origin: origin, ...headers },
});
const preflight = (
  origin: string,
  path = '/data',
  headers: Record<string, string> = {},
): ScenarioRequest => ({
  method: 'OPTIONS',
  path,
  headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT', ...headers },
});
const noCors = { 'Access-Control-Allow-Origin': null, 'Access-Control-Allow-Credentials': null };

export const corsScenarios: readonly Scenario[] = [
  {
    name: 'an allowed origin gets exactly its origin back, the exposed headers and Vary merged into the app’s',
    app: api,
    request: from(APP, '/data', { 'X-Client': 'simple' }),
    expect: {
      status: 200,
      headers: {
        ...MC,
        'Access-Control-Allow-Origin': APP,
        'Access-Control-Expose-Headers': EXPOSED,
        'Access-Control-Allow-Credentials': null,
        Vary: 'Accept-Encoding, Origin',
        'RateLimit-Policy': '"cors";q=3;w=60',
      },
      json: { ok: true },
    },
  },
  {
    name: 'an origin matched by an anchored pattern is allowed',
    app: api,
    request: from(PREVIEW, '/data', { 'X-Client': 'preview' }),
    expect: { status: 200, headers: { 'Access-Control-Allow-Origin': PREVIEW } },
  },
  {
    name: 'an origin is matched after normalization and answered in its serialized form',
    app: api,
    request: from('HTTPS://App.Example.COM:443', '/data', { 'X-Client': 'upper' }),
    expect: { status: 200, headers: { 'Access-Control-Allow-Origin': APP } },
  },
  ...(
    [
      ['another site', 'https://evil.example.net'],
      ['a look-alike suffix', 'https://app.example.com.evil.net'],
      ['a look-alike of the pattern', 'https://pr-42.preview.example.com.evil.net'],
      ['the null origin (not listed)', 'null'],
      ['an origin with a path', 'https://app.example.com/app'],
      ['an oversized origin', `https://${'a'.repeat(5000)}.example.com`],
    ] as const
  ).map(([what, origin]): Scenario => ({
    name: `${what} gets no CORS header at all, and is never a 500`,
    app: api,
    request: from(origin, '/data', { 'X-Client': `refused ${what}` }),
    expect: { status: 200, headers: { ...noCors, Vary: 'Accept-Encoding, Origin' } },
  })),
  {
    name: 'a repeated Origin header is refused, never a 500',
    app: api,
    request: {
      method: 'GET',
      path: '/data',
      raw: {
        head: [`Origin: ${APP}`, `Origin: ${APP}`, 'X-Client: repeated', 'Connection: close'],
      },
    },
    expect: { status: 200, headers: noCors },
  },
  {
    name: 'a preflight is answered 204 before the rate limit, with the security headers',
    app: api,
    request: preflight(APP, '/data', {
      'Access-Control-Request-Headers': 'Content-Type, X-Client-Version',
      'X-Client': 'preflight',
    }),
    // More preflights than the limit admits: none of them is counted or refused.
    repeat: 5,
    expect: {
      status: 204,
      headers: {
        ...MC,
        'Access-Control-Allow-Origin': APP,
        'Access-Control-Allow-Methods': METHODS,
        'Access-Control-Allow-Headers': 'content-type, x-client-version',
        'Access-Control-Max-Age': '600',
        'Access-Control-Expose-Headers': null,
        RateLimit: null,
        Vary: 'Accept-Encoding, Origin, Access-Control-Request-Headers',
      },
      text: '',
    },
  },
  {
    name: 'a preflight from a refused origin is answered 204 with no CORS header',
    app: api,
    request: preflight('https://evil.example.net', '/data', { 'X-Client': 'preflight' }),
    expect: { status: 204, headers: { ...MC, ...noCors, 'Access-Control-Allow-Methods': null } },
  },
  {
    name: 'a plain OPTIONS request (no Access-Control-Request-Method) goes on to the app',
    app: api,
    request: { method: 'OPTIONS', path: '/nowhere', headers: { Origin: APP, 'X-Client': 'plain' } },
    expect: { status: 404, headers: { 'Access-Control-Allow-Origin': APP } },
  },
  {
    name: 'a 404 carries the CORS headers, so the page can read it',
    app: api,
    request: from(APP, '/nowhere', { 'X-Client': '404' }),
    expect: { status: 404, headers: { ...MC, 'Access-Control-Allow-Origin': APP } },
  },
  {
    name: 'a thrown error keeps the CORS headers (Koa clears headers on errors)',
    app: api,
    request: from(APP, '/boom', { 'X-Client': 'boom' }),
    expect: { status: 500, headers: { ...MC, 'Access-Control-Allow-Origin': APP } },
  },
  {
    name: "a handler that adds to Vary keeps the app's field and CORS's, each once",
    app: api,
    request: from(APP, '/negotiated', { 'X-Client': 'vary' }),
    expect: { status: 200, headers: { Vary: 'Accept-Encoding, Origin, Accept' } },
  },
  {
    name: 'a 429 carries the CORS headers and the exposed Retry-After',
    app: api,
    request: from(APP, '/data', { 'X-Client': 'limited' }),
    before: [
      { request: from(APP, '/data', { 'X-Client': 'limited' }), status: 200 },
      { request: from(APP, '/data', { 'X-Client': 'limited' }), status: 200 },
      { request: from(APP, '/data', { 'X-Client': 'limited' }), status: 200 },
    ],
    expect: {
      status: 429,
      headers: {
        ...MC,
        'Access-Control-Allow-Origin': APP,
        'Access-Control-Expose-Headers': EXPOSED,
        'Retry-After': '60',
      },
      json: { detail: 'Too Many Requests' },
    },
  },
  {
    name: "'*' answers * without Vary",
    app: wildcard,
    request: from('https://anyone.example.org'),
    expect: { status: 200, headers: { 'Access-Control-Allow-Origin': '*', Vary: null } },
  },
  {
    name: "'*' answers a preflight",
    app: wildcard,
    request: preflight('https://anyone.example.org', '/data', {
      'Access-Control-Request-Headers': 'x-a',
    }),
    expect: {
      status: 204,
      headers: {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Headers': 'x-a',
        Vary: 'Access-Control-Request-Headers',
      },
    },
  },
  {
    name: 'credentials: the allowed origin is told it may send cookies',
    app: credentialed,
    request: from(APP, '/me'),
    expect: {
      status: 200,
      headers: {
        'Access-Control-Allow-Origin': APP,
        'Access-Control-Allow-Credentials': 'true',
        Vary: 'Origin',
      },
    },
  },
  {
    name: 'credentials: a preflight lists the configured methods and headers, not what was asked',
    app: credentialed,
    request: preflight(APP, '/me', { 'Access-Control-Request-Headers': 'x-other' }),
    expect: {
      status: 204,
      headers: {
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'GET, PUT',
        'Access-Control-Allow-Headers': 'Content-Type',
        Vary: 'Origin',
      },
    },
  },
  {
    name: 'credentials: another origin gets nothing',
    app: credentialed,
    request: from('https://evil.example.net', '/me'),
    expect: { status: 200, headers: noCors },
  },
  {
    name: 'an async origins function allows what it says',
    app: decided,
    request: from('https://tenant-a.example.com'),
    expect: {
      status: 200,
      headers: { 'Access-Control-Allow-Origin': 'https://tenant-a.example.com' },
    },
  },
  {
    name: 'an async origins function refuses what it says',
    app: decided,
    request: from('https://tenant-b.example.com'),
    expect: { status: 200, headers: noCors },
  },
  {
    name: 'an origins function that throws refuses the origin, never a 500',
    app: decided,
    request: from('https://broken.example.com'),
    expect: { status: 200, headers: noCors },
  },
  {
    name: 'scoped cors: a preflight to a path of the scope is answered',
    app: scoped,
    request: preflight(APP, '/api/x'),
    expect: { status: 204, headers: { ...MC, 'Access-Control-Allow-Origin': APP } },
    // Nest: CORS is app-wide (BulwarkModule.forRoot); a preflight reaches no controller,
    // so a controller-level policy could not answer it.
    skip: ['nest'],
  },
  {
    name: 'scoped cors: a request in the scope gets the headers',
    app: scoped,
    request: from(APP, '/api/x'),
    expect: { status: 200, headers: { 'Access-Control-Allow-Origin': APP, Vary: 'Origin' } },
    // Nest: CORS is app-wide (BulwarkModule.forRoot), as above.
    skip: ['nest'],
  },
  {
    name: 'scoped cors: routes outside the scope get none',
    app: scoped,
    request: from(APP, '/internal'),
    expect: { status: 200, headers: { ...noCors, Vary: null } },
  },
  {
    name: "a route's own cors options apply to its answers (Fastify route config; on Express and Koa the route's cors runs after the scope's)",
    app: scoped,
    request: from(APP, '/api/closed'),
    expect: { status: 200, headers: { 'Access-Control-Allow-Origin': null } },
    // Hono, too, runs the route's cors after the scope's, in mounting order. Nest: CORS is
    // app-wide (BulwarkModule.forRoot), with no per-route policy.
    skip: ['express', 'koa', 'hono', 'nest'],
  },
  {
    name: "a preflight to a route with its own cors options is answered with them (Fastify; on Express and Koa the scope's cors answers preflights)",
    app: scoped,
    request: preflight(APP, '/api/closed'),
    expect: { status: 204, headers: { 'Access-Control-Allow-Origin': null } },
    // Hono, too: the scope's cors answers preflights. Nest: no per-route CORS policy.
    skip: ['express', 'koa', 'hono', 'nest'],
  },
  {
    name: "a preflight to a route with its own cors options, from the route's origin (Fastify)",
    app: scoped,
    request: preflight('https://other.example.com', '/api/closed'),
    expect: {
      status: 204,
      headers: { 'Access-Control-Allow-Origin': 'https://other.example.com' },
    },
    // Hono, too: the scope's cors answers preflights. Nest: no per-route CORS policy.
    skip: ['express', 'koa', 'hono', 'nest'],
  },
  {
    name: 'cors registered after the rate limit: preflights are still answered and not counted (Fastify; on Express and Koa middleware runs in mounting order, so mount cors first)',
    app: lateCors,
    request: preflight(APP, '/data', { 'X-Client': 'late-preflight' }),
    repeat: 3,
    expect: { status: 204, headers: { 'Access-Control-Allow-Origin': APP, RateLimit: null } },
    // Hono, too, runs middleware in mounting order.
    skip: ['express', 'koa', 'hono'],
  },
  {
    name: 'cors registered after the rate limit: a 429 still carries the CORS headers (Fastify)',
    app: lateCors,
    request: from(APP, '/data', { 'X-Client': 'late' }),
    before: [{ request: from(APP, '/data', { 'X-Client': 'late' }), status: 200 }],
    expect: {
      status: 429,
      headers: { ...MC, 'Access-Control-Allow-Origin': APP, Vary: 'Origin' },
    },
    // Hono, too, runs middleware in mounting order.
    skip: ['express', 'koa', 'hono'],
  },
];

/** CORS options refused when the app is built, with what to write, on every framework. */
export const corsAtStartup: readonly StartupScenario[] = [
  {
    name: 'cors without origins',
    app: { use: [{ kind: 'cors', options: {} as { origins: string } }], routes: [] },
    error:
      /cors origins: no origins are given; write cors\(\{ origins: \['https:\/\/app\.example\.com'\] \}\)/,
  },
  {
    name: "cors with '*' and credentials",
    app: { use: [{ kind: 'cors', options: { origins: '*', credentials: true } }], routes: [] },
    error: /'\*' together with credentials: true/,
  },
  {
    name: 'cors with an unanchored pattern',
    app: { use: [{ kind: 'cors', options: { origins: [/app\.example\.com/] } }], routes: [] },
    error: /not anchored/,
  },
  {
    name: 'cors with a g-flagged pattern',
    app: {
      use: [{ kind: 'cors', options: { origins: /^https:\/\/app\.example\.com$/g } }],
      routes: [],
    },
    error: /g flag/,
  },
  {
    name: 'cors with an origin that has a trailing slash',
    app: { use: [{ kind: 'cors', options: { origins: 'https://app.example.com/' } }], routes: [] },
    error: /ends with a slash/,
  },
  {
    name: 'cors with a header name that could split the response',
    app: {
      use: [{ kind: 'cors', options: { origins: APP, exposedHeaders: ['RateLimit\r\nX: 1'] } }],
      routes: [],
    },
    error: /exposedHeaders: .* is not an HTTP token/,
  },
];
