import type { AppSpec, Scenario } from '../types.js';

const MC = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Permissions-Policy': null,
} as const;

const routes = [
  { method: 'GET', path: '/ok', reply: { kind: 'json', body: { ok: true } } },
  { method: 'GET', path: '/boom', reply: { kind: 'throw' } },
  { method: 'GET', path: '/bad', reply: { kind: 'throw', status: 400 } },
  { method: 'GET', path: '/stream', reply: { kind: 'stream', chunks: ['a', 'b', 'c'] } },
  {
    method: 'GET',
    path: '/own-frame',
    reply: { kind: 'set-header', name: 'X-Frame-Options', value: 'SAMEORIGIN', body: {} },
  },
  {
    method: 'POST',
    path: '/too-large',
    reply: {
      kind: 'reject',
      error: {
        status: 413,
        code: 'payload_too_large',
        detail: 'Payload exceeds maximum size of 10 bytes.',
      },
    },
  },
  {
    method: 'POST',
    path: '/too-many',
    reply: {
      kind: 'reject',
      error: {
        status: 429,
        code: 'rate_limited',
        detail: 'Too Many Requests',
        headers: { 'Retry-After': '7' },
      },
    },
  },
  {
    method: 'GET',
    path: '/route-web',
    reply: { kind: 'json', body: {} },
    use: [{ kind: 'securityHeaders', options: { preset: 'web' } }],
  },
  {
    method: 'GET',
    path: '/route-off',
    reply: { kind: 'json', body: {} },
    use: [{ kind: 'securityHeaders', options: false }],
  },
] as const satisfies AppSpec['routes'];

/** Mission Control defaults, mounted first, with the framework's CORS package after it. */
const mc: AppSpec = { use: [{ kind: 'securityHeaders' }, { kind: 'corsPackage' }], routes };

const api: AppSpec = {
  use: [{ kind: 'securityHeaders', options: { preset: 'api', cacheControl: false } }],
  routes,
};

const custom: AppSpec = {
  use: [
    {
      kind: 'securityHeaders',
      options: {
        xFrameOptions: 'SAMEORIGIN',
        referrerPolicy: false,
        permissionsPolicy: 'camera=(), geolocation=()',
        strictTransportSecurity: { maxAge: 63072000, includeSubDomains: true, preload: true },
        custom: { 'X-Robots-Tag': 'noindex' },
      },
    },
  ],
  routes,
};

const get = (path: string) => ({ method: 'GET', path });

export const securityHeaderScenarios: readonly Scenario[] = [
  {
    name: 'mission-control headers on a 200',
    app: mc,
    request: get('/ok'),
    expect: { status: 200, headers: MC, json: { ok: true } },
  },
  {
    name: 'headers on a 404',
    app: mc,
    request: get('/nowhere'),
    expect: { status: 404, headers: MC },
  },
  {
    name: 'headers on a thrown error (500)',
    app: mc,
    request: get('/boom'),
    expect: { status: 500, headers: MC },
  },
  {
    name: 'headers on a thrown 400',
    app: mc,
    request: get('/bad'),
    expect: { status: 400, headers: MC },
  },
  {
    name: 'headers on a streamed response',
    app: mc,
    request: get('/stream'),
    expect: { status: 200, headers: MC, text: 'abc' },
  },
  {
    name: 'headers on a CORS preflight answer',
    app: mc,
    request: {
      method: 'OPTIONS',
      path: '/ok',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' },
    },
    expect: { status: 204, headers: { ...MC, 'Access-Control-Allow-Origin': '*' } },
    // Nest: app.enableCors() answers a preflight before any module's middleware, on both
    // platforms, so the answer has no security headers; BulwarkModule.forRoot({ cors })
    // answers preflights with them (the cors scenarios).
    expectOn: { nest: { status: 204, headers: { 'Access-Control-Allow-Origin': '*' } } },
  },
  {
    name: 'a header the app set itself is not overwritten',
    app: mc,
    request: get('/own-frame'),
    expect: { status: 200, headers: { ...MC, 'X-Frame-Options': 'SAMEORIGIN' } },
  },
  {
    name: 'headers and the shared JSON body on a bulwark 413',
    app: mc,
    request: { method: 'POST', path: '/too-large' },
    expect: {
      status: 413,
      headers: { ...MC, 'Content-Type': 'application/json; charset=utf-8' },
      json: { detail: 'Payload exceeds maximum size of 10 bytes.' },
    },
  },
  {
    name: 'headers and Retry-After on a bulwark 429',
    app: mc,
    request: { method: 'POST', path: '/too-many' },
    expect: {
      status: 429,
      headers: { ...MC, 'Retry-After': '7', 'Content-Type': 'application/json; charset=utf-8' },
      json: { detail: 'Too Many Requests' },
    },
  },
  {
    name: 'a route replaces the global set',
    app: mc,
    request: get('/route-web'),
    expect: {
      status: 200,
      headers: {
        'X-Frame-Options': 'SAMEORIGIN',
        'Referrer-Policy': 'no-referrer',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'X-XSS-Protection': '0',
      },
    },
  },
  {
    name: 'a route opts out',
    app: mc,
    request: get('/route-off'),
    expect: {
      status: 200,
      headers: { 'X-Frame-Options': null, 'X-Content-Type-Options': null, 'Referrer-Policy': null },
    },
  },
  {
    name: 'the api preset, one header removed',
    app: api,
    request: get('/ok'),
    expect: {
      status: 200,
      headers: {
        'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
        'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
        'Referrer-Policy': 'no-referrer',
        'Cross-Origin-Resource-Policy': 'same-origin',
        'X-Frame-Options': 'DENY',
        'Cache-Control': null,
      },
    },
  },
  {
    name: 'per-header overrides, false and custom headers',
    app: custom,
    request: get('/ok'),
    expect: {
      status: 200,
      headers: {
        'X-Frame-Options': 'SAMEORIGIN',
        'Referrer-Policy': null,
        'Permissions-Policy': 'camera=(), geolocation=()',
        'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
        'X-Robots-Tag': 'noindex',
      },
    },
  },
];
