import { createHmac } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { AppSpec } from '../conformance/types.js';

/** The body limit on every attacked route. */
export const LIMIT = 1024;
/** The body read timeout on every attacked route (short, so the slow-drip cases finish quickly). */
export const READ_TIMEOUT_MS = 1200;
export const SECRET = 'attack-secret';
const STRIPE_SECRET = 'whsec_attack';
const STANDARD_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const limits = { limit: LIMIT, timeoutMs: READ_TIMEOUT_MS } as const;

/**
 * The app every framework serves for the attacks: security headers and a per-IP rate limit
 * that trusts the loopback proxy (so forwarded chains are parsed), a payload-limited route
 * and one webhook route per signature scheme. The lenient parser, a 256 KiB head limit and
 * room for 5,000 header lines let the hostile shapes through Node to bulwark (on every Node
 * version), as a lenient proxy in front would.
 */
export const attackApp: AppSpec = {
  lenientParser: true,
  maxHeaderSize: 256 * 1024,
  maxHeadersCount: 5000,
  use: [
    { kind: 'securityHeaders' },
    {
      kind: 'rateLimit',
      options: {
        limiter: { name: 'attacks', limit: 1_000_000_000, windowMs: 60_000 },
        trustedProxies: ['127.0.0.1'],
      },
    },
  ],
  routes: [
    {
      method: 'POST',
      path: '/body',
      use: [{ kind: 'payloadLimit', options: { ...limits, inflate: true } }],
      reply: { kind: 'echo-body' },
    },
    {
      method: 'POST',
      path: '/hook',
      use: [{ kind: 'verifyWebhook', options: { ...limits, secret: SECRET } }],
      reply: { kind: 'echo-body' },
    },
    {
      method: 'POST',
      path: '/stripe',
      use: [
        { kind: 'verifyWebhook', options: { ...limits, scheme: 'stripe', secret: STRIPE_SECRET } },
      ],
      reply: { kind: 'echo-body' },
    },
    {
      method: 'POST',
      path: '/standard',
      use: [
        {
          kind: 'verifyWebhook',
          options: { ...limits, scheme: 'standard-webhooks', secret: STANDARD_SECRET },
        },
      ],
      reply: { kind: 'echo-body' },
    },
    {
      method: 'POST',
      path: '/slack',
      use: [{ kind: 'verifyWebhook', options: { ...limits, scheme: 'slack', secret: SECRET } }],
      reply: { kind: 'echo-body' },
    },
  ],
};

/** What an attack may get back. Every case also requires: no 5xx, and a 4xx carries a detail or closes. */
export interface Expectation {
  /** Statuses allowed; `'closed'` allows the server closing without an answer. */
  readonly outcomes: readonly (number | 'closed')[];
  /** When a reply comes, the connection must (true) or must not (false) be closed. */
  readonly closed?: boolean;
  /** The detail a bulwark rejection must carry. */
  readonly detail?: string;
}

export interface AttackCase {
  readonly name: string;
  /** The whole request, as bytes. */
  readonly bytes: Buffer;
  /** Half-close the client side after sending (the body will never complete). */
  readonly endAfter?: boolean;
  readonly expect: Expectation;
}

/** A request head and body as bytes; `lines` are header lines (obs-fold lines included as written). */
export function request(
  path: string,
  lines: readonly string[],
  body: string | Buffer = '',
): Buffer {
  const head = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...lines].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), Buffer.from(body)]);
}

function json(body: string): string[] {
  return ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`];
}

const ok = { outcomes: [202], closed: false } as const;
const refusedClosed = (status: number, detail?: string): Expectation => ({
  // Node's own parser may refuse first (400 and close, or just close): also a safe outcome.
  outcomes: [status, 400, 'closed'],
  closed: true,
  ...(detail === undefined ? {} : { detail }),
});
const tooLarge = refusedClosed(413, `Payload exceeds maximum size of ${LIMIT} bytes.`);

const BODY = '{"ok":true}';
const signature = `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;
const NON_UTF8 = Buffer.from([0xff, 0xfe, 0x80, 0xc3, 0x28]).toString('latin1');

// Decompression bombs: 16 MiB of zeros in a few KiB. The limit counts decoded bytes.
const zeros = Buffer.alloc(16 * 1024 * 1024);
const gzipBomb = gzipSync(zeros, { level: 9 });
const brotliBomb = brotliCompressSync(zeros, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 5 },
});

