import { signWebhook } from 'bulwark';
import type {
  AppSpec,
  Scenario,
  ScenarioRequest,
  SecretFnSpec,
  StartupScenario,
  WebhookSpecOptions,
} from '../types.js';
import { MC, ok } from './common.js';

/**
 * The misuse corpus: bulwark wired the way a new user wires it, on every framework. Each
 * case is answered either at startup (a TypeError saying what to write; see
 * `misuseAtStartup`) or while serving with a refusal and one log line per process (the
 * runner checks the lines, and `repeat` sends a request twice to prove "once"). None may
 * pass a request that the user meant to check.
 */

const SECRET = 'misuse-secret';
const payload = JSON.stringify({ event: 'task.created' });
const signed = signWebhook(payload, SECRET);
const forged = signWebhook(payload, 'not-the-secret');
const echo = { kind: 'echo-body' } as const;
const window = { windowMs: 60_000, algorithm: 'fixed-window' } as const;
const silent = { warn: () => undefined, error: () => undefined };

const post = (
  path: string,
  headers: Record<string, string> = {},
  body: string = payload,
): ScenarioRequest => ({
  method: 'POST',
  path,
  headers: { 'Content-Type': 'application/json', ...headers },
  body,
});
const get = (path: string, headers: Record<string, string> = {}): ScenarioRequest => ({
  method: 'GET',
  path,
  headers,
});

const missing = { detail: 'Missing webhook signature header.' };
const invalid = { detail: 'Invalid webhook signature.' };
const consumed = {
  detail:
    'The request body was read by another body parser before it could be checked; see the server log.',
};
const secretFailed = { detail: 'The webhook secret could not be looked up; see the server log.' };
const urlFailed = { detail: 'The webhook URL could not be determined; see the server log.' };

/** The webhook middleware mounted for a scope, routes without any per-route setting. */
const scoped: AppSpec = {
  use: [{ kind: 'securityHeaders' }],
  routes: [{ method: 'POST', path: '/outside', reply: echo }],
  scopes: [
    {
      prefix: '/hooks',
      use: [{ kind: 'verifyWebhook', options: { secret: SECRET } }],
      routes: [
        { method: 'POST', path: '/in', reply: echo },
        { method: 'GET', path: '/poll', reply: ok },
      ],
    },
  ],
};

/** Fastify: every plugin registered after the scope's routes were declared. */
const routesFirst: AppSpec = {
  use: [],
  routes: [],
  scopes: [
    {
      prefix: '/late',
      routesFirst: true,
      use: [
        { kind: 'securityHeaders', options: { preset: 'api' } },
        { kind: 'verifyWebhook', options: { secret: SECRET } },
        { kind: 'rateLimit', options: { limiter: { name: 'late', limit: 2, ...window } } },
      ],
      routes: [{ method: 'POST', path: '/in', reply: echo }],
    },
  ],
};

const parsedFirst = (parser: 'json' | 'other'): AppSpec => ({
  use: [{ kind: 'securityHeaders' }, { kind: 'bodyParser', parser }],
  routes: [
    {
      method: 'POST',
      path: '/hooks/in',
      reply: echo,
      use: [{ kind: 'verifyWebhook', options: { secret: SECRET } }],
    },
    {
      method: 'POST',
      path: '/limited',
      reply: echo,
      use: [{ kind: 'payloadLimit', options: { limit: 256 } }],
    },
  ],
});
const jsonFirst = parsedFirst('json');
const otherFirst = parsedFirst('other');

/** A payload limit for the whole app, and webhook verification on one route of it. */
const limitThenVerify: AppSpec = {
  use: [{ kind: 'securityHeaders' }, { kind: 'payloadLimit', options: { limit: 256 } }],
  routes: [
    {
      method: 'POST',
      path: '/hooks/in',
      reply: echo,
      use: [{ kind: 'verifyWebhook', options: { secret: SECRET } }],
    },
  ],
};

