import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { signWebhook } from 'bulwark';
import type { CustomWebhookScheme } from 'bulwark';
import type { AppSpec, Scenario, ScenarioRequest } from '../types.js';
import { MC, JSON_TYPE } from './common.js';

/**
 * The senders bulwark verifies beyond Mission Control and Standard Webhooks v1: Discord
 * (Ed25519, 401 on every failure), Shopify, GitLab, Twilio (the public URL is signed), a
 * custom data-described scheme (Zoom's) and Standard Webhooks v1a (Ed25519). Every
 * delivery is signed by bulwark's own signer with real keys from node:crypto, and sent over
 * real HTTP to each framework, where the answer must be the same.
 */

const FORM_TYPE = 'application/x-www-form-urlencoded';
const PUBLIC_BASE = 'https://hooks.example.com';
const SHOPIFY_SECRET = 'shopify-app-secret';
const GITLAB_TOKEN = 'gitlab-webhook-token';
const TWILIO_TOKEN = 'twilio-auth-token';
const ZOOM_SECRET = 'zoom-secret-token';

/** The raw 32 bytes of an Ed25519 key, public (`x`) or private seed (`d`), from its JWK. */
function rawKey(key: KeyObject, part: 'x' | 'd'): Buffer {
  return Buffer.from(key.export({ format: 'jwk' })[part] ?? '', 'base64url');
}

// One key pair per sender, made once: Discord's portal shows the public key as hex; the
// Standard Webhooks sender shows whpk_/whsk_ keys as base64.
const discordPair = generateKeyPairSync('ed25519');
const DISCORD_PUBLIC = rawKey(discordPair.publicKey, 'x').toString('hex');
const DISCORD_SEED = rawKey(discordPair.privateKey, 'd').toString('hex');
const OTHER_SEED = rawKey(generateKeyPairSync('ed25519').privateKey, 'd').toString('hex');
const swPair = generateKeyPairSync('ed25519');
const SW_PUBLIC = `whpk_${rawKey(swPair.publicKey, 'x').toString('base64')}`;
const SW_SIGNER = `whsk_${rawKey(swPair.privateKey, 'd').toString('base64')}`;

/** Zoom's webhook signature, described as data. */
const zoom: CustomWebhookScheme = {
  name: 'zoom',
  signatureHeader: 'x-zm-signature',
  signaturePrefix: 'v0=',
  signed: 'v0:{timestamp}:{body}',
  timestampHeader: 'x-zm-request-timestamp',
};

const payload = JSON.stringify({ event: 'order.created', id: 7 });
const parsed = JSON.parse(payload) as unknown;
const echo = { kind: 'echo-body' } as const;

/**
 * Security headers mounted first, so every rejection must carry them, and the form parser
 * Fastify needs for Twilio's form posts; then one webhook route per sender, each verified
 * by its own scheme.
 */
const app: AppSpec = {
  use: [{ kind: 'securityHeaders' }, { kind: 'formParser' }],
  routes: [
    {
      method: 'POST',
      path: '/hooks/discord',
      reply: echo,
      use: [{ kind: 'verifyWebhook', options: { scheme: 'discord', publicKey: DISCORD_PUBLIC } }],
    },
    {
      method: 'POST',
      path: '/hooks/discord-lookup',
      reply: echo,
      use: [
        {
          kind: 'verifyWebhook',
          options: { scheme: 'discord' },
          secretFn: { as: 'publicKey', resolves: DISCORD_PUBLIC },
        },
      ],
    },
    {
      method: 'POST',
      path: '/hooks/shopify-lookup',
      reply: echo,
      use: [
        {
          kind: 'verifyWebhook',
          options: { scheme: 'shopify' },
          secretFn: { as: 'secret', resolves: SHOPIFY_SECRET },
        },
      ],
    },
    {
      method: 'POST',
      path: '/hooks/shopify',
      reply: echo,
      use: [{ kind: 'verifyWebhook', options: { scheme: 'shopify', secret: SHOPIFY_SECRET } }],
    },
    {
      method: 'POST',
      path: '/hooks/gitlab',
      reply: echo,
      use: [{ kind: 'verifyWebhook', options: { scheme: 'gitlab', secret: GITLAB_TOKEN } }],
    },
    {
      method: 'POST',
      path: '/hooks/twilio',
      reply: echo,
      use: [
        {
          kind: 'verifyWebhook',
          options: { scheme: 'twilio', secret: TWILIO_TOKEN, publicUrl: PUBLIC_BASE },
        },
      ],
    },
    {
      method: 'POST',
      path: '/hooks/twilio-fn',
      reply: echo,
      use: [
        {
          kind: 'verifyWebhook',
          options: { scheme: 'twilio', secret: TWILIO_TOKEN },
          publicUrlFn: { base: PUBLIC_BASE },
        },
      ],
    },
    {
      method: 'POST',
      path: '/hooks/zoom',
      reply: echo,
      use: [{ kind: 'verifyWebhook', options: { scheme: zoom, secret: ZOOM_SECRET } }],
    },
    {
      method: 'POST',
      path: '/hooks/sw-v1a',
      reply: echo,
      use: [{ kind: 'verifyWebhook', options: { scheme: 'standard-webhooks', secret: SW_PUBLIC } }],
    },
  ],
};

