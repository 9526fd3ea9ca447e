import type {
  AppSpec,
  RateLimitSpec,
  RouteSpec,
  Scenario,
  ScenarioRequest,
  StartupScenario,
} from '../types.js';
import { MC, JSON_TYPE, ok } from './common.js';

/**
 * Abuse protection on every framework: counts taken back once the response is known
 * (skipSuccessfulRequests, skipFailedRequests, requestWasSuccessful, a client hanging up),
 * several limits on one request, allow and deny lists, blocks, and the login recipe. The
 * test client is 127.0.0.1, a trusted proxy here: `X-Forwarded-For` stands for the client
 * IP, so each scenario can be a client of its own.
 */

const TOO_MANY = { detail: 'Too Many Requests' };
const window = { windowMs: 60_000, algorithm: 'fixed-window' } as const;
const PROXY = ['127.0.0.1'];

/** How long the slow route takes, and when a client that gives up on it hangs up. */
const SLOW_MS = 600;
const HANG_UP_MS = 250;

const get = (path: string, ip: string, headers: Record<string, string> = {}): ScenarioRequest => ({
  method: 'GET',
  path,
  headers: { 'X-Forwarded-For': ip, ...headers },
});
const hungUp = (ip: string) => ({
  request: { ...get('/slow', ip), abortAfterMs: HANG_UP_MS },
  status: 0,
});

/** Routes answering each kind of outcome; GET /nowhere is the framework's own 404. */
const outcomes: readonly RouteSpec[] = [
  { method: 'GET', path: '/ok', reply: ok },
  { method: 'GET', path: '/created', reply: { kind: 'json', status: 201, body: { ok: true } } },
  {
    method: 'GET',
    path: '/unauthorized',
    reply: { kind: 'json', status: 401, body: { detail: 'Unauthorized' } },
  },
  { method: 'GET', path: '/boom', reply: { kind: 'throw' } },
  { method: 'GET', path: '/slow', reply: { kind: 'slow', ms: SLOW_MS, body: { ok: true } } },
];

/** Security headers, then one rate limit behind the trusted proxy. */
const limited = (options: Omit<RateLimitSpec, 'trustedProxies'>): AppSpec => ({
  use: [
    { kind: 'securityHeaders' },
    { kind: 'rateLimit', options: { ...options, trustedProxies: PROXY } },
  ],
  routes: outcomes,
});

const failuresOnly = limited({
  limiter: { name: 'failures', limit: 2, ...window },
  skipSuccessfulRequests: true,
});
const successesOnly = limited({
  limiter: { name: 'successes', limit: 2, ...window },
  skipFailedRequests: true,
});
/** The same two policies, for clients that hang up: scenarios that take real time. */
const hangUpsKept = limited({
  limiter: { name: 'hang-ups-kept', limit: 2, ...window },
  skipSuccessfulRequests: true,
});
const hangUpsBack = limited({
  limiter: { name: 'hang-ups-back', limit: 2, ...window },
  skipFailedRequests: true,
});
const acceptedOnly = limited({
  limiter: { name: 'accepted', limit: 2, ...window },
  skipSuccessfulRequests: true,
  requestWasSuccessful: 'accepted',
});
const judgeThrows = limited({
  limiter: { name: 'judged', limit: 2, ...window },
  skipSuccessfulRequests: true,
  requestWasSuccessful: 'throws',
});
const perEntry = limited({
  limiter: [
    { limiter: { name: 'per-user', limit: 2, ...window }, keyHeaders: ['x-user'] },
    { limiter: { name: 'per-ip', limit: 3, ...window } },
  ],
});
/** Keyed by API key, so a client's count can be seen from another, unlisted address. */
const listed = limited({
  limiter: { name: 'listed', limit: 1, ...window },
  keyHeader: 'x-api-key',
  allowList: ['198.51.100.0/24', '203.0.113.0/24'],
  denyList: ['203.0.113.9'],
});
/** A 1 s window with a minute's block: refused, the key stays refused past the window. */
const blocked = limited({
  limiter: {
    name: 'blocked',
    limit: 2,
    windowMs: 1000,
    blockMs: 60_000,
    algorithm: 'fixed-window',
  },
});
/** Two limits on the client IP, decided as one: two a second and three a minute. */
const bursts = limited({
  limiter: [
    { limiter: { name: 'burst', limit: 2, windowMs: 1000, algorithm: 'fixed-window' } },
    { limiter: { name: 'minute', limit: 3, ...window } },
  ],
});
/**
 * The login recipe (docs/guide/rate-limiting.md), its daily limit brought down from 100 to 10
 * so a test can reach it: five wrong passwords in a row for one user from one IP block that
 * pair for a quarter of an hour, a correct one wipes the run, and successes never count toward
 * the IP's day. The pair's key is the user and the client IP as the trusted proxy (the test
 * client) forwards it.
 */