const twiceLimit = { limiter: { name: 'twice', limit: 3, ...window } } as const;
/** One rate-limit middleware mounted globally, again on a route, and again in a scope. */
const mountedTwice: AppSpec = {
  use: [{ kind: 'securityHeaders' }, { kind: 'rateLimit', options: twiceLimit, share: 'one' }],
  routes: [
    {
      method: 'GET',
      path: '/a',
      reply: ok,
      use: [{ kind: 'rateLimit', options: twiceLimit, share: 'one' }],
    },
  ],
  scopes: [
    {
      prefix: '/s',
      use: [{ kind: 'rateLimit', options: twiceLimit, share: 'one' }],
      routes: [{ method: 'GET', path: '/b', reply: ok }],
    },
  ],
};

const sameLimit = { limiter: { name: 'same', limit: 2, ...window } } as const;
/** Two middlewares made from one limiter instance: globally and on a route. */
const sameLimiter: AppSpec = {
  use: [{ kind: 'rateLimit', options: sameLimit, sameLimiter: 'L' }],
  routes: [
    {
      method: 'GET',
      path: '/a',
      reply: ok,
      use: [{ kind: 'rateLimit', options: sameLimit, sameLimiter: 'L' }],
    },
  ],
};

/** Behind a reverse proxy on the same host, without trustedProxies. */
const behindProxy: AppSpec = {
  use: [{ kind: 'rateLimit', options: { limiter: { name: 'edge', limit: 2, ...window } } }],
  routes: [{ method: 'GET', path: '/a', reply: ok }],
};

const badSecrets: AppSpec = {
  use: [{ kind: 'securityHeaders' }],
  routes: [
    {
      method: 'POST',
      path: '/hooks/throws',
      reply: echo,
      use: [{ kind: 'verifyWebhook', secretFn: 'throws' }],
    },
    {
      method: 'POST',
      path: '/hooks/wrong',
      reply: echo,
      use: [{ kind: 'verifyWebhook', secretFn: 'wrong-type' }],
    },
  ],
};

const badOnReject: AppSpec = {
  use: [{ kind: 'securityHeaders' }],
  routes: [
    {
      method: 'POST',
      path: '/hooks/throws',
      reply: echo,
      use: [{ kind: 'verifyWebhook', options: { secret: SECRET }, onReject: 'throws' }],
    },
    {
      method: 'POST',
      path: '/hooks/rejects',
      reply: echo,
      use: [{ kind: 'verifyWebhook', options: { secret: SECRET }, onReject: 'rejects' }],
    },
    {
      method: 'GET',
      path: '/limited',
      reply: ok,
      use: [
        {
          kind: 'rateLimit',
          options: { limiter: { name: 'reject', limit: 1, ...window, logger: silent } },
          onReject: 'rejects',
        },
      ],
    },
  ],
};

const TWILIO_TOKEN = 'misuse-twilio-token';
const twilioForm = 'From=%2B15550100&Body=Hi';
/** A Twilio form post signed for its public URL, which the app must know to check it. */
const twilioPost = (path: string): ScenarioRequest => ({
  method: 'POST',
  path,
  headers: {
    'Content-Type': 'application/x-www-form-urlencoded',
    ...signWebhook(twilioForm, TWILIO_TOKEN, {
      scheme: 'twilio',
      url: `https://hooks.example.com${path}`,
    }),
  },
  body: twilioForm,
});

/** Twilio routes whose publicUrl function fails: one throws, one forgets the public host. */
const badPublicUrl: AppSpec = {
  use: [{ kind: 'securityHeaders' }, { kind: 'formParser' }],
  routes: [
    {
      method: 'POST',
      path: '/hooks/throws',
      reply: echo,
      use: [
        {
          kind: 'verifyWebhook',
          options: { scheme: 'twilio', secret: TWILIO_TOKEN },
          publicUrlFn: 'throws',
        },
      ],
    },
    {
      method: 'POST',
      path: '/hooks/relative',
      reply: echo,
      use: [
        {
          kind: 'verifyWebhook',
          options: { scheme: 'twilio', secret: TWILIO_TOKEN },
          publicUrlFn: 'relative',
        },
      ],
    },
  ],
};

/** securityHeaders mounted where the guide says, with the app's own error handler. */
const handled: AppSpec = {
  errorHandler: true,
  use: [{ kind: 'securityHeaders' }],
  routes: [
    { method: 'GET', path: '/boom', reply: { kind: 'throw' } },
    { method: 'GET', path: '/ok', reply: ok },
  ],
};

