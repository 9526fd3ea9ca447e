import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRequestWebhookReceiver, signWebhook } from 'bulwark';
import { captureLog } from '../helpers/log-capture.js';

const body = '{"event":"push"}';
const stream = (bytes: string = body) => Readable.from([Buffer.from(bytes)]);
const headersFor = (secret: string) => {
  const signed = signWebhook(body, secret, { scheme: 'mission-control' });
  return Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), [v]]));
};

describe('createRequestWebhookReceiver', () => {
  it('uses a fixed secret for every request', async () => {
    const receive = createRequestWebhookReceiver<{ id: string }>({ secret: 'fixed' });
    expect((await receive({ id: 'a' }, stream(), headersFor('fixed'))).ok).toBe(true);
    expect((await receive({ id: 'a' }, stream(), headersFor('other'))).ok).toBe(false);
  });

  it('looks the secret up per request, asynchronously', async () => {
    const secrets: Record<string, string> = { a: 'secret-a', b: 'secret-b' };
    const receive = createRequestWebhookReceiver<{ id: string }>({
      secret: (req) => Promise.resolve(secrets[req.id]),
    });
    expect((await receive({ id: 'a' }, stream(), headersFor('secret-a'))).ok).toBe(true);
    const wrong = await receive({ id: 'b' }, stream(), headersFor('secret-a'));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.status).toBe(403);
    // No secret for this webhook: mission-control does not check.
    expect((await receive({ id: 'none' }, stream(), {})).ok).toBe(true);
  });
});

describe('createRequestWebhookReceiver: wiring mistakes', () => {
  it('refuses to be created without a secret, or with an empty one', () => {
    expect(() => createRequestWebhookReceiver({})).toThrow(
      /no secret is given, so nothing would be verified; write secret: process\.env\.WEBHOOK_SECRET/,
    );
    expect(() => createRequestWebhookReceiver({ secret: undefined })).toThrow(TypeError);
    expect(() => createRequestWebhookReceiver({ secret: '' })).toThrow(/empty string/);
    expect(() => createRequestWebhookReceiver({ secret: [] })).toThrow(/no secret is given/);
    expect(() => createRequestWebhookReceiver({ secret: Buffer.alloc(0) })).toThrow(TypeError);
  });

  it.each([
    [
      'throws',
      () => Promise.reject(new Error('db down: redis://u:pw@cache')),
      /threw \(db down: redis:\/\/u:\*\*\*@cache\)/,
    ],
    ['returns null', () => null, /returned null/],
    ['returns a number', () => 42, /returned a number/],
    ['returns an object', () => ({ secret: 'x' }), /returned an object/],
    [
      'returns an array with a number',
      () => ['x', 1],
      /returned an array holding something that is not a secret/,
    ],
  ])('a secret function that %s refuses with 500 and logs once', async (_what, fn, line) => {
    const log = captureLog();
    const receive = createRequestWebhookReceiver<object>({
      secret: fn as unknown as () => string,
      logger: log.logger,
    });
    for (let i = 0; i < 3; i++) {
      const receipt = await receive({}, stream(), headersFor('x'));
      expect(receipt.ok).toBe(false);
      if (!receipt.ok) {
        expect(receipt.error.status).toBe(500);
        expect(receipt.error.code).toBe('secret_unavailable');
      }
    }
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toMatch(line);
    expect(log.lines.join('\n')).not.toContain(':pw@');
  });

  it('accepts every secret shape a function may return', async () => {
    for (const secret of ['x', Buffer.from('x'), ['old', 'x'], [Buffer.from('x')]]) {
      const receive = createRequestWebhookReceiver<object>({ secret: () => secret });
      expect((await receive({}, stream(), headersFor('x'))).ok).toBe(true);
    }
  });
});

