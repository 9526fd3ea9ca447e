import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_SCHEMES, createWebhookVerifier, signWebhook, verifyWebhook } from 'bulwark';
import type { WebhookSchemeName, WebhookVerdict } from 'bulwark';

const SECRET = 'mc-secret';
const body = Buffer.from('{"event":"task.created","id":42}');
const hex = createHmac('sha256', SECRET).update(body).digest('hex');

function mc(headers: Record<string, string | string[]>, secret: string | undefined = SECRET) {
  return verifyWebhook({ body, headers, secret, scheme: 'mission-control' });
}

function expectRejected(v: WebhookVerdict, status: number, detail: string): void {
  expect(v.ok).toBe(false);
  if (v.ok) return;
  expect(v.error.status).toBe(status);
  expect(v.error.detail).toBe(detail);
  expect(v.reason).not.toContain(SECRET);
}

describe('mission-control scheme', () => {
  it.each([
    ['x-hub-signature-256', `sha256=${hex}`],
    ['x-webhook-signature', `sha256=${hex}`],
    ['x-webhook-signature', hex],
    ['x-webhook-signature', `SHA256=${hex.toUpperCase()}`],
    ['x-hub-signature-256', `  sha256=${hex}\t`],
    ['X-Webhook-Signature', `Sha256=${hex}`],
  ])('accepts %s: %j', async (name, value) => {
    const v = await mc({ [name]: value });
    expect(v).toEqual({
      ok: true,
      scheme: 'mission-control',
      verified: true,
      deliveryId: undefined,
      timestamp: undefined,
    });
  });

  it('answers 403 "Missing webhook signature header." without a signature', async () => {
    expectRejected(await mc({}), 403, 'Missing webhook signature header.');
    expectRejected(
      await mc({ 'x-webhook-signature': '   ' }),
      403,
      'Missing webhook signature header.',
    );
  });

  it.each([
    ['wrong digest', `sha256=${'0'.repeat(64)}`],
    ['short', `sha256=${hex.slice(2)}`],
    ['long', `sha256=${hex}00`],
    ['not hex', `sha256=${'z'.repeat(64)}`],
    ['other algorithm', `sha1=${hex}`],
    ['non-ASCII', `sha256=${hex.slice(0, 63)}é`],
    ['control character', `sha256=${hex}\u0000`],
    ['huge', `sha256=${'a'.repeat(10_000)}`],
    ['joined repeat', `sha256=${hex}, sha256=${hex}`],
  ])('answers 403 "Invalid webhook signature." for %s', async (_what, value) => {
    expectRejected(await mc({ 'x-hub-signature-256': value }), 403, 'Invalid webhook signature.');
  });

  it('answers 403 for a repeated header given as an array', async () => {
    const v = await mc({ 'x-hub-signature-256': [`sha256=${hex}`, `sha256=${hex}`] });
    expectRejected(v, 403, 'Invalid webhook signature.');
    if (!v.ok) expect(v.reason).toMatch(/2 times/);
  });

  it('reads X-Hub-Signature-256 first when both are sent', async () => {
    const v = await mc({
      'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      'x-webhook-signature': hex,
    });
    expect(v.ok).toBe(false);
  });

  it('does not check anything when no secret is configured', async () => {
    for (const secret of [undefined, '', []]) {
      const v = await verifyWebhook({ body, headers: {}, secret });
      expect(v.ok && !v.verified).toBe(true);
    }
  });

  it('reads only the custom header when one is named', async () => {
    const v = createWebhookVerifier({ secret: SECRET, headerName: 'X-Board-Signature' });
    expect((await v.verify({ body, headers: { 'x-board-signature': hex } })).ok).toBe(true);
    const other = await v.verify({ body, headers: { 'x-hub-signature-256': `sha256=${hex}` } });
    expectRejected(other, 403, 'Missing webhook signature header.');
  });

  it('accepts any of several secrets (rotation)', async () => {
    const v = createWebhookVerifier({ secret: ['new-secret', SECRET] });
    expect((await v.verify({ body, headers: { 'x-webhook-signature': hex } })).ok).toBe(true);
    const w = createWebhookVerifier({ secret: ['new-secret', 'older'] });
    expect((await w.verify({ body, headers: { 'x-webhook-signature': hex } })).ok).toBe(false);
  });

  it('uses a per-request secret over the configured one', async () => {
    const v = createWebhookVerifier({ secret: 'other' });
    const r = await v.verify({ body, headers: { 'x-webhook-signature': hex }, secret: SECRET });
    expect(r.ok).toBe(true);
  });

  it('verifies a string body as UTF-8', async () => {
    const v = await verifyWebhook({
      body: body.toString(),
      headers: { 'x-webhook-signature': hex },
      secret: SECRET,
    });
    expect(v.ok).toBe(true);
  });
});

const NOW = 1_800_000_000;
const now = () => NOW * 1000;

