import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWebhookVerifier, signWebhook, verifyWebhook } from 'bulwark';
import { expectRefused, refusal } from '../../helpers/webhook.js';

// Shopify's "Verify a webhook" page gives the recipe (base64 of the HMAC-SHA256 of the raw
// body, keyed with the app's client secret) but no digest to reproduce, so this vector was
// computed once with node:crypto createHmac and pinned: a change in how bulwark reads the
// header or the body shows up as a mismatch with a fixed value, not only with itself.
const SECRET = 'hush';
const BODY = '{"id":820982911946154508,"email":"jon@example.com","note":"Grüße"}';
const DIGEST = 'KVcvqSk3xoQx+Y2lnvL828utubKaBSuNJzp4qQ3sD+g=';
const RAW = Buffer.from(DIGEST, 'base64');

describe('shopify: the vector', () => {
  const verifier = createWebhookVerifier({ scheme: 'shopify', secret: SECRET });

  it('node:crypto reproduces the pinned digest', () => {
    expect(createHmac('sha256', SECRET).update(BODY, 'utf8').digest('base64')).toBe(DIGEST);
  });

  it('accepts it, with the webhook id as the delivery id', async () => {
    const verdict = await verifier.verify({
      body: Buffer.from(BODY, 'utf8'),
      headers: { 'x-shopify-hmac-sha256': DIGEST, 'x-shopify-webhook-id': 'b54557e4-bdd9-4b37' },
    });
    expect(verdict).toEqual({
      ok: true,
      scheme: 'shopify',
      verified: true,
      deliveryId: 'b54557e4-bdd9-4b37',
      timestamp: undefined,
    });
  });

  it('accepts it with the header name in any case (a hand-built header record)', async () => {
    const verdict = await verifier.verify({
      body: BODY,
      headers: { 'X-Shopify-Hmac-SHA256': DIGEST },
    });
    expect(verdict.ok).toBe(true);
  });

  it('accepts it through the one-shot verifyWebhook', async () => {
    const verdict = await verifyWebhook({
      scheme: 'shopify',
      secret: SECRET,
      body: BODY,
      headers: { 'x-shopify-hmac-sha256': DIGEST },
    });
    expect(verdict.ok).toBe(true);
  });

  it('accepts it while rotating, signed with the second secret', async () => {
    const rotating = createWebhookVerifier({ scheme: 'shopify', secret: ['new-secret', SECRET] });
    expect(
      (await rotating.verify({ body: BODY, headers: { 'x-shopify-hmac-sha256': DIGEST } })).ok,
    ).toBe(true);
  });

  it('refuses another secret, a changed body and a re-serialised body', async () => {
    const other = createWebhookVerifier({ scheme: 'shopify', secret: 'hush!' });
    expectRefused(await other.verify({ body: BODY, headers: { 'x-shopify-hmac-sha256': DIGEST } }));
    const headers = { 'x-shopify-hmac-sha256': DIGEST };
    expectRefused(await verifier.verify({ body: BODY.replace('jon', 'eve'), headers }));
    // A framework that parsed and re-serialised the JSON changes the bytes (here the
    // escaping of non-ASCII): the raw body must be verified.
    const reserialised = BODY.replace('Grüße', 'Gr\\u00fc\\u00dfe');
    expect(JSON.parse(reserialised)).toEqual(JSON.parse(BODY));
    expectRefused(await verifier.verify({ body: reserialised, headers }));
  });
});