describe('createRequestWebhookReceiver: key and URL options', () => {
  // The Ed25519 public key of the all-zero seed: 64 hex digits, as Discord shows one.
  const discordKey = '3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29';

  it.each([
    ['twilio without publicUrl', { scheme: 'twilio', secret: 'k' }, /publicUrl: twilio signs/],
    [
      'a publicUrl function for a scheme that does not sign the URL',
      { scheme: 'github', secret: 'k', publicUrl: () => 'https://example.com/hook' },
      /publicUrl: github does not sign the URL/,
    ],
    [
      'both secret and publicKey',
      { scheme: 'discord', secret: 'k', publicKey: discordKey },
      /both secret and publicKey/,
    ],
    // A per-request lookup is held to the same rule as a fixed key.
    [
      'a publicKey function for github',
      { scheme: 'github', publicKey: () => discordKey },
      /publicKey: github does not verify with publicKey/,
    ],
    [
      'a secret function for discord',
      { scheme: 'discord', secret: () => 'k' },
      /secret: discord signs with Ed25519/,
    ],
    ['discord with neither key', { scheme: 'discord' }, /publicKey: no public key is given/],
    ['discord with an empty key', { scheme: 'discord', publicKey: '' }, /publicKey: the key is/],
  ])('refuses %s at creation with a TypeError', (_what, options, message) => {
    const create = () => createRequestWebhookReceiver(options as never);
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });

  it('accepts discord with publicKey alone', () => {
    expect(() =>
      createRequestWebhookReceiver({ scheme: 'discord', publicKey: discordKey }),
    ).not.toThrow();
  });

  const form = 'Body=hi&From=%2B15557654321';
  const FULL_URL = 'https://example.com/sms?x=1';
  const twilioHeaders = () => ({
    ...Object.fromEntries(
      Object.entries(signWebhook(form, 'tw', { scheme: 'twilio', url: FULL_URL })).map(([k, v]) => [
        k.toLowerCase(),
        v,
      ]),
    ),
    'content-type': 'application/x-www-form-urlencoded',
  });

  it('joins a fixed publicUrl to the request target', async () => {
    const receive = createRequestWebhookReceiver<object>({
      scheme: 'twilio',
      secret: 'tw',
      publicUrl: 'https://example.com',
    });
    expect((await receive({}, stream(form), twilioHeaders(), '/sms?x=1')).ok).toBe(true);
    // Another target is another signed URL: the signature does not carry over.
    const moved = await receive({}, stream(form), twilioHeaders(), '/sms?x=2');
    expect(!moved.ok && moved.error.status).toBe(403);
  });

  it('uses the URL a publicUrl function returns for the request', async () => {
    const receive = createRequestWebhookReceiver<{ url: string }>({
      scheme: 'twilio',
      secret: 'tw',
      publicUrl: (req) => req.url,
    });
    expect((await receive({ url: FULL_URL }, stream(form), twilioHeaders())).ok).toBe(true);
    const other = await receive(
      { url: 'https://evil.example/sms?x=1' },
      stream(form),
      twilioHeaders(),
    );
    expect(!other.ok && other.error.status).toBe(403);
  });

  // A publicUrl function that fails is the application's bug: the delivery is refused with
  // 500 (so the sender retries once it is fixed), never verified against a guessed URL and
  // never passed on unchecked.
  it.each([
    [
      'throws',
      () => {
        throw new Error('no route');
      },
      /publicUrl function threw \(no route\)/,
    ],
    ['returns a relative URL', () => '/sms?x=1', /returned a URL that is not absolute/],
    ['returns undefined', () => undefined, /returned (a |an )?undefined/],
  ])('a publicUrl function that %s refuses with 500 and logs once', async (_what, fn, line) => {
    const log = captureLog();
    const receive = createRequestWebhookReceiver<object>({
      scheme: 'twilio',
      secret: 'tw',
      publicUrl: fn as unknown as () => string,
      logger: log.logger,
    });
    for (let i = 0; i < 3; i++) {
      const receipt = await receive({}, stream(form), twilioHeaders(), '/sms?x=1');
      expect(receipt.ok).toBe(false);
      if (!receipt.ok) {
        expect(receipt.error.status).toBe(500);
        expect(receipt.error.code).toBe('url_unavailable');
      }
    }
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toMatch(line);
  });
});
