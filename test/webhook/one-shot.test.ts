import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from 'bulwark';

// The one-shot call prepares its options once per distinct value set and reuses them; these
// tests pin that reuse can never verify with another call's secret or settings.
const body = JSON.stringify({ event: 'push' });
const headersFor = (secret: string) => {
  const signed = signWebhook(body, secret, { scheme: 'github', deliveryId: 'd-1' });
  return { 'x-hub-signature-256': signed['X-Hub-Signature-256'] ?? '', 'x-github-delivery': 'd-1' };
};

describe('verifyWebhook (one-shot) reuses prepared options by value', () => {
  it('accepts with the right secret and refuses with another, call after call', async () => {
    const headers = headersFor('right');
    for (let i = 0; i < 3; i++) {
      expect((await verifyWebhook({ body, headers, scheme: 'github', secret: 'right' })).ok).toBe(
        true,
      );
      expect((await verifyWebhook({ body, headers, scheme: 'github', secret: 'wrong' })).ok).toBe(
        false,
      );
    }
  });

  it('keeps one secret used with two schemes apart', async () => {
    const headers = headersFor('shared');
    const shopify = signWebhook(body, 'shared', { scheme: 'shopify' });
    const shopifyHeaders = { 'x-shopify-hmac-sha256': shopify['X-Shopify-Hmac-Sha256'] ?? '' };
    for (let i = 0; i < 2; i++) {
      expect((await verifyWebhook({ body, headers, scheme: 'github', secret: 'shared' })).ok).toBe(
        true,
      );
      expect(
        (
          await verifyWebhook({
            body,
            headers: shopifyHeaders,
            scheme: 'shopify',
            secret: 'shared',
          })
        ).ok,
      ).toBe(true);
      expect(
        (await verifyWebhook({ body, headers: shopifyHeaders, scheme: 'github', secret: 'shared' }))
          .ok,
      ).toBe(false);
    }
  });

  it('keeps replay on and off apart for the same secret and scheme', async () => {
    const signed = signWebhook(body, 'whsec_aGVsbG8gd29ybGQ=', {
      scheme: 'standard-webhooks',
      deliveryId: 'msg_one_shot_replay',
    });
    const headers = Object.fromEntries(
      Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const call = (replay: boolean) =>
      verifyWebhook({
        body,
        headers,
        scheme: 'standard-webhooks',
        secret: 'whsec_aGVsbG8gd29ybGQ=',
        replay,
      });
    expect((await call(false)).ok).toBe(true);
    expect((await call(false)).ok).toBe(true);
    expect((await call(true)).ok).toBe(true);
    const again = await call(true);
    expect(again.ok ? 200 : again.error.status).toBe(409);
  });

  it('never confuses secrets whose text would run together in a key', async () => {
    // Without lengths in the key, "a" + separator + "b" and "a<separator>b" could collide.
    const tricky = 'x\u0000sgithub\u0000';
    const headers = headersFor('x');
    expect((await verifyWebhook({ body, headers, scheme: 'github', secret: 'x' })).ok).toBe(true);
    expect((await verifyWebhook({ body, headers, scheme: 'github', secret: tricky })).ok).toBe(
      false,
    );
    expect((await verifyWebhook({ body, headers, scheme: 'github', secret: ['x', 'y'] })).ok).toBe(
      true,
    );
    expect((await verifyWebhook({ body, headers, scheme: 'github', secret: ['xy'] })).ok).toBe(
      false,
    );
  });

  it('keys on every option: a different tolerance is a different verifier', async () => {
    const signed = signWebhook(body, 'whsec_aGVsbG8gd29ybGQ=', {
      scheme: 'standard-webhooks',
      timestamp: Math.floor(Date.now() / 1000) - 100,
    });
    const headers = Object.fromEntries(
      Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const options = {
      body,
      headers,
      scheme: 'standard-webhooks',
      secret: 'whsec_aGVsbG8gd29ybGQ=',
      replay: false,
    } as const;
    expect((await verifyWebhook(options)).ok).toBe(true);
    const strict = await verifyWebhook({ ...options, toleranceSeconds: 10 });
    expect(strict.ok).toBe(false);
    expect((await verifyWebhook(options)).ok).toBe(true);
  });

  it('still rejects a bad option, on every call', async () => {
    const headers = headersFor('right');
    for (let i = 0; i < 2; i++) {
      await expect(
        verifyWebhook({ body, headers, scheme: 'github', secret: 'right', toleranceSeconds: 0 }),
      ).rejects.toThrow(TypeError);
    }
  });

  it('prepares options it cannot key by value (a clock) per call', async () => {
    const headers = headersFor('right');
    const verdict = await verifyWebhook({
      body,
      headers,
      scheme: 'github',
      secret: 'right',
      now: () => 0,
    });
    expect(verdict.ok).toBe(true);
  });
});
