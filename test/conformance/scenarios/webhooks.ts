import { gzipSync } from 'node:zlib';
import { signWebhook } from 'bulwark';
import type { AppSpec, Scenario, ScenarioRequest } from '../types.js';
import { JSON_TYPE } from './common.js';

const MC_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
} as const;
const LIMIT = 256;
const SECRET = 'conformance-secret';
const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const payload = JSON.stringify({ event: 'task.created', board: 7 });
const signature = signWebhook(payload, SECRET)['X-Webhook-Signature'] ?? '';

const echo = { kind: 'echo-body' } as const;

/**
 * Security headers mounted first (so every rejection must carry them), then per-route
 * webhook verification and a payload limit. Served with the lenient parser, as behind a
 * proxy that forwards Content-Length with Transfer-Encoding: bulwark must refuse it itself.
 */
const app: AppSpec = {
  use: [{ kind: 'securityHeaders' }],
  lenientParser: true,
  routes: [
    {
      method: 'POST',
      path: '/hooks/mc',
      reply: echo,
      use: [{ kind: 'verifyWebhook', options: { secret: SECRET, limit: LIMIT } }],
    },
    {
      method: 'POST',
      path: '/hooks/sw',
      reply: echo,
      use: [{ kind: 'verifyWebhook', options: { scheme: 'standard-webhooks', secret: SW_SECRET } }],
    },
    {
      method: 'POST',
      path: '/limited',
      reply: echo,
      use: [{ kind: 'payloadLimit', options: { limit: LIMIT } }],
    },
  ],
};

const post = (
  path: string,
  headers: Record<string, string>,
  body: string | Buffer = payload,
): ScenarioRequest => ({
  method: 'POST',
  path,
  headers: { 'Content-Type': 'application/json', ...headers },
  body,
});

const rejection = (status: number, detail: string, extra: Record<string, string> = {}) => ({
  status,
  headers: { ...MC_HEADERS, 'Content-Type': JSON_TYPE, ...extra },
  json: { detail },
});

const tooLarge = `Payload exceeds maximum size of ${LIMIT} bytes.`;
const swDelivery = (deliveryId: string): ScenarioRequest =>
  post('/hooks/sw', signWebhook(payload, SW_SECRET, { scheme: 'standard-webhooks', deliveryId }));

export const webhookScenarios: readonly Scenario[] = [
  {
    name: '202 for a good delivery, with the parsed body and rawBody',
    app,
    request: post('/hooks/mc', { 'X-Hub-Signature-256': signature }),
    expect: {
      status: 202,
      headers: MC_HEADERS,
      json: { body: JSON.parse(payload) as unknown, rawBytes: Buffer.byteLength(payload) },
    },
  },
  {
    name: '403 when the signature header is missing',
    app,
    request: post('/hooks/mc', {}),
    expect: rejection(403, 'Missing webhook signature header.'),
  },
  {
    name: '403 when the signature is wrong',
    app,
    request: post('/hooks/mc', { 'X-Webhook-Signature': `sha256=${'0'.repeat(64)}` }),
    expect: rejection(403, 'Invalid webhook signature.'),
  },
  {
    name: '403 for a garbage, non-ASCII signature (never a 500)',
    app,
    request: post('/hooks/mc', { 'X-Webhook-Signature': 'sha256=\u00ff\u00fe' }),
    expect: rejection(403, 'Invalid webhook signature.'),
  },
  {
    name: '400 for invalid JSON after a valid signature',
    app,
    request: post(
      '/hooks/mc',
      { 'X-Webhook-Signature': signWebhook('{"broken":', SECRET)['X-Webhook-Signature'] ?? '' },
      '{"broken":',
    ),
    expect: rejection(400, 'Request body is not valid JSON.'),
  },
  {
    name: '413 by Content-Length, before the body is read',
    app,
    request: post('/hooks/mc', { 'X-Webhook-Signature': signature }, 'x'.repeat(LIMIT + 1)),
    expect: rejection(413, tooLarge, { Connection: 'close' }),
  },
  {
    name: 'exactly the limit passes',
    app,
    request: post('/limited', {}, JSON.stringify({ pad: 'x'.repeat(LIMIT - 10) })),
    expect: { status: 202, headers: MC_HEADERS },
  },
  {
    name: '413 for a streamed chunked body; the rest is not read and the connection closes',
    app,
    request: {
      method: 'POST',
      path: '/limited',
      raw: {
        head: ['Content-Type: application/json', 'Transfer-Encoding: chunked'],
        body: `100\r\n${'x'.repeat(256)}\r\n`,
        trailingBytes: 2_000_000,
      },
    },
    expect: { ...rejection(413, tooLarge, { Connection: 'close' }), closed: true },
  },
  {
    name: '400 for Content-Length together with Transfer-Encoding',
    app,
    request: {
      method: 'POST',
      path: '/hooks/mc',
      raw: {
        head: ['Content-Type: application/json', 'Content-Length: 5', 'Transfer-Encoding: chunked'],
        body: '5\r\nhello\r\n0\r\n\r\n',
      },
    },
    expect: {
      ...rejection(400, 'Content-Length and Transfer-Encoding must not be sent together.', {
        Connection: 'close',
      }),
      closed: true,
    },
  },
  {
    name: '415 for a gzip-encoded body',
    app,
    request: post('/limited', { 'Content-Encoding': 'gzip' }, gzipSync(payload)),
    expect: rejection(415, 'Content-Encoding is not accepted here: send the body uncompressed.', {
      Connection: 'close',
    }),
  },
  {
    name: '409 for a replayed standard-webhooks delivery',
    app,
    before: [{ request: swDelivery('msg_conformance_replay'), status: 202 }],
    request: swDelivery('msg_conformance_replay'),
    expect: rejection(409, 'This webhook delivery was already received.'),
  },
];
