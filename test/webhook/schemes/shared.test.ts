import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWebhookVerifier } from 'bulwark';
import { base64Digest, hexDigest } from '../../../src/webhook/schemes/shared.js';

const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 255));
const hex = bytes.toString('hex');
const b64 = bytes.toString('base64');

describe('hexDigest', () => {
  it('decodes 64 hex digits of either case', () => {
    expect(hexDigest(hex)).toEqual(bytes);
    expect(hexDigest(hex.toUpperCase())).toEqual(bytes);
  });

  it.each([
    ['one short', hex.slice(1)],
    ['one long', `${hex}0`],
    ['a non-hex digit first', `g${hex.slice(1)}`],
    ['a non-hex digit last', `${hex.slice(0, 63)}z`],
    ['a space inside', `${hex.slice(0, 30)} ${hex.slice(31)}`],
    ['a sign', `+${hex.slice(1)}`],
    ['empty', ''],
  ])('refuses %s', (_label, text) => {
    expect(hexDigest(text)).toBeUndefined();
  });
});

describe('base64Digest', () => {
  it('decodes 43 base64 characters and one =', () => {
    expect(b64).toHaveLength(44);
    expect(base64Digest(b64)).toEqual(bytes);
  });

  it.each([
    ['URL-safe -', `${b64.slice(0, 10)}-${b64.slice(11)}`],
    ['URL-safe _', `${b64.slice(0, 10)}_${b64.slice(11)}`],
    ['a character outside the alphabet', `${b64.slice(0, 10)}.${b64.slice(11)}`],
    ['a tab inside', `${b64.slice(0, 10)}\t${b64.slice(11)}`],
    ['padding inside', `${b64.slice(0, 10)}=${b64.slice(11)}`],
    ['two padding characters', `${b64.slice(0, 42)}==`],
    ['no padding', `${b64.slice(0, 43)}A`],
    ['one short', b64.slice(1)],
    ['empty', ''],
  ])('refuses %s', (_label, text) => {
    expect(base64Digest(text)).toBeUndefined();
  });
});

describe('signed prefixes come from the header text as sent', () => {
  it('a Standard Webhooks timestamp with leading zeros is verified as signed', () => {
    const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    const now = 1_700_000_000;
    const ts = `00${now}`;
    const body = Buffer.from('{"a":1}');
    const sig = createHmac('sha256', key).update(`msg_1.${ts}.`).update(body).digest('base64');
    const verifier = createWebhookVerifier({
      scheme: 'standard-webhooks',
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      replay: false,
      now: () => now * 1000,
    });
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': ts,
      'webhook-signature': `v1,${sig}`,
    };
    expect(verifier.verifySignature({ body, headers })).toMatchObject({ ok: true, timestamp: now });
  });
});