const login: AppSpec = {
  use: [
    { kind: 'securityHeaders' },
    {
      kind: 'rateLimit',
      options: {
        limiter: [
          {
            limiter: {
              name: 'login-user-ip',
              limit: 5,
              windowMs: 15 * 60_000,
              algorithm: 'sliding-log',
              blockMs: 15 * 60_000,
            },
            keyHeaders: ['x-user', 'x-forwarded-for'],
            resetOnSuccess: true,
          },
          { limiter: { name: 'login-ip-day', limit: 10, windowMs: 86_400_000 } },
        ],
        skipSuccessfulRequests: true,
        trustedProxies: PROXY,
      },
    },
  ],
  routes: [{ method: 'POST', path: '/login', reply: { kind: 'login' } }],
};
const signIn = (ip: string, user: string, password: string): ScenarioRequest => ({
  method: 'POST',
  path: '/login',
  headers: { 'X-Forwarded-For': ip, 'X-User': user, 'X-Password': password },
});
const times = <T>(n: number, item: T): T[] => Array.from({ length: n }, () => item);
const wrong = (ip: string, user: string, n: number) =>
  times(n, { request: signIn(ip, user, 'nope'), status: 401 });

const refused = (policy: string, t: number) => ({
  status: 429,
  headers: {
    ...MC,
    'Content-Type': JSON_TYPE,
    'Retry-After': String(t),
    RateLimit: `"${policy}";r=0;t=${t}`,
  },
  json: TOO_MANY,
});