const bodyConsumedLog =
  /^error: misuse\.body_consumed: the request body was already read by (a body parser such as express\.json\(\)|body-parser 1\.x \(express\.json\(\) on Express 4|koa-bodyparser or @koa\/bodyparser|c\.req\.json\(\), c\.req\.text\(\), c\.req\.parseBody\(\) or a validator).*refused with 500; mount payloadLimit\(\)\/verifyWebhook\(\) before/;
const otherParserLog =
  /^error: misuse\.body_consumed: the request body was already read by (a body parser such as express\.json\(\)|body-parser 1\.x|koa-bodyparser or @koa\/bodyparser|an onRequest or preParsing hook that read request\.raw|another middleware that read c\.req\.raw|a body parser that ran before bulwark \(|a middleware that read the request stream before bulwark)/;
const onRejectLog =
  /^error: misuse\.on_reject: an onReject handler threw \(template missing\), so bulwark sent its own rejection instead/;

export const misuseScenarios: readonly Scenario[] = [
  // 1. The webhook middleware for a scope, no per-route config (the Fastify plugin used to
  //    verify only routes that carried config.verifyWebhook).
  {
    name: 'scoped verifyWebhook: a forged delivery is refused',
    app: scoped,
    request: post('/hooks/in', forged),
    expect: { status: 403, headers: MC, json: invalid },
  },
  {
    name: 'scoped verifyWebhook: an unsigned delivery is refused',
    app: scoped,
    request: post('/hooks/in'),
    expect: { status: 403, headers: MC, json: missing },
  },
  {
    name: 'scoped verifyWebhook: a signed delivery is accepted',
    app: scoped,
    request: post('/hooks/in', signed),
    expect: {
      status: 202,
      json: { body: JSON.parse(payload) as unknown, rawBytes: payload.length },
    },
  },
  {
    name: 'scoped verifyWebhook: a GET to a route of the scope is refused unsigned',
    app: scoped,
    request: get('/hooks/poll'),
    expect: { status: 403, headers: MC, json: missing },
  },
  {
    name: 'scoped verifyWebhook: a POST without a body is refused unsigned',
    app: scoped,
    request: { method: 'POST', path: '/hooks/in' },
    expect: { status: 403, json: missing },
  },
  {
    name: 'scoped verifyWebhook: an empty body signed with the secret is accepted',
    app: scoped,
    request: { method: 'POST', path: '/hooks/in', headers: signWebhook('', SECRET), body: '' },
    expect: { status: 202, json: { body: null, rawBytes: 0 } },
  },
  {
    name: 'scoped verifyWebhook: routes outside the scope are not verified',
    app: scoped,
    request: post('/outside'),
    expect: { status: 202 },
  },
  // 2. Fastify plugins registered after the routes they should cover.
  {
    name: 'plugins registered after the routes still verify them (Fastify; Express and Koa apply middleware in mounting order by design)',
    app: routesFirst,
    request: post('/late/in'),
    expect: { status: 403, headers: { 'Cache-Control': 'no-store' }, json: missing },
    // Hono, too, runs middleware in mounting order.
    skip: ['express', 'koa', 'hono'],
  },
  {
    name: 'plugins registered after the routes still limit them (Fastify)',
    app: routesFirst,
    request: post('/late/in', signed),
    before: [{ request: post('/late/in', signed), status: 202 }],
    expect: { status: 429, headers: { 'Cache-Control': 'no-store', 'Retry-After': '60' } },
    // Hono, too, runs middleware in mounting order.
    skip: ['express', 'koa', 'hono'],
  },
  // 3. A body parser mounted before verifyWebhook / payloadLimit.
  {
    name: 'express.json() / koa-bodyparser before verifyWebhook: 500 and one log line naming the parser (Fastify: content-type parsers always run after bulwark, so a forgery is a 403)',
    app: jsonFirst,
    request: post('/hooks/in', forged),
    repeat: 2,
    expect: { status: 500, headers: MC, json: consumed, log: [bodyConsumedLog] },
    // Nest: bulwark reads a checked route's body before Nest's parsers on both platforms.
    expectOn: {
      fastify: { status: 403, headers: MC, json: invalid },
      nest: { status: 403, headers: MC, json: invalid },
    },
  },
  {
    name: 'a JSON parser mounted first never lets a signed delivery skip the check (Fastify verifies it)',
    app: jsonFirst,
    request: post('/hooks/in', signed),
    expect: { status: 500, json: consumed, log: [bodyConsumedLog] },
    expectOn: {
      fastify: {
        status: 202,
        json: { body: JSON.parse(payload) as unknown, rawBytes: payload.length },
      },
      nest: {
        status: 202,
        json: { body: JSON.parse(payload) as unknown, rawBytes: payload.length },
      },
    },
  },
  {
    name: 'express.json() / koa-bodyparser before payloadLimit: 500 and one log line (Fastify: limited)',
    app: jsonFirst,
    request: post('/limited', {}, JSON.stringify({ pad: 'x'.repeat(300) })),
    repeat: 2,
    expect: { status: 500, json: consumed, log: [bodyConsumedLog] },
    expectOn: {
      fastify: { status: 413, json: { detail: 'Payload exceeds maximum size of 256 bytes.' } },
      nest: { status: 413, json: { detail: 'Payload exceeds maximum size of 256 bytes.' } },
    },
  },
  {
    name: 'body-parser / @koa/bodyparser / a Fastify hook reading request.raw before verifyWebhook: 500 and one log line',
    app: otherFirst,
    request: post('/hooks/in', signed),
    repeat: 2,
    expect: { status: 500, headers: MC, json: consumed, log: [otherParserLog] },
  },
  // 4. payloadLimit for the app and verifyWebhook on a route: one body, read once.
  {
    name: 'payloadLimit then verifyWebhook: a signed delivery is accepted',
    app: limitThenVerify,
    request: post('/hooks/in', signed),
    expect: {
      status: 202,
      json: { body: JSON.parse(payload) as unknown, rawBytes: payload.length },
    },
  },
  {
    name: 'payloadLimit then verifyWebhook: a forged delivery is refused',
    app: limitThenVerify,
    request: post('/hooks/in', forged),
    expect: { status: 403, json: invalid },
  },
  {
    name: 'payloadLimit then verifyWebhook: an oversized delivery is refused by the limit',
    app: limitThenVerify,
    request: post('/hooks/in', {}, JSON.stringify({ pad: 'x'.repeat(300) })),
    expect: { status: 413, json: { detail: 'Payload exceeds maximum size of 256 bytes.' } },
  },
  // 5. The same limit mounted twice counts a request once.
  {
    name: 'one rateLimit mounted globally and on the route: the first request is counted once',
    app: mountedTwice,
    request: get('/a'),
    expect: { status: 200, headers: { RateLimit: '"twice";r=2;t=60' } },
  },
  {
    name: 'one rateLimit mounted globally and in a scope: counted once',
    app: mountedTwice,
    request: get('/s/b'),
    expect: { status: 200, headers: { RateLimit: '"twice";r=1;t=60' } },
  },
  {
    name: 'one rateLimit mounted twice: refused only after the limit',
    app: mountedTwice,
    request: get('/a'),
    before: [{ request: get('/a'), status: 200 }],
    expect: { status: 429, headers: { ...MC, RateLimit: '"twice";r=0;t=60' } },
  },
  {
    name: 'one limiter in two middlewares: counted once',
    app: sameLimiter,
    request: get('/a'),
    repeat: 2,
    expect: { status: 200 },
  },
  {
    name: 'one limiter in two middlewares: refused after the limit',
    app: sameLimiter,
    request: get('/a'),
    expect: { status: 429 },
  },
  // 6. Behind a reverse proxy without trustedProxies.
  {
    name: 'forwarding headers from a proxy address without trustedProxies: one warning with the fix',
    app: behindProxy,
    request: get('/a', { 'X-Forwarded-For': '203.0.113.7' }),
    repeat: 2,
    expect: {
      status: 200,
      log: [
        /^warn: misuse\.untrusted_proxy: requests from 127\.0\.0\.1 carry X-Forwarded-For, but trustedProxies is empty.*trustedProxies: \['127\.0\.0\.1'\].*TRUSTED_PROXIES=127\.0\.0\.1/,
      ],
    },
  },
  {
    name: 'without trustedProxies every client behind the proxy shares its bucket (closed, never open)',
    app: behindProxy,
    request: get('/a', { Forwarded: 'for=198.51.100.9' }),
    expect: { status: 429, log: [/^warn: misuse\.untrusted_proxy: .* carry Forwarded/] },
  },
  // 7. Per-request secret functions that fail.
  {
    name: 'a secret function that throws: 500, one log line without the credentials it quoted',
    app: badSecrets,
    request: post('/hooks/throws', signed),
    repeat: 2,
    expect: {
      status: 500,
      headers: MC,
      json: secretFailed,
      log: [
        /^error: misuse\.webhook_secret: the verifyWebhook secret function threw \(secret store offline: postgres:\/\/app:\*\*\*@db\.internal\/hooks\), so the delivery was refused with 500; return a string/,
      ],
    },
  },
  {
    name: 'a secret function that returns an object: 500 and one log line',
    app: badSecrets,
    request: post('/hooks/wrong', signed),
    repeat: 2,
    expect: {
      status: 500,
      json: secretFailed,
      log: [/^error: misuse\.webhook_secret: the verifyWebhook secret function returned an object/],
    },
  },
  // 8. onReject handlers that fail.
  {
    name: 'an onReject that throws: the default 403, one log line',
    app: badOnReject,
    request: post('/hooks/throws'),
    repeat: 2,
    expect: { status: 403, headers: MC, json: missing, log: [onRejectLog] },
    // Nest has no onReject: an app changes how a rejection looks with an exception filter
    // for BulwarkHttpException, which Nest's exception layer runs.
    skip: ['nest'],
  },
  {
    name: 'an onReject whose promise rejects: the default 403, one log line',
    app: badOnReject,
    request: post('/hooks/rejects', forged),
    expect: { status: 403, headers: MC, json: invalid, log: [onRejectLog] },
    // Nest has no onReject (exception filters instead).
    skip: ['nest'],
  },
  {
    name: "a rate limit's onReject that rejects: the default 429, one log line",
    app: badOnReject,
    request: get('/limited'),
    before: [{ request: get('/limited'), status: 200 }],
    expect: {
      status: 429,
      headers: { ...MC, 'Retry-After': '60' },
      json: { detail: 'Too Many Requests' },
      log: [onRejectLog],
    },
    // Nest has no onReject (exception filters instead).
    skip: ['nest'],
  },
  // 9. A Twilio publicUrl function that fails: the URL is unknown, so nothing can be
  //    verified; refused with 500 (the app's fault), never passed to the handler.
  {
    name: 'a twilio publicUrl function that throws: 500, one log line without the credentials it quoted',
    app: badPublicUrl,
    request: twilioPost('/hooks/throws'),
    repeat: 2,
    expect: {
      status: 500,
      headers: MC,
      json: urlFailed,
      log: [
        /^error: misuse\.webhook_url: the verifyWebhook publicUrl function threw \(route map offline: postgres:\/\/app:\*\*\*@db\.internal\/routes\), so the delivery was refused with 500; return the full URL/,
      ],
    },
  },
  {
    name: 'a twilio publicUrl function that returns the request target alone: 500 and one log line',
    app: badPublicUrl,
    request: twilioPost('/hooks/relative'),
    repeat: 2,
    expect: {
      status: 500,
      json: urlFailed,
      log: [
        /^error: misuse\.webhook_url: the verifyWebhook publicUrl function returned a URL that is not absolute/,
      ],
    },
  },
  // 10. securityHeaders where the guide puts it, with the app's own error handler.
  {
    name: "securityHeaders first: an error answered by the app's own error handler carries them",
    app: handled,
    request: get('/boom'),
    expect: { status: 500, headers: MC, json: { error: 'handled' } },
  },
  {
    name: 'securityHeaders first: a 404 carries them',
    app: handled,
    request: get('/nowhere'),
    expect: { status: 404, headers: MC },
  },
];

/** An app with one webhook route verified with `options`, as a provider's route is wired. */
const webhookRoute = (options: WebhookSpecOptions, secretFn?: SecretFnSpec): AppSpec => ({
  use: [],
  routes: [
    {
      method: 'POST',
      path: '/hooks/in',
      reply: echo,
      use: [{ kind: 'verifyWebhook', options, ...(secretFn === undefined ? {} : { secretFn }) }],
    },
  ],
});

/** Wirings refused when the app is built: the same TypeError on every framework. */
export const misuseAtStartup: readonly StartupScenario[] = [
  {
    name: 'verifyWebhook without a secret (an unset environment variable)',
    app: {
      use: [],
      routes: [],
      scopes: [
        {
          prefix: '/hooks',
          use: [{ kind: 'verifyWebhook', options: {} }],
          routes: [{ method: 'POST', path: '/in', reply: echo }],
        },
      ],
    },
    error: /verifyWebhook secret: no secret is given.*write .*secret: process\.env\.WEBHOOK_SECRET/,
  },
  {
    name: 'verifyWebhook with an empty secret',
    app: { use: [{ kind: 'verifyWebhook', options: { secret: '' } }], routes: [] },
    error: /verifyWebhook secret: the secret is an empty string/,
  },
  // Webhook schemes given the wrong kind of key or option: each would verify nothing, or
  // check against a URL or key the sender never used.
  {
    name: 'verifyWebhook for twilio without publicUrl (Host is chosen by the client)',
    app: webhookRoute({ scheme: 'twilio', secret: 'token' }),
    error:
      /verifyWebhook publicUrl: twilio signs the public URL it posts to.*write publicUrl: 'https:\/\/api\.example\.com'/,
  },
  {
    // A per-webhook key lookup is held to the same rule as a fixed key.
    name: 'verifyWebhook for github with a publicKey lookup function',
    app: webhookRoute({ scheme: 'github' }, { as: 'publicKey', resolves: 'k' }),
    error: /publicKey: github does not verify with publicKey/,
  },
  {
    name: 'verifyWebhook for discord with secret instead of publicKey',
    app: webhookRoute({ scheme: 'discord', secret: 'a'.repeat(64) }),
    error:
      /secret: discord signs with Ed25519 and the receiver verifies with the public key; write publicKey: process\.env\.DISCORD_PUBLIC_KEY/,
  },
  {
    name: 'verifyWebhook for discord with publicKey unset (an unset environment variable)',
    // What `publicKey: process.env.DISCORD_PUBLIC_KEY` is when the variable is not set.
    app: webhookRoute({ scheme: 'discord', publicKey: undefined }),
    error:
      /verifyWebhook publicKey: no public key is given, so nothing would be verified; write publicKey: process\.env\.DISCORD_PUBLIC_KEY/,
  },
  {
    name: 'verifyWebhook with a custom scheme whose signed template leaves out {body}',
    app: webhookRoute({
      scheme: {
        name: 'zoom',
        signatureHeader: 'x-zm-signature',
        signaturePrefix: 'v0=',
        signed: 'v0:{timestamp}',
        timestampHeader: 'x-zm-request-timestamp',
      },
      secret: 'zoom-secret',
    }),
    error: /webhook scheme signed: has \{body\} 0 times; write it exactly once/,
  },
  {
    name: 'verifyWebhook for github given publicKey',
    app: webhookRoute({ scheme: 'github', publicKey: 'github-secret' }),
    error:
      /webhook publicKey: github does not verify with publicKey; put the shared secret in secret/,
  },
  {
    name: 'rateLimit with a limit of 0',
    app: {
      use: [{ kind: 'rateLimit', options: { limiter: { limit: 0, windowMs: 1000 } } }],
      routes: [],
    },
    error: /limit: 0 is not a whole number, 1 or more; write a whole number such as 20/,
  },
  {
    name: 'rateLimit with a trusted proxy that is not an address',
    app: {
      use: [
        {
          kind: 'rateLimit',
          options: { limiter: { limit: 5, windowMs: 1000 }, trustedProxies: ['proxy.internal'] },
        },
      ],
      routes: [],
    },
    error: /trustedProxies: "proxy\.internal" is not an IP address or CIDR/,
  },
  {
    name: 'payloadLimit with a negative limit',
    app: { use: [{ kind: 'payloadLimit', options: { limit: -1 } }], routes: [] },
    error: /body limit: -1 is not a whole number of bytes/,
  },
  {
    name: 'securityHeaders with a header value that could split the response',
    app: {
      use: [{ kind: 'securityHeaders', options: { custom: { 'X-Note': 'a\r\nSet-Cookie: x=1' } } }],
      routes: [],
    },
    error: /X-Note/,
  },
];