describe.each<WebhookSchemeName>(['github', 'standard-webhooks', 'stripe', 'slack'])(
  '%s scheme',
  (scheme) => {
    const secret =
      scheme === 'standard-webhooks' ? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' : 'sekrit';
    const sign = (timestamp = NOW, deliveryId = 'msg_1') =>
      signWebhook(body, secret, { scheme, timestamp, deliveryId });
    const verifier = () => createWebhookVerifier({ scheme, secret, now, replay: false });

    it('accepts its own signature', async () => {
      const v = await verifier().verify({ body, headers: lower(sign()) });
      expect(v.ok && v.verified).toBe(true);
    });

    it('refuses a changed body', async () => {
      const v = await verifier().verify({ body: Buffer.from('{}'), headers: lower(sign()) });
      expectRejected(v, 403, 'Invalid webhook signature.');
    });

    it('refuses with no headers', async () => {
      const v = await verifier().verify({ body, headers: {} });
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.error.status).toBe(403);
    });

    it('refuses when no secret is configured', async () => {
      const v = await createWebhookVerifier({ scheme }).verify({ body, headers: lower(sign()) });
      expectRejected(v, 403, 'Invalid webhook signature.');
    });

    it('refuses every header truncated, doubled, or made non-ASCII, without throwing', async () => {
      const headers = lower(sign());
      for (const [name, value] of Object.entries(headers)) {
        for (const bad of [
          value.slice(0, -1),
          `${value}, ${value}`,
          `${value}\u00e9`,
          'x'.repeat(5000),
          [value, value],
        ]) {
          const v = await verifier().verify({ body, headers: { ...headers, [name]: bad } });
          if (name === 'x-github-delivery' && typeof bad === 'string' && bad.length < 256) continue;
          expect(v.ok, `${name}=${String(bad).slice(0, 40)}`).toBe(false);
          if (!v.ok) expect(v.error.status).toBe(403);
        }
      }
    });

    if (scheme !== 'github') {
      it('enforces 300 s of tolerance in both directions', async () => {
        for (const [ts, ok] of [
          [NOW - 300, true],
          [NOW + 300, true],
          [NOW - 301, false],
          [NOW + 301, false],
        ] as const) {
          const v = await verifier().verify({ body, headers: lower(sign(ts)) });
          expect(v.ok, `timestamp ${ts - NOW}`).toBe(ok);
          if (!v.ok)
            expect(v.error.detail).toBe('Webhook timestamp is outside the allowed tolerance.');
        }
      });
    }
  },
);

describe('standard-webhooks details', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const headers = lower(
    signWebhook(body, secret, { scheme: 'standard-webhooks', timestamp: NOW, deliveryId: 'msg_x' }),
  );
  const v = createWebhookVerifier({ scheme: 'standard-webhooks', secret, now, replay: false });

  it('accepts a signature among several space-separated entries and unknown versions', async () => {
    const sig = headers['webhook-signature'] ?? '';
    const r = await v.verify({
      body,
      headers: { ...headers, 'webhook-signature': `v2,abcd v1,${'A'.repeat(43)}= ${sig}` },
    });
    expect(r.ok).toBe(true);
  });

  // v1a (Ed25519) is a known version: a malformed entry of it is refused, not skipped as an
  // unknown version would be, so a mangled header never passes on the strength of another
  // entry whose neighbour the parser could not read.
  it('refuses a malformed v1a entry beside a valid v1 one', async () => {
    const sig = headers['webhook-signature'] ?? '';
    const r = await v.verify({
      body,
      headers: { ...headers, 'webhook-signature': `v1a,abcd ${sig}` },
    });
    expectRejected(r, 403, 'Invalid webhook signature.');
    if (!r.ok) expect(r.reason).toMatch(/v1a entry/);
  });

  it('refuses a header with only unknown versions', async () => {
    const r = await v.verify({ body, headers: { ...headers, 'webhook-signature': 'v2,abc' } });
    expectRejected(r, 403, 'Invalid webhook signature.');
    if (!r.ok) expect(r.reason).toMatch(/unknown versions: v2/);
  });

  it.each([
    ['webhook-id', 'Missing webhook id header.'],
    ['webhook-timestamp', 'Missing webhook timestamp header.'],
  ])('says which header is missing (%s)', async (name, detail) => {
    const rest = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== name));
    expectRejected(await v.verify({ body, headers: rest }), 403, detail);
  });

  it('rejects a secret that is not base64 at creation', () => {
    expect(() =>
      createWebhookVerifier({ scheme: 'standard-webhooks', secret: 'whsec_!!!' }),
    ).toThrow(/not base64/);
  });
});

describe('verifier options', () => {
  it.each([
    [{ scheme: 'gitlub' }, new RegExp(`not a scheme; write one of ${WEBHOOK_SCHEMES.join(', ')}`)],
    [{ scheme: 'github', publicKey: 'ab' }, /github does not verify with publicKey/],
    [{ scheme: 'discord', secret: 'x' }, /write publicKey/],
    [{ scheme: 'github', secret: 'k', publicUrl: 'https://example.com' }, /does not sign the URL/],
    [{ scheme: 'twilio', secret: 'k', publicUrl: 'example.com' }, /publicUrl/],
    [{ scheme: 'twilio', secret: 'k', publicUrl: 'https://example.com/?a=1' }, /without a query/],
    [{ scheme: 'github', headerName: 'X-Sig' }, /only the mission-control/],
    [{ headerName: 'bad header' }, /field name/],
    [{ toleranceSeconds: 0 }, /toleranceSeconds/],
    [{ replay: true }, /neither a delivery id nor a timestamp/],
    [{ secret: 42 }, /not a secret/],
    [{ scheme: 'stripe', replay: { onStoreError: 'ignore' } }, /'allow' or 'deny'/],
  ])('%j throws a TypeError saying what to write', (options, message) => {
    expect(() => createWebhookVerifier(options as never)).toThrow(TypeError);
    expect(() => createWebhookVerifier(options as never)).toThrow(message);
  });
});

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