const post = (
  path: string,
  headers: Record<string, string>,
  body: string = payload,
  contentType = 'application/json',
): ScenarioRequest => ({
  method: 'POST',
  path,
  headers: { 'Content-Type': contentType, ...headers },
  body,
});

const rejection = (status: number, detail: string) => ({
  status,
  headers: { ...MC, 'Content-Type': JSON_TYPE },
  json: { detail },
});
const accepted = {
  status: 202,
  headers: MC,
  json: { body: parsed, rawBytes: Buffer.byteLength(payload) },
};
const INVALID = 'Invalid webhook signature.';

const now = (): number => Math.floor(Date.now() / 1000);
const discord = (seed: string, timestamp = now()) =>
  signWebhook(payload, seed, { scheme: 'discord', timestamp });

// Twilio signs the full public URL, query included, then the form's parameters sorted.
const form = 'To=%2B15550111&From=%2B15550100&Body=Hello+there';
const formAccepted = {
  status: 202,
  headers: MC,
  json: {
    body: { To: '+15550111', From: '+15550100', Body: 'Hello there' },
    rawBytes: form.length,
  },
};
const twilioForm = (path: string) =>
  signWebhook(form, TWILIO_TOKEN, {
    scheme: 'twilio',
    url: PUBLIC_BASE + path,
    contentType: FORM_TYPE,
  });
// A JSON body is not signed itself: its SHA-256 rides in the signed URL as bodySHA256.
const jsonTarget = `/hooks/twilio?bodySHA256=${createHash('sha256').update(payload).digest('hex')}`;
const twilioJson = signWebhook(payload, TWILIO_TOKEN, {
  scheme: 'twilio',
  url: PUBLIC_BASE + jsonTarget,
  contentType: 'application/json',
});

const swDelivery = (deliveryId: string): ScenarioRequest =>
  post(
    '/hooks/sw-v1a',
    signWebhook(payload, SW_SIGNER, { scheme: 'standard-webhooks', deliveryId }),
  );

/** The same delivery with Svix's own header names (`svix-id`, ...), as Svix sends by default. */
const svixDelivery = (deliveryId: string): ScenarioRequest =>
  post(
    '/hooks/sw-v1a',
    Object.fromEntries(
      Object.entries(
        signWebhook(payload, SW_SIGNER, { scheme: 'standard-webhooks', deliveryId }),
      ).map(([name, value]) => [name.replace(/^webhook-/, 'svix-'), value]),
    ),
  );

