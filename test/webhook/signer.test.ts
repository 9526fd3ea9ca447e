import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook } from 'bulwark';

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

  it('throws a TypeError without a secret or with a bad timestamp', () => {
    expect(() => signWebhook(body, undefined)).toThrow(/no secret/);
    expect(() => signWebhook(body, 'k', { scheme: 'stripe', timestamp: 1.5 })).toThrow(
      /Unix seconds/,
    );
  });
});
