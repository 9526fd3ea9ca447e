import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWebhookVerifier, signWebhook } from 'bulwark';
import { expectRefused, refusal } from '../../helpers/webhook.js';

// GitLab sends the webhook's secret token itself in X-Gitlab-Token (no HMAC, no
// timestamp); X-Gitlab-Event-UUID identifies the delivery.
const TOKEN = 'glwht-8f1d2c3b4a59687e';
const BODY = JSON.stringify({ object_kind: 'push', ref: 'refs/heads/main' });
const UUID = '2b0c3a9e-7c1f-4a4e-9f7a-0d2b6e1c8a55';

describe('gitlab: the token', () => {
  const verifier = createWebhookVerifier({ scheme: 'gitlab', secret: TOKEN });

  it('accepts the configured token, with the event UUID as the delivery id', async () => {
    const verdict = await verifier.verify({
      body: BODY,
      headers: { 'x-gitlab-token': TOKEN, 'x-gitlab-event-uuid': UUID },
    });
    expect(verdict).toEqual({
      ok: true,
      scheme: 'gitlab',
      verified: true,
      deliveryId: UUID,
      timestamp: undefined,
    });
  });

  it('does not bind the body (the token is not a signature): any body passes', async () => {
    const verdict = await verifier.verify({
      body: 'anything',
      headers: { 'x-gitlab-token': TOKEN },
    });
    expect(verdict.ok).toBe(true);
  });

  it('accepts any of several tokens while rotating', async () => {
    const rotating = createWebhookVerifier({ scheme: 'gitlab', secret: ['next-token', TOKEN] });
    for (const token of ['next-token', TOKEN]) {
      expect((await rotating.verify({ body: BODY, headers: { 'x-gitlab-token': token } })).ok).toBe(
        true,
      );
    }
  });

  // The stored key is the token's SHA-256 and the header is hashed too, so the two sides
  // always have 32 bytes: a length mismatch can neither throw (timingSafeEqual would) nor
  // return early, and a correct prefix is just another wrong digest.
  it.each<[string, string | string[]]>([
    ['a wrong token of the same length', TOKEN.replace(/.$/, 'X')],
    ['a shorter token', 'short'],
    ['a longer token', `${TOKEN}${TOKEN}`],
    ['a prefix of the token', TOKEN.slice(0, -1)],
    ['the first character only', TOKEN.slice(0, 1)],
    ['the token with a suffix', `${TOKEN}0`],
    ['the token in upper case', TOKEN.toUpperCase()],
    ['the token repeated in two headers', [TOKEN, TOKEN]],
    ['a non-ASCII token', `${TOKEN}é`],
    ['a control character', `${TOKEN}\u0001`],
    ['an over-long token (> 4096 characters)', TOKEN.repeat(200)],
    // The verifier keeps the token's digest: the digest itself is not the token.
    ['its SHA-256 in hex', createHash('sha256').update(TOKEN).digest('hex')],
    ['its SHA-256 in base64', createHash('sha256').update(TOKEN).digest('base64')],
  ])('refuses %s with a 403 {detail}', async (_label, value) => {
    const verdict = await verifier.verify({ body: BODY, headers: { 'x-gitlab-token': value } });
    expectRefused(verdict);
    expect(refusal(verdict).error.detail).toBe('Invalid webhook signature.');
  });

  it('refuses a missing or empty header with 403 signature_missing', async () => {
    for (const headers of [{}, { 'x-gitlab-token': '' }, { 'x-gitlab-token': '  ' }]) {
      const verdict = await verifier.verify({ body: BODY, headers });
      expectRefused(verdict);
      expect(refusal(verdict).error.code).toBe('signature_missing');
    }
  });

  it('refuses a repeated, over-long or non-ASCII event UUID', async () => {
    for (const id of [[UUID, UUID], 'u'.repeat(257), 'uuid-ü']) {
      const verdict = await verifier.verify({
        body: BODY,
        headers: { 'x-gitlab-token': TOKEN, 'x-gitlab-event-uuid': id },
      });
      expectRefused(verdict);
    }
  });

  it('without a configured token, refuses everything with 403', async () => {
    const none = createWebhookVerifier({ scheme: 'gitlab' });
    const verdict = await none.verify({ body: BODY, headers: { 'x-gitlab-token': TOKEN } });
    expectRefused(verdict);
    expect(refusal(verdict).reason).toMatch(/no secret is configured/);
  });

  it('an empty token given as bytes is a TypeError at creation', () => {
    expect(() => createWebhookVerifier({ scheme: 'gitlab', secret: Buffer.alloc(0) })).toThrow(
      TypeError,
    );
  });
});