export const webhookProviderScenarios: readonly Scenario[] = [
  // Discord: Ed25519 over timestamp + body; its endpoint check sends bad signatures and
  // requires 401 for them, so every failure is a 401.
  {
    name: 'discord: 202 for a delivery signed with the private key',
    app,
    request: post('/hooks/discord', discord(DISCORD_SEED)),
    expect: accepted,
  },
  {
    name: 'discord: 401 for a signature by another key, with the security headers',
    app,
    request: post('/hooks/discord', discord(OTHER_SEED)),
    expect: rejection(401, INVALID),
  },
  {
    name: 'discord: 401 when the signature header is missing',
    app,
    request: post('/hooks/discord', { 'X-Signature-Timestamp': String(now()) }),
    expect: rejection(401, 'Missing webhook signature header.'),
  },
  {
    name: 'discord: 401 for a correctly signed but stale timestamp (a captured delivery replayed later)',
    app,
    request: post('/hooks/discord', discord(DISCORD_SEED, now() - 600)),
    expect: rejection(401, 'Webhook timestamp is outside the allowed tolerance.'),
  },
  // Per-webhook keys looked up asynchronously (a function of the request) work the same.
  {
    name: 'discord: 202 with the public key looked up per request',
    app,
    request: post('/hooks/discord-lookup', discord(DISCORD_SEED)),
    expect: accepted,
  },
  {
    name: 'discord: 401 with the public key looked up per request, for another key',
    app,
    request: post('/hooks/discord-lookup', discord(OTHER_SEED)),
    expect: rejection(401, INVALID),
  },
  {
    name: 'shopify: 202 with the secret looked up per request',
    app,
    request: post(
      '/hooks/shopify-lookup',
      signWebhook(payload, SHOPIFY_SECRET, { scheme: 'shopify' }),
    ),
    expect: accepted,
  },
  {
    name: 'shopify: 403 with the secret looked up per request, for another secret',
    app,
    request: post('/hooks/shopify-lookup', signWebhook(payload, 'another', { scheme: 'shopify' })),
    expect: rejection(403, INVALID),
  },
  // Shopify: base64 HMAC-SHA256 of the body.
  {
    name: 'shopify: 202 for a signed delivery',
    app,
    request: post('/hooks/shopify', signWebhook(payload, SHOPIFY_SECRET, { scheme: 'shopify' })),
    expect: accepted,
  },
  {
    name: 'shopify: 403 for the right HMAC written in hex instead of base64',
    app,
    request: post('/hooks/shopify', {
      'X-Shopify-Hmac-Sha256': createHmac('sha256', SHOPIFY_SECRET).update(payload).digest('hex'),
    }),
    expect: rejection(403, INVALID),
  },
  // GitLab: the token itself, compared in constant time.
  {
    name: 'gitlab: 202 for the configured token',
    app,
    request: post('/hooks/gitlab', signWebhook(payload, GITLAB_TOKEN, { scheme: 'gitlab' })),
    expect: accepted,
  },
  {
    name: 'gitlab: 403 for a wrong token',
    app,
    request: post('/hooks/gitlab', { 'X-Gitlab-Token': `${GITLAB_TOKEN}x` }),
    expect: rejection(403, INVALID),
  },
  // Twilio: the public URL (never Host) joined to the request target, then the form.
  {
    name: 'twilio: 202 for a signed form post, the URL and its query signed',
    app,
    request: post('/hooks/twilio?x=1', twilioForm('/hooks/twilio?x=1'), form, FORM_TYPE),
    expect: formAccepted,
  },
  {
    name: 'twilio: 403 for the same signature sent to another query (the URL is signed)',
    app,
    request: post('/hooks/twilio?x=2', twilioForm('/hooks/twilio?x=1'), form, FORM_TYPE),
    expect: rejection(403, INVALID),
  },
  {
    name: 'twilio: 403 for a changed form parameter',
    app,
    request: post(
      '/hooks/twilio?x=1',
      twilioForm('/hooks/twilio?x=1'),
      form.replace('Hello', 'Bye'),
      FORM_TYPE,
    ),
    expect: rejection(403, INVALID),
  },
  {
    name: 'twilio: 202 for a JSON delivery bound by bodySHA256 in the signed URL',
    app,
    request: post(jsonTarget, twilioJson),
    expect: accepted,
  },
  {
    name: 'twilio: 403 for a JSON body changed under a signed bodySHA256',
    app,
    request: post(jsonTarget, twilioJson, JSON.stringify({ event: 'order.created', id: 8 })),
    expect: rejection(403, INVALID),
  },
  {
    name: "twilio: 202 with publicUrl a function of the framework's request",
    app,
    request: post('/hooks/twilio-fn?x=1', twilioForm('/hooks/twilio-fn?x=1'), form, FORM_TYPE),
    expect: formAccepted,
  },
  {
    name: 'twilio: 403 with publicUrl a function, for a signature of another path',
    app,
    request: post('/hooks/twilio-fn?x=1', twilioForm('/hooks/twilio?x=1'), form, FORM_TYPE),
    expect: rejection(403, INVALID),
  },
  // A custom scheme described as data: Zoom's v0 signature.
  {
    name: 'custom (zoom): 202 for a signed delivery',
    app,
    request: post('/hooks/zoom', signWebhook(payload, ZOOM_SECRET, { scheme: zoom })),
    expect: accepted,
  },
  {
    name: 'custom (zoom): 403 for a delivery signed with another secret',
    app,
    request: post('/hooks/zoom', signWebhook(payload, `${ZOOM_SECRET}x`, { scheme: zoom })),
    expect: rejection(403, INVALID),
  },
  // Standard Webhooks v1a: Ed25519, verified with the whpk_ public key.
  {
    name: 'standard-webhooks v1a: 202 for a delivery signed with the whsk_ key',
    app,
    request: swDelivery('msg_providers_v1a'),
    expect: accepted,
  },
  {
    name: "standard-webhooks: 202 for a delivery with Svix's svix- header names",
    app,
    request: svixDelivery('msg_providers_svix'),
    expect: accepted,
  },
  {
    name: 'standard-webhooks v1a: 409 for a replayed delivery',
    app,
    before: [{ request: swDelivery('msg_providers_v1a_replay'), status: 202 }],
    request: swDelivery('msg_providers_v1a_replay'),
    expect: rejection(409, 'This webhook delivery was already received.'),
  },
];
