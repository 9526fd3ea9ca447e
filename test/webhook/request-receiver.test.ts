import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRequestWebhookReceiver, signWebhook } from 'bulwark';
import { captureLog } from '../helpers/log-capture.js';

const body = '{"event":"push"}';
const stream = () => Readable.from([Buffer.from(body)]);
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