describe('gitlab: signing', () => {
  it('signWebhook emits X-Gitlab-Token and X-Gitlab-Event-UUID, and they verify', async () => {
    const headers = signWebhook(BODY, TOKEN, { scheme: 'gitlab' });
    expect(headers['X-Gitlab-Token']).toBe(TOKEN);
    expect(headers['X-Gitlab-Event-UUID']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const verifier = createWebhookVerifier({ scheme: 'gitlab', secret: TOKEN });
    const verdict = await verifier.verify({
      body: BODY,
      headers: {
        'x-gitlab-token': headers['X-Gitlab-Token'],
        'x-gitlab-event-uuid': headers['X-Gitlab-Event-UUID'],
      },
    });
    expect(verdict).toMatchObject({ ok: true, deliveryId: headers['X-Gitlab-Event-UUID'] });
  });

  it('signs with the given delivery id and the first token while rotating', () => {
    expect(signWebhook(BODY, [TOKEN, 'old'], { scheme: 'gitlab', deliveryId: UUID })).toEqual({
      'X-Gitlab-Token': TOKEN,
      'X-Gitlab-Event-UUID': UUID,
    });
  });
});

describe('gitlab: replay, keyed on X-Gitlab-Event-UUID', () => {
  const headers = (id?: string) => ({
    'x-gitlab-token': TOKEN,
    ...(id === undefined ? {} : { 'x-gitlab-event-uuid': id }),
  });

  it('is off by default', async () => {
    const verifier = createWebhookVerifier({ scheme: 'gitlab', secret: TOKEN });
    expect(verifier.replayProtected).toBe(false);
    expect((await verifier.verify({ body: BODY, headers: headers(UUID) })).ok).toBe(true);
    expect((await verifier.verify({ body: BODY, headers: headers(UUID) })).ok).toBe(true);
  });

  it('with replay: true, the same UUID twice is a 409 and another UUID passes', async () => {
    const verifier = createWebhookVerifier({ scheme: 'gitlab', secret: TOKEN, replay: true });
    expect((await verifier.verify({ body: BODY, headers: headers(UUID) })).ok).toBe(true);
    const again = await verifier.verify({ body: BODY, headers: headers(UUID) });
    expectRefused(again, 409);
    expect(refusal(again).error.code).toBe('replayed_delivery');
    expect((await verifier.verify({ body: BODY, headers: headers(`${UUID}-2`) })).ok).toBe(true);
  });

  it('with replay: true, a missing UUID is a 403 and a wrong token claims nothing', async () => {
    const verifier = createWebhookVerifier({ scheme: 'gitlab', secret: TOKEN, replay: true });
    const missing = await verifier.verify({ body: BODY, headers: headers() });
    expectRefused(missing);
    expect(refusal(missing).error.detail).toBe('Missing webhook id header.');
    expectRefused(
      await verifier.verify({
        body: BODY,
        headers: { 'x-gitlab-token': 'wrong', 'x-gitlab-event-uuid': UUID },
      }),
    );
    expect((await verifier.verify({ body: BODY, headers: headers(UUID) })).ok).toBe(true);
  });
});
