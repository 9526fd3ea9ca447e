import { createHmac, createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook } from 'bulwark';

// RFC 8410: the PKCS #8 header around a raw 32-byte Ed25519 seed.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SEED = Buffer.alloc(32, 7);
const PUBLIC_KEY = createPublicKey(
  createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, SEED]), format: 'der', type: 'pkcs8' }),
);

describe('signWebhook', () => {
  const body = '{"a":1}';

  it('signs mission-control as X-Webhook-Signature, or the named header', () => {
    const hex = createHmac('sha256', 'k').update(body).digest('hex');
    expect(signWebhook(body, 'k')).toEqual({ 'X-Webhook-Signature': `sha256=${hex}` });
    expect(signWebhook(body, 'k', { headerName: 'X-Board-Sig' })).toEqual({
      'X-Board-Sig': `sha256=${hex}`,
    });
  });

  it('gives the documented headers per scheme', () => {
    const parts = { timestamp: 1_700_000_000, deliveryId: 'msg_1' };
    expect(Object.keys(signWebhook(body, 'k', { scheme: 'github', ...parts }))).toEqual([
      'X-Hub-Signature-256',
      'X-GitHub-Delivery',
    ]);
    const sw = signWebhook(body, 'whsec_aGVsbG8=', { scheme: 'standard-webhooks', ...parts });
    expect(sw['webhook-id']).toBe('msg_1');
    expect(sw['webhook-timestamp']).toBe('1700000000');
    expect(sw['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(signWebhook(body, 'k', { scheme: 'stripe', ...parts })['Stripe-Signature']).toMatch(
      /^t=1700000000,v1=[0-9a-f]{64}$/,
    );
    const slack = signWebhook(body, 'k', { scheme: 'slack', ...parts });
    expect(slack['X-Slack-Request-Timestamp']).toBe('1700000000');
    expect(slack['X-Slack-Signature']).toMatch(/^v0=[0-9a-f]{64}$/);
  });

  it('signs once per secret where the scheme carries several signatures', () => {
    const sw = signWebhook(body, ['whsec_aGVsbG8=', 'whsec_d29ybGQ='], {
      scheme: 'standard-webhooks',
    });
    expect(sw['webhook-signature']?.split(' ')).toHaveLength(2);
    const stripe = signWebhook(body, ['a', 'b'], { scheme: 'stripe' });
    expect(stripe['Stripe-Signature']?.match(/v1=/g)).toHaveLength(2);
  });

  it('signs discord with Ed25519 over timestamp + body, from the hex seed', () => {
    const headers = signWebhook(body, SEED.toString('hex'), {
      scheme: 'discord',
      timestamp: 1_700_000_000,
    });
    expect(Object.keys(headers)).toEqual(['X-Signature-Timestamp', 'X-Signature-Ed25519']);
    expect(headers['X-Signature-Timestamp']).toBe('1700000000');
    const signature = headers['X-Signature-Ed25519'] ?? '';
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    const signed = Buffer.from(`1700000000${body}`);
    expect(verify(null, signed, PUBLIC_KEY, Buffer.from(signature, 'hex'))).toBe(true);
  });

  it.each([
    ['not hex', 'z'.repeat(64)],
    ['too short', SEED.toString('hex').slice(2)],
    ['a base64 key', SEED.toString('base64')],
  ])('throws a TypeError for a discord key that is %s', (_what, key) => {
    expect(() => signWebhook(body, key, { scheme: 'discord' })).toThrow(TypeError);
    expect(() => signWebhook(body, key, { scheme: 'discord' })).toThrow(/64 hex digits/);
  });

  it('signs standard-webhooks v1a with a whsk_ Ed25519 seed', () => {
    const headers = signWebhook(body, `whsk_${SEED.toString('base64')}`, {
      scheme: 'standard-webhooks',
      timestamp: 1_700_000_000,
      deliveryId: 'msg_1',
    });
    const signature = headers['webhook-signature'] ?? '';
    expect(signature).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    const signed = Buffer.from(`msg_1.1700000000.${body}`);
    expect(verify(null, signed, PUBLIC_KEY, Buffer.from(signature.slice(4), 'base64'))).toBe(true);
  });

  it('signs shopify as base64 HMAC-SHA256 of the body, with the webhook id', () => {
    const headers = signWebhook(body, 'k', { scheme: 'shopify', deliveryId: 'wh_1' });
    expect(headers).toEqual({
      'X-Shopify-Hmac-Sha256': createHmac('sha256', 'k').update(body).digest('base64'),
      'X-Shopify-Webhook-Id': 'wh_1',
    });
  });

  it('signs twilio over the URL and the sorted form parameters', () => {
    const url = 'https://example.com/sms?x=1';
    const form = 'To=%2B15551234567&Body=hi+there&From=%2B15557654321';
    const headers = signWebhook(form, 'k', { scheme: 'twilio', url, deliveryId: 'tok' });
    // Twilio's documented algorithm: the full URL, then each name and value sorted by name.
    const text = `${url}Bodyhi thereFrom+15557654321To+15551234567`;
    expect(headers).toEqual({
      'X-Twilio-Signature': createHmac('sha1', 'k').update(text).digest('base64'),
      'I-Twilio-Idempotency-Token': 'tok',
    });
  });

  it('throws a TypeError for twilio without an absolute url, or a JSON body without its hash', () => {
    expect(() => signWebhook('a=1', 'k', { scheme: 'twilio' })).toThrow(TypeError);
    expect(() => signWebhook('a=1', 'k', { scheme: 'twilio' })).toThrow(/url/);
    expect(() => signWebhook('a=1', 'k', { scheme: 'twilio', url: '/sms' })).toThrow(TypeError);
    expect(() =>
      signWebhook(body, 'k', {
        scheme: 'twilio',
        url: 'https://example.com/hook',
        contentType: 'application/json',
      }),
    ).toThrow(/bodySHA256=/);
  });

  it('signs gitlab as the token itself with the event UUID', () => {
    expect(signWebhook(body, 'tok-en', { scheme: 'gitlab', deliveryId: 'u1' })).toEqual({
      'X-Gitlab-Token': 'tok-en',
      'X-Gitlab-Event-UUID': 'u1',
    });
    const id = signWebhook(body, 'tok-en', { scheme: 'gitlab' })['X-Gitlab-Event-UUID'];
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('throws a TypeError without a secret or with a bad timestamp', () => {
    expect(() => signWebhook(body, undefined)).toThrow(/no secret/);
    expect(() => signWebhook(body, 'k', { scheme: 'stripe', timestamp: 1.5 })).toThrow(
      /Unix seconds/,
    );
  });
});
