import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createWebhookVerifier, signWebhook } from 'bulwark';

const payload = JSON.stringify({ id: 'evt_1', object: 'event', data: { n: 'ü€' } });

describe('GitHub, with @octokit/webhooks-methods', () => {
  const secret = "It's a Secret to Everybody";

  it('verifies what octokit signs', async () => {
    const signature = await octokitSign(secret, payload);
    for (const scheme of ['github', 'mission-control'] as const) {
      const v = createWebhookVerifier({ scheme, secret });
      const verdict = await v.verify({
        body: payload,
        headers: { 'x-hub-signature-256': signature, 'x-github-delivery': 'd' },
      });
      expect(verdict.ok && verdict.verified).toBe(true);
    }
  });

  it('signs what octokit verifies', async () => {
    const headers = signWebhook(payload, secret, { scheme: 'github' });
    expect(await octokitVerify(secret, payload, headers['X-Hub-Signature-256'] ?? '')).toBe(true);
    const mc = signWebhook(payload, secret);
    expect(await octokitVerify(secret, payload, mc['X-Webhook-Signature'] ?? '')).toBe(true);
  });
});

describe('Standard Webhooks, with standardwebhooks', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const wh = new Webhook(secret);

  it('verifies what standardwebhooks signs', async () => {
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const now = new Date();
    const signature = wh.sign(id, now, payload);
    const v = createWebhookVerifier({ scheme: 'standard-webhooks', secret });
    const verdict = await v.verify({
      body: Buffer.from(payload),
      headers: {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
    });
    expect(verdict).toMatchObject({ ok: true, verified: true, deliveryId: id });
  });

  it('signs what standardwebhooks verifies', () => {
    const headers = signWebhook(payload, secret, { scheme: 'standard-webhooks' });
    expect(wh.verify(payload, headers)).toEqual(JSON.parse(payload));
  });
});

describe('Stripe, with stripe', () => {
  const secret = 'whsec_test_secret';
  const stripe = new Stripe('sk_test_not_used');

  it('verifies what stripe signs', async () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
    const v = createWebhookVerifier({ scheme: 'stripe', secret });
    const verdict = await v.verify({ body: payload, headers: { 'stripe-signature': header } });
    expect(verdict.ok && verdict.verified).toBe(true);
  });

  it('signs what stripe verifies, with rotation', () => {
    const headers = signWebhook(payload, ['whsec_old', secret], { scheme: 'stripe' });
    const event = stripe.webhooks.constructEvent(
      payload,
      headers['Stripe-Signature'] ?? '',
      secret,
    );
    expect(event.id).toBe('evt_1');
  });
});