describe('shopify: signing', () => {
  it('signWebhook emits the base64 digest and a UUID webhook id, and verifies back', async () => {
    const headers = signWebhook(BODY, SECRET, { scheme: 'shopify' });
    expect(headers['X-Shopify-Hmac-Sha256']).toBe(DIGEST);
    expect(headers['X-Shopify-Webhook-Id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const verifier = createWebhookVerifier({ scheme: 'shopify', secret: SECRET });
    const verdict = await verifier.verify({
      body: BODY,
      headers: {
        'x-shopify-hmac-sha256': headers['X-Shopify-Hmac-Sha256'],
        'x-shopify-webhook-id': headers['X-Shopify-Webhook-Id'],
      },
    });
    expect(verdict).toMatchObject({ ok: true, deliveryId: headers['X-Shopify-Webhook-Id'] });
  });

  it('signs with the first secret while rotating, and uses the given delivery id', () => {
    const headers = signWebhook(BODY, [SECRET, 'old'], { scheme: 'shopify', deliveryId: 'w-1' });
    expect(headers).toEqual({ 'X-Shopify-Hmac-Sha256': DIGEST, 'X-Shopify-Webhook-Id': 'w-1' });
  });
});

describe('shopify: only standard padded base64 is read', () => {
  const verifier = createWebhookVerifier({ scheme: 'shopify', secret: SECRET });
  const refuse = async (value: string | string[]): Promise<void> => {
    expectRefused(
      await verifier.verify({ body: BODY, headers: { 'x-shopify-hmac-sha256': value } }),
    );
  };

  it('refuses the same digest in hex', async () => {
    await refuse(RAW.toString('hex'));
  });

  it('refuses the same digest in URL-safe base64, padded or not', async () => {
    const urlSafe = RAW.toString('base64url');
    expect(urlSafe).not.toBe(DIGEST.replace(/=$/, ''));
    await refuse(urlSafe);
    await refuse(`${urlSafe}=`);
  });

  it('refuses the digest without its padding', async () => {
    await refuse(DIGEST.slice(0, -1));
  });

  it.each<[string, string | string[]]>([
    ['truncated', DIGEST.slice(0, 40)],
    ['over-long (> 4096 characters)', DIGEST.repeat(94)],
    ['repeated', [DIGEST, DIGEST]],
    ['non-ASCII', `${DIGEST.slice(0, -2)}ü=`],
    ['a sha256= prefix (GitHub style)', `sha256=${DIGEST}`],
    [
      'another digest of the right shape',
      createHmac('sha256', SECRET).update('x').digest('base64'),
    ],
  ])('refuses %s', async (_label, value) => {
    await refuse(value);
  });

  it('a missing or empty header is a 403 signature_missing', async () => {
    for (const headers of [{}, { 'x-shopify-hmac-sha256': '' }]) {
      const verdict = await verifier.verify({ body: BODY, headers });
      expectRefused(verdict);
      expect(refusal(verdict).error.code).toBe('signature_missing');
    }
  });

  it('a repeated, over-long or non-ASCII webhook id is a 403', async () => {
    for (const id of [['a', 'b'], 'i'.repeat(257), 'idé']) {
      const verdict = await verifier.verify({
        body: BODY,
        headers: { 'x-shopify-hmac-sha256': DIGEST, 'x-shopify-webhook-id': id },
      });
      expectRefused(verdict);
    }
  });
});

describe('shopify: replay, keyed on X-Shopify-Webhook-Id', () => {
  const headers = (id?: string) => ({
    'x-shopify-hmac-sha256': DIGEST,
    ...(id === undefined ? {} : { 'x-shopify-webhook-id': id }),
  });

  it('is off by default: Shopify signs no timestamp', async () => {
    const verifier = createWebhookVerifier({ scheme: 'shopify', secret: SECRET });
    expect(verifier.replayProtected).toBe(false);
    expect((await verifier.verify({ body: BODY, headers: headers('w-1') })).ok).toBe(true);
    expect((await verifier.verify({ body: BODY, headers: headers('w-1') })).ok).toBe(true);
  });

  it('with replay: true, a second delivery with the same id is a 409', async () => {
    const verifier = createWebhookVerifier({ scheme: 'shopify', secret: SECRET, replay: true });
    expect(verifier.replayProtected).toBe(true);
    expect((await verifier.verify({ body: BODY, headers: headers('w-1') })).ok).toBe(true);
    const again = await verifier.verify({ body: BODY, headers: headers('w-1') });
    expectRefused(again, 409);
    expect(refusal(again).error.code).toBe('replayed_delivery');
  });

  it('with replay: true, a different id passes (the id is not signed: this dedupes retries)', async () => {
    const verifier = createWebhookVerifier({ scheme: 'shopify', secret: SECRET, replay: true });
    expect((await verifier.verify({ body: BODY, headers: headers('w-1') })).ok).toBe(true);
    expect((await verifier.verify({ body: BODY, headers: headers('w-2') })).ok).toBe(true);
  });

  it('with replay: true, a delivery without an id is a 403 (nothing to key on)', async () => {
    const verifier = createWebhookVerifier({ scheme: 'shopify', secret: SECRET, replay: true });
    const verdict = await verifier.verify({ body: BODY, headers: headers() });
    expectRefused(verdict);
    expect(refusal(verdict).error.detail).toBe('Missing webhook id header.');
  });

  it('a forged delivery never claims an id: the genuine one still passes afterwards', async () => {
    const verifier = createWebhookVerifier({ scheme: 'shopify', secret: SECRET, replay: true });
    const forged = createHmac('sha256', 'guess').update(BODY).digest('base64');
    expectRefused(
      await verifier.verify({
        body: BODY,
        headers: { 'x-shopify-hmac-sha256': forged, 'x-shopify-webhook-id': 'w-9' },
      }),
    );
    expect((await verifier.verify({ body: BODY, headers: headers('w-9') })).ok).toBe(true);
  });
});