/** The scenarios run in order on one app per AppSpec, so counts build up across them. */
export const abuseScenarios: readonly Scenario[] = [
  {
    name: 'skipSuccessfulRequests: each success is taken back, so successes never use the limit up',
    app: failuresOnly,
    request: get('/ok', '192.0.2.1'),
    repeat: 4,
    expect: {
      status: 200,
      headers: { 'RateLimit-Policy': '"failures";q=2;w=60', RateLimit: '"failures";r=1;t=60' },
      json: { ok: true },
    },
  },
  {
    name: 'skipSuccessfulRequests: a 401 counts',
    app: failuresOnly,
    request: get('/unauthorized', '192.0.2.1'),
    expect: { status: 401, headers: { RateLimit: '"failures";r=1;t=60' } },
  },
  {
    name: "skipSuccessfulRequests: the framework's own 404 counts, and the limit is then used up",
    app: failuresOnly,
    request: get('/nowhere', '192.0.2.1'),
    expect: { status: 404 },
  },
  {
    name: 'skipSuccessfulRequests: once failures used the limit up, a success is refused: 429',
    app: failuresOnly,
    request: get('/ok', '192.0.2.1'),
    expect: refused('failures', 60),
  },
  {
    name: 'skipSuccessfulRequests: a route that throws (500) counts as failed',
    app: failuresOnly,
    before: times(2, { request: get('/boom', '192.0.2.2'), status: 500 }),
    request: get('/ok', '192.0.2.2'),
    expect: refused('failures', 60),
  },
  {
    name: 'skipSuccessfulRequests: a client that hangs up before the answer stays counted',
    app: hangUpsKept,
    before: [hungUp('192.0.2.3')],
    request: get('/ok', '192.0.2.3'),
    expect: { status: 200, headers: { RateLimit: '"hang-ups-kept";r=0;t=60' } },
  },
  {
    name: 'skipSuccessfulRequests: after the slow answer was due, the hang-up is still counted',
    app: hangUpsKept,
    waitMs: SLOW_MS,
    request: get('/ok', '192.0.2.3'),
    expect: { status: 200, headers: { RateLimit: /^"hang-ups-kept";r=0;t=(59|60)$/ } },
  },
  {
    name: 'skipFailedRequests: 401, 404 and 500 are taken back, a success counts',
    app: successesOnly,
    before: [
      { request: get('/unauthorized', '192.0.2.4'), status: 401 },
      { request: get('/nowhere', '192.0.2.4'), status: 404 },
      { request: get('/boom', '192.0.2.4'), status: 500 },
      { request: get('/unauthorized', '192.0.2.4'), status: 401 },
    ],
    request: get('/ok', '192.0.2.4'),
    expect: { status: 200, headers: { RateLimit: '"successes";r=1;t=60' } },
  },
  {
    name: 'skipFailedRequests: the second success uses the limit up',
    app: successesOnly,
    request: get('/ok', '192.0.2.4'),
    expect: { status: 200, headers: { RateLimit: '"successes";r=0;t=60' } },
  },
  {
    name: 'skipFailedRequests: then refused: 429',
    app: successesOnly,
    request: get('/unauthorized', '192.0.2.4'),
    expect: refused('successes', 60),
  },
  {
    name: 'skipFailedRequests: a client that hangs up has failed, and is taken back',
    app: hangUpsBack,
    before: [hungUp('192.0.2.5')],
    request: get('/ok', '192.0.2.5'),
    expect: { status: 200, headers: { RateLimit: '"hang-ups-back";r=1;t=60' } },
  },
  {
    name: "requestWasSuccessful (201 or 202, read the framework's way): a 201 is taken back",
    app: acceptedOnly,
    request: get('/created', '192.0.2.6'),
    repeat: 3,
    expect: { status: 201, headers: { RateLimit: '"accepted";r=1;t=60' } },
  },
  {
    name: 'requestWasSuccessful: a 200 is not a success for it, and counts',
    app: acceptedOnly,
    before: [{ request: get('/ok', '192.0.2.6'), status: 200 }],
    request: get('/ok', '192.0.2.6'),
    expect: { status: 200, headers: { RateLimit: '"accepted";r=0;t=60' } },
  },
  {
    name: 'requestWasSuccessful: then refused: 429',
    app: acceptedOnly,
    request: get('/created', '192.0.2.6'),
    expect: refused('accepted', 60),
  },
  {
    name: 'requestWasSuccessful that throws: answered as usual, logged once',
    app: judgeThrows,
    request: get('/ok', '192.0.2.7'),
    repeat: 2,
    expect: { status: 200, json: { ok: true }, log: [/misuse\.rate_limit_outcome/] },
  },
  {
    name: 'requestWasSuccessful that throws: the requests stayed counted',
    app: judgeThrows,
    request: get('/ok', '192.0.2.7'),
    expect: refused('judged', 60),
  },
  {
    name: 'per-entry keys: every policy listed, RateLimit names the one closest to refusing',
    app: perEntry,
    request: get('/ok', '192.0.2.10', { 'X-User': 'u1' }),
    expect: {
      status: 200,
      headers: {
        'RateLimit-Policy': '"per-user";q=2;w=60, "per-ip";q=3;w=60',
        RateLimit: '"per-user";r=1;t=60',
      },
    },
  },
  {
    name: "per-entry keys: the user's second request uses its limit up",
    app: perEntry,
    request: get('/ok', '192.0.2.10', { 'X-User': 'u1' }),
    expect: { status: 200, headers: { RateLimit: '"per-user";r=0;t=60' } },
  },
  {
    name: 'per-entry keys: refused by the user limit',
    app: perEntry,
    request: get('/ok', '192.0.2.10', { 'X-User': 'u1' }),
    expect: {
      ...refused('per-user', 60),
      headers: {
        ...refused('per-user', 60).headers,
        'RateLimit-Policy': '"per-user";q=2;w=60, "per-ip";q=3;w=60',
      },
    },
  },
  {
    name: 'per-entry keys: that refusal counted nothing for the IP (one left, now none)',
    app: perEntry,
    request: get('/ok', '192.0.2.10', { 'X-User': 'u2' }),
    expect: { status: 200, headers: { RateLimit: '"per-ip";r=0;t=60' } },
  },
  {
    name: 'per-entry keys: different users from one IP are refused by the IP limit',
    app: perEntry,
    request: get('/ok', '192.0.2.10', { 'X-User': 'u3' }),
    expect: refused('per-ip', 60),
  },
  {
    name: 'per-entry keys: one user from another IP is refused by the user limit',
    app: perEntry,
    request: get('/ok', '192.0.2.11', { 'X-User': 'u1' }),
    expect: refused('per-user', 60),
  },
  {
    name: 'denyList: 403 Forbidden before anything is counted, with the security headers',
    app: listed,
    request: get('/ok', '203.0.113.9', { 'X-Api-Key': 'k1' }),
    repeat: 2,
    expect: {
      status: 403,
      headers: {
        ...MC,
        'Content-Type': JSON_TYPE,
        RateLimit: null,
        'RateLimit-Policy': null,
        'Retry-After': null,
      },
      json: { detail: 'Forbidden' },
    },
  },
  {
    name: 'denyList: the NAT64 form of a denied IPv4 client is denied too',
    app: listed,
    request: get('/ok', '64:ff9b::203.0.113.9', { 'X-Api-Key': 'k1' }),
    expect: { status: 403, json: { detail: 'Forbidden' } },
  },
  {
    name: 'denyList: the denied requests counted nothing under their key',
    app: listed,
    request: get('/ok', '192.0.2.20', { 'X-Api-Key': 'k1' }),
    expect: { status: 200, headers: { RateLimit: '"listed";r=0;t=60' } },
  },
  {
    name: 'denyList: that key is limited as usual from an unlisted address',
    app: listed,
    request: get('/ok', '192.0.2.20', { 'X-Api-Key': 'k1' }),
    expect: refused('listed', 60),
  },
  {
    name: 'allowList: never limited, even under a used-up key, and no RateLimit fields',
    app: listed,
    request: get('/ok', '198.51.100.7', { 'X-Api-Key': 'k1' }),
    repeat: 3,
    expect: {
      status: 200,
      headers: { RateLimit: null, 'RateLimit-Policy': null, 'Retry-After': null },
      json: { ok: true },
    },
  },
  {
    name: 'allowList: its requests counted nothing under their key',
    app: listed,
    before: times(2, { request: get('/ok', '198.51.100.7', { 'X-Api-Key': 'k2' }), status: 200 }),
    request: get('/ok', '192.0.2.21', { 'X-Api-Key': 'k2' }),
    expect: { status: 200, headers: { RateLimit: '"listed";r=0;t=60' } },
  },
  {
    name: 'allowList and denyList: an address on both is denied',
    app: listed,
    request: get('/ok', '203.0.113.9', { 'X-Api-Key': 'k3' }),
    expect: { status: 403 },
  },
  {
    name: 'blockMs: refused, Retry-After is the block (60 s), not the 1 s window',
    app: blocked,
    before: times(2, { request: get('/ok', '192.0.2.30'), status: 200 }),
    request: get('/ok', '192.0.2.30'),
    expect: { status: 429, headers: { ...MC, 'Retry-After': '60' }, json: TOO_MANY },
  },
  {
    name: 'combined limits: both policies listed, RateLimit names the burst limit (1 left)',
    app: bursts,
    request: get('/ok', '192.0.2.31'),
    expect: {
      status: 200,
      headers: {
        'RateLimit-Policy': '"burst";q=2;w=1, "minute";q=3;w=60',
        RateLimit: '"burst";r=1;t=1',
      },
    },
  },
  {
    name: 'combined limits: the burst limit is used up',
    app: bursts,
    request: get('/ok', '192.0.2.31'),
    expect: { status: 200, headers: { RateLimit: '"burst";r=0;t=1' } },
  },
  {
    name: 'combined limits: refused by the burst limit',
    app: bursts,
    request: get('/ok', '192.0.2.31'),
    expect: {
      ...refused('burst', 1),
      headers: {
        ...refused('burst', 1).headers,
        'RateLimit-Policy': '"burst";q=2;w=1, "minute";q=3;w=60',
      },
    },
  },
  {
    name: "blockMs: in the route's next window (1.1 s later) still refused, Retry-After what is left of the block",
    app: blocked,
    waitMs: 1100,
    request: get('/ok', '192.0.2.30'),
    expect: { status: 429, headers: { 'Retry-After': /^5[89]$/ }, json: TOO_MANY },
  },
  {
    // The scenario before waited past the 1 s burst window.
    name: "combined limits: the burst window over, the burst refusal counted nothing in the minute's",
    app: bursts,
    request: get('/ok', '192.0.2.31'),
    expect: { status: 200, headers: { RateLimit: /^"minute";r=0;t=5[89]$/ } },
  },
  {
    name: 'login: five wrong passwords, then the right one is refused too, for the block',
    app: login,
    before: wrong('192.0.2.40', 'alice', 5),
    request: signIn('192.0.2.40', 'alice', 'right'),
    expect: {
      status: 429,
      headers: {
        ...MC,
        'Retry-After': '900',
        'RateLimit-Policy': '"login-user-ip";q=5;w=900, "login-ip-day";q=10;w=86400',
        RateLimit: '"login-user-ip";r=0;t=900',
      },
      json: TOO_MANY,
    },
  },
  {
    name: 'login: the block is for that user from that IP; another user there signs in',
    app: login,
    request: signIn('192.0.2.40', 'bob', 'right'),
    expect: { status: 200, json: { ok: true } },
  },
  {
    name: 'login: a success before the fifth wrong password starts the run again',
    app: login,
    before: [
      ...wrong('192.0.2.41', 'carol', 4),
      { request: signIn('192.0.2.41', 'carol', 'right'), status: 200 },
      ...wrong('192.0.2.41', 'carol', 4),
    ],
    request: signIn('192.0.2.41', 'carol', 'nope'),
    expect: {
      status: 401,
      headers: { RateLimit: '"login-user-ip";r=0;t=900' },
      json: { detail: 'Wrong password' },
    },
  },
  {
    name: 'login: the fifth wrong in a row blocks again',
    app: login,
    request: signIn('192.0.2.41', 'carol', 'right'),
    expect: { status: 429, headers: { 'Retry-After': '900' }, json: TOO_MANY },
  },
  {
    name: 'login: successes never count toward the daily limit (12 sign-ins, limit 10)',
    app: login,
    request: signIn('192.0.2.42', 'dave', 'right'),
    repeat: 12,
    expect: { status: 200, json: { ok: true } },
  },
  {
    name: 'login: failures do count toward the daily limit, across users',
    app: login,
    before: [
      ...wrong('192.0.2.42', 'erin', 4),
      ...wrong('192.0.2.42', 'frank', 4),
      ...wrong('192.0.2.42', 'grace', 2),
    ],
    request: signIn('192.0.2.42', 'heidi', 'right'),
    expect: {
      status: 429,
      headers: { 'Retry-After': /^\d+$/, RateLimit: /^"login-ip-day";r=0;t=\d+$/ },
      json: TOO_MANY,
    },
  },
];