function manyForwardedFor(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  return parts.join(', ');
}
const forwarded64k = `Forwarded: ${'for=192.0.2.7;proto=https, '.repeat(2600)}for=198.51.100.1`;
const forwardedGarbage = `Forwarded: for="${'['.repeat(64 * 1024)}`;

/** Every header bulwark reads, with bytes that are not UTF-8 (Node reads them as latin1). */
const nonUtf8Headers = [
  'content-type',
  'x-forwarded-for',
  'forwarded',
  'x-hub-signature-256',
  'x-webhook-signature',
  'x-github-delivery',
  'stripe-signature',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-slack-signature',
  'x-slack-request-timestamp',
].map((name) => `${name}: ${NON_UTF8}`);

/** The attacks that finish at once; each is repeated thousands of times in the leak check. */
export const attackCases: readonly AttackCase[] = [
  {
    name: 'a well-formed JSON body (control)',
    bytes: request('/body', json(BODY), BODY),
    expect: ok,
  },
  {
    name: 'a correctly signed delivery (control)',
    bytes: request('/hook', [...json(BODY), `X-Hub-Signature-256: ${signature}`], BODY),
    expect: ok,
  },
  // Request smuggling (RFC 9112 section 6.3)
  {
    name: 'Content-Length with Transfer-Encoding',
    bytes: request(
      '/body',
      ['Content-Length: 5', 'Transfer-Encoding: chunked'],
      '5\r\nhello\r\n0\r\n\r\n',
    ),
    expect: refusedClosed(400, 'Content-Length and Transfer-Encoding must not be sent together.'),
  },
  {
    name: 'two different Content-Length headers',
    bytes: request('/body', ['Content-Length: 5', 'Content-Length: 6'], 'hello!'),
    expect: refusedClosed(400),
  },
  {
    name: 'two equal Content-Length headers',
    bytes: request('/body', ['Content-Length: 5', 'Content-Length: 5'], 'hello'),
    expect: refusedClosed(400),
  },
  {
    name: 'Content-Length folded onto a second line (obs-fold)',
    bytes: request('/body', ['Content-Length: 5', ' 0'], 'hello'),
    expect: refusedClosed(400),
  },
  {
    name: 'Transfer-Encoding folded onto a second line (obs-fold)',
    bytes: request('/body', ['Transfer-Encoding: identity', ' chunked'], '5\r\nhello\r\n0\r\n\r\n'),
    expect: refusedClosed(400),
  },
  {
    name: 'X-Forwarded-For folded onto a second line (obs-fold)',
    bytes: request('/body', [...json(BODY), 'X-Forwarded-For: 192.0.2.1,', ' 192.0.2.2'], BODY),
    expect: { outcomes: [202, 400, 'closed'] },
  },
  {
    name: 'Transfer-Encoding other than chunked',
    bytes: request('/body', ['Transfer-Encoding: chunked, identity'], '5\r\nhello\r\n0\r\n\r\n'),
    expect: refusedClosed(400),
  },
  {
    name: 'chunk sizes with extensions',
    bytes: request(
      '/body',
      ['Content-Type: application/json', 'Transfer-Encoding: chunked'],
      `${BODY.length.toString(16)};name=value;quoted="a b"\r\n${BODY}\r\n0;last\r\n\r\n`,
    ),
    expect: ok,
  },
  {
    name: 'a negative chunk size',
    bytes: request('/body', ['Transfer-Encoding: chunked'], '-5\r\nhello\r\n0\r\n\r\n'),
    expect: refusedClosed(400),
  },
  {
    name: 'an overflowing chunk size',
    bytes: request('/body', ['Transfer-Encoding: chunked'], 'fffffffffffffffffff1\r\nhello\r\n'),
    expect: refusedClosed(400),
  },
  {
    name: 'one chunk larger than the limit',
    bytes: request(
      '/body',
      ['Transfer-Encoding: chunked'],
      `${(LIMIT * 4).toString(16)}\r\n${'a'.repeat(LIMIT * 4)}\r\n0\r\n\r\n`,
    ),
    expect: tooLarge,
  },
  // Header abuse
  {
    name: '5,000 X-Forwarded-For entries',
    bytes: request('/body', [...json(BODY), `X-Forwarded-For: ${manyForwardedFor(5000)}`], BODY),
    expect: ok,
  },
  {
    name: '2,000 repeated X-Forwarded-For lines',
    bytes: request(
      '/body',
      [
        ...json(BODY),
        ...Array.from({ length: 2000 }, (_, i) => `X-Forwarded-For: 10.0.${i >> 8}.${i & 255}`),
      ],
      BODY,
    ),
    expect: ok,
  },
  {
    name: 'a 64 KB Forwarded header',
    bytes: request('/body', [...json(BODY), forwarded64k], BODY),
    expect: ok,
  },
  {
    name: 'a 64 KB unterminated Forwarded header',
    bytes: request('/body', [...json(BODY), forwardedGarbage], BODY),
    expect: ok,
  },
  {
    name: 'the signature header repeated (one right, one wrong)',
    bytes: request(
      '/hook',
      [
        ...json(BODY),
        `X-Hub-Signature-256: ${signature}`,
        `X-Hub-Signature-256: sha256=${'0'.repeat(64)}`,
      ],
      BODY,
    ),
    expect: { outcomes: [403], closed: false, detail: 'Invalid webhook signature.' },
  },
  {
    name: 'a NUL byte in the signature header',
    bytes: request('/hook', [...json(BODY), `X-Hub-Signature-256: sha256=ab\u0000cd`], BODY),
    expect: { outcomes: [400, 403, 'closed'] },
  },
  ...['/body', '/hook', '/stripe', '/standard', '/slack'].map((path): AttackCase => ({
    name: `bytes that are not UTF-8 in every header bulwark reads (${path})`,
    bytes: request(path, [`Content-Length: ${BODY.length}`, ...nonUtf8Headers], BODY),
    // Fastify refuses the unknown Content-Type itself (415) after bulwark let the body through.
    expect: { outcomes: path === '/body' ? [202, 415] : [403], closed: false },
  })),
  {
    name: 'bytes that are not UTF-8 in Content-Length',
    bytes: request('/body', [`Content-Length: 1${NON_UTF8}`], BODY),
    expect: refusedClosed(400),
  },
  {
    name: 'bytes that are not UTF-8 in Transfer-Encoding',
    bytes: request('/body', [`Transfer-Encoding: chunked${NON_UTF8}`], '0\r\n\r\n'),
    expect: refusedClosed(400),
  },
  {
    name: 'bytes that are not UTF-8 in Content-Encoding',
    bytes: request(
      '/body',
      [`Content-Length: ${BODY.length}`, `Content-Encoding: ${NON_UTF8}`],
      BODY,
    ),
    expect: refusedClosed(415),
  },
  // Bodies
  {
    name: 'a body of exactly the limit',
    bytes: request(
      '/body',
      [`Content-Length: ${LIMIT}`, 'Content-Type: text/plain'],
      'a'.repeat(LIMIT),
    ),
    expect: ok,
  },
  {
    name: 'a body of the limit plus one',
    bytes: request('/body', [`Content-Length: ${LIMIT + 1}`], 'a'.repeat(LIMIT + 1)),
    expect: tooLarge,
  },
  {
    name: 'a chunked body of the limit plus one',
    bytes: request(
      '/body',
      ['Transfer-Encoding: chunked'],
      `${LIMIT.toString(16)}\r\n${'a'.repeat(LIMIT)}\r\n1\r\na\r\n0\r\n\r\n`,
    ),
    expect: tooLarge,
  },
  {
    name: 'a Content-Length longer than the body, then the client hangs up',
    bytes: request('/body', ['Content-Length: 100'], 'a'.repeat(50)),
    endAfter: true,
    expect: { outcomes: [400, 'closed'], closed: true },
  },
  {
    name: 'a gzip bomb (16 MiB of zeros)',
    bytes: request(
      '/body',
      [`Content-Length: ${gzipBomb.length}`, 'Content-Encoding: gzip'],
      gzipBomb,
    ),
    expect: tooLarge,
  },
  {
    name: 'a brotli bomb (16 MiB of zeros)',
    bytes: request(
      '/body',
      [`Content-Length: ${brotliBomb.length}`, 'Content-Encoding: br'],
      brotliBomb,
    ),
    expect: tooLarge,
  },
  {
    name: 'a corrupt gzip body',
    bytes: request(
      '/body',
      ['Content-Length: 20', 'Content-Encoding: gzip'],
      Buffer.concat([gzipBomb.subarray(0, 10), Buffer.alloc(10, 0xff)]),
    ),
    expect: refusedClosed(400, 'The compressed request body could not be decoded.'),
  },
  {
    name: 'a second request sent right after a body over the limit on a kept-alive connection',
    bytes: Buffer.concat([
      request('/body', [`Content-Length: ${LIMIT * 2}`], 'a'.repeat(LIMIT * 2)),
      request('/body', json(BODY), BODY),
    ]),
    expect: tooLarge,
  },
];