/**
 * The scenarios that take no real time. The others (hang-ups, a window run out) are left out
 * of the protect rerun: protect hands the same options to the same rate limit, and waiting
 * for them twice would double the time each framework takes.
 */
const timed = new Set<AppSpec>([hangUpsKept, hangUpsBack, blocked, bursts]);
export const untimedAbuseScenarios: readonly Scenario[] = abuseScenarios.filter(
  (scenario) => !timed.has(scenario.app),
);

const routes = [{ method: 'GET', path: '/data', reply: ok }] as const;
const startup = (options: RateLimitSpec): AppSpec => ({
  use: [{ kind: 'rateLimit', options }],
  routes,
});
const minute = { name: 'misuse', limit: 5, ...window } as const;

/** Abuse protection wired wrongly: refused when the app is built, saying what to write. */
export const abuseAtStartup: readonly StartupScenario[] = [
  {
    name: "skipSuccessfulRequests: 'yes' (not a boolean)",
    app: startup({ limiter: minute, unchecked: { skipSuccessfulRequests: 'yes' } }),
    error: /rateLimit skipSuccessfulRequests: not a boolean; write true or false/,
  },
  {
    name: 'requestWasSuccessful without skipSuccessfulRequests or skipFailedRequests',
    app: startup({ limiter: minute, requestWasSuccessful: 'accepted' }),
    error:
      /requestWasSuccessful: has no effect without skipSuccessfulRequests.*; add skipSuccessfulRequests: true/,
  },
  {
    name: 'an empty limiter list',
    app: startup({ limiter: [] }),
    error: /rateLimit limiter: the list is empty; write limiter: \[/,
  },
  {
    name: 'the same limiter twice in the list',
    app: startup({
      limiter: [
        { limiter: minute, instance: 'one' },
        { limiter: minute, instance: 'one' },
      ],
    }),
    error:
      /limiter\[1\]: the same limiter twice would count one request twice; list each limiter once/,
  },
  {
    name: "allowList: ['nonsense']",
    app: startup({ limiter: minute, allowList: ['nonsense'] }),
    error:
      /allowList: "nonsense" is not an IP address or CIDR; write entries such as '203\.0\.113\.7'/,
  },
  {
    name: 'blockMultiplier without blockMs',
    app: startup({ limiter: { ...minute, blockMultiplier: 2 } }),
    error: /blockMultiplier: has no block to act on; also set blockMs/,
  },
  {
    name: 'maxBlockMs below blockMs',
    app: startup({ limiter: { ...minute, blockMs: 60_000, maxBlockMs: 1000 } }),
    error:
      /maxBlockMs: 1000 is not a whole number of milliseconds at least blockMs \(60000\); write a cap such as/,
  },
];
