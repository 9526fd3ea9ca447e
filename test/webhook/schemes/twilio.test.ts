import { createHash, createHmac } from 'node:crypto';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { createWebhookVerifier, signWebhook } from 'bulwark';
import { expectRefused, refusal } from '../../helpers/webhook.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

type Params = Record<string, string | string[]>;

/** The body a form post carries for `params`, a repeated name once per value. */
function formBody(params: Params): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
  }
  return search.toString();
}

function sha256Hex(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

// The worked example shared by Twilio's helper libraries (twilio-php, twilio-csharp and
// twilio-python RequestValidator tests): auth token 12345, this URL and these parameters.
const DOC_TOKEN = '12345';
const DOC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const DOC_PARAMS: Params = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const DOC_JSON = '{"property": "value", "boolean": true}';
const DOC_JSON_HASH = '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620';

describe('twilio: the documented vectors', () => {
  const verifier = createWebhookVerifier({ scheme: 'twilio', secret: DOC_TOKEN });

  it('accepts the form-post vector RSOYDt4T1cUTdK1PDd93/VVr8B8=', async () => {
    const verdict = await verifier.verify({
      body: formBody(DOC_PARAMS),
      headers: { 'x-twilio-signature': 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', 'content-type': FORM },
      url: DOC_URL,
    });
    expect(verdict).toMatchObject({ ok: true, scheme: 'twilio', verified: true });
  });

  it('accepts the repeated-parameter vector (Digits=5678&Digits=1234&Digits=1234)', async () => {
    const body = 'Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234&Digits=1234';
    const verdict = await verifier.verify({
      body,
      headers: { 'x-twilio-signature': 'IK+Dwps556ElfBT0I3Rgjkr1wJU=', 'content-type': FORM },
      url: DOC_URL,
    });
    expect(verdict.ok).toBe(true);
  });

  it('accepts the JSON vector signed over the URL with bodySHA256', async () => {
    expect(sha256Hex(DOC_JSON)).toBe(DOC_JSON_HASH);
    const verdict = await verifier.verify({
      body: DOC_JSON,
      headers: { 'x-twilio-signature': 'a9nBmqA0ju/hNViExpshrM61xv4=', 'content-type': JSON_TYPE },
      url: `${DOC_URL}&bodySHA256=${DOC_JSON_HASH}`,
    });
    expect(verdict.ok).toBe(true);
  });

  it('refuses the form vector when one parameter changes', async () => {
    const verdict = await verifier.verify({
      body: formBody({ ...DOC_PARAMS, Digits: '9999' }),
      headers: { 'x-twilio-signature': 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', 'content-type': FORM },
      url: DOC_URL,
    });
    expectRefused(verdict);
  });
});

describe('twilio: form posts, interop with the twilio package', () => {
  const token = 'f3a7c1d9e2b84a6f0c5d7e9a1b3c5d7e';
  // Unicode, '+' (form-encoded as %2B), spaces (form-encoded as '+'), a repeated name
  // and empty values: each is a place where decoding or sorting could differ.
  const params: Params = {
    Body: 'Grüße + 🎉 from São Paulo',
    From: '+14155550100',
    To: ['+14155550101', '+14155550102'],
    Empty: '',
    MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1?x=1&y=2',
    'Name With Space': 'value with space',
    Zeta: ['b', 'a'],
  };
  const body = formBody(params);
  const headers = (signature: string) => ({
    'x-twilio-signature': signature,
    'content-type': `${FORM}; charset=utf-8`,
  });

  it('the body really carries the tricky encodings', () => {
    expect(body).toContain('%2B14155550100');
    expect(body).toContain('To=%2B14155550101&To=%2B14155550102');
    expect(body).toContain('Empty=&');
    expect(body).toContain('Name+With+Space=value+with+space');
  });

  it('verifies getExpectedTwilioSignature with publicUrl and a request target', async () => {
    const signature = twilio.getExpectedTwilioSignature(
      token,
      'https://example.com/sms?foo=bar',
      params,
    );
    const verifier = createWebhookVerifier({
      scheme: 'twilio',
      secret: token,
      publicUrl: 'https://example.com',
    });
    const verdict = await verifier.verify({
      body,
      headers: headers(signature),
      url: '/sms?foo=bar',
    });
    expect(verdict).toMatchObject({ ok: true, scheme: 'twilio', verified: true });
  });

  it('verifies getExpectedTwilioSignature with an absolute url (publicUrl is then unused)', async () => {
    const url = 'https://example.com/sms?foo=bar';
    const signature = twilio.getExpectedTwilioSignature(token, url, params);
    const plain = createWebhookVerifier({ scheme: 'twilio', secret: token });
    expect((await plain.verify({ body, headers: headers(signature), url })).ok).toBe(true);
    const withBase = createWebhookVerifier({
      scheme: 'twilio',
      secret: token,
      publicUrl: 'https://other.example.org',
    });
    expect((await withBase.verify({ body, headers: headers(signature), url })).ok).toBe(true);
  });

  it('joins a publicUrl with a path prefix and a trailing slash to the request target', async () => {
    const signature = twilio.getExpectedTwilioSignature(
      token,
      'https://example.com/hooks/sms?foo=bar',
      params,
    );
    const verifier = createWebhookVerifier({
      scheme: 'twilio',
      secret: token,
      publicUrl: 'https://example.com/hooks/',
    });
    const verdict = await verifier.verify({
      body,
      headers: headers(signature),
      url: '/sms?foo=bar',
    });
    expect(verdict.ok).toBe(true);
  });

  it('verifies whatever order the parameters arrive in (Twilio signs them sorted)', async () => {
    const url = 'https://example.com/sms';
    const signature = twilio.getExpectedTwilioSignature(token, url, params);
    const reversed = body.split('&').reverse().join('&');
    const verifier = createWebhookVerifier({ scheme: 'twilio', secret: token });
    expect((await verifier.verify({ body: reversed, headers: headers(signature), url })).ok).toBe(
      true,
    );
  });

  it('signs what validateRequest accepts', () => {
    const url = 'https://example.com/sms?foo=bar';
    const signed = signWebhook(body, token, { scheme: 'twilio', url });
    const signature = signed['X-Twilio-Signature'] ?? '';
    expect(twilio.validateRequest(token, signature, url, params)).toBe(true);
    expect(twilio.validateRequest(token, signature, url, { ...params, Empty: 'x' })).toBe(false);
    expect(signed['I-Twilio-Idempotency-Token']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('signs and verifies a body given as bytes', async () => {
    const url = 'https://example.com/sms';
    const bytes = Buffer.from(body, 'utf8');
    const signed = signWebhook(bytes, token, { scheme: 'twilio', url, deliveryId: 'idem-1' });
    const verifier = createWebhookVerifier({ scheme: 'twilio', secret: token });
    const verdict = await verifier.verify({
      body: bytes,
      headers: {
        'x-twilio-signature': signed['X-Twilio-Signature'],
        'i-twilio-idempotency-token': signed['I-Twilio-Idempotency-Token'],
        'content-type': FORM,
      },
      url,
    });
    expect(verdict).toMatchObject({ ok: true, deliveryId: 'idem-1' });
  });

  it('refuses a changed parameter value, an added parameter and a dropped repeat', async () => {
    const url = 'https://example.com/sms';
    const signature = twilio.getExpectedTwilioSignature(token, url, params);
    const verifier = createWebhookVerifier({ scheme: 'twilio', secret: token });
    for (const tampered of [
      formBody({ ...params, Body: 'Grüße + 🎉 from Rio' }),
      `${body}&Extra=1`,
      formBody({ ...params, To: '+14155550101' }),
    ]) {
      expectRefused(await verifier.verify({ body: tampered, headers: headers(signature), url }));
    }
  });
});

describe('twilio: JSON bodies bound by bodySHA256', () => {
  const token = 'json-auth-token-0123456789abcdef';
  const body = JSON.stringify({ event: 'com.twilio.messaging.inbound', text: 'héllo ✓' });
  const url = `https://example.com/events?source=studio&bodySHA256=${sha256Hex(body)}`;
  const verifier = createWebhookVerifier({ scheme: 'twilio', secret: token });

  it('signs what validateRequestWithBody accepts', () => {
    const signed = signWebhook(body, token, { scheme: 'twilio', url, contentType: JSON_TYPE });
    const signature = signed['X-Twilio-Signature'] ?? '';
    expect(twilio.validateRequestWithBody(token, signature, url, body)).toBe(true);
    expect(twilio.validateRequestWithBody(token, signature, url, `${body} `)).toBe(false);
  });

  it('verifies getExpectedTwilioSignature over the URL with the hash', async () => {
    const signature = twilio.getExpectedTwilioSignature(token, url, {});
    const verdict = await verifier.verify({
      body,
      headers: { 'x-twilio-signature': signature, 'content-type': JSON_TYPE },
      url,
    });
    expect(verdict.ok).toBe(true);
  });

  it('verifies it through publicUrl and the request target too', async () => {
    const signature = twilio.getExpectedTwilioSignature(token, url, {});
    const viaBase = createWebhookVerifier({
      scheme: 'twilio',
      secret: token,
      publicUrl: 'https://example.com',
    });
    const target = url.slice('https://example.com'.length);
    const verdict = await viaBase.verify({
      body: Buffer.from(body),
      headers: { 'x-twilio-signature': signature, 'content-type': JSON_TYPE },
      url: target,
    });
    expect(verdict.ok).toBe(true);
  });

  it('refuses a changed body under the same signed URL, naming bodySHA256', async () => {
    // The URL (and so the signature) is unchanged: only the hash binds the body.
    const signature = twilio.getExpectedTwilioSignature(token, url, {});
    const verdict = await verifier.verify({
      body: body.replace('héllo', 'hijacked'),
      headers: { 'x-twilio-signature': signature, 'content-type': JSON_TYPE },
      url,
    });
    expectRefused(verdict);
    expect(refusal(verdict).reason).toMatch(/bodySHA256/);
  });

  it('signWebhook refuses a JSON body whose url has no bodySHA256, naming the URL to post to', () => {
    const bare = 'https://example.com/events?source=studio';
    expect(() =>
      signWebhook(body, token, { scheme: 'twilio', url: bare, contentType: JSON_TYPE }),
    ).toThrow(TypeError);
    expect(() =>
      signWebhook(body, token, { scheme: 'twilio', url: bare, contentType: JSON_TYPE }),
    ).toThrow(`post to ${bare}&bodySHA256=${sha256Hex(body)}`);
  });

  it('signWebhook refuses a missing or relative url', () => {
    expect(() => signWebhook('a=b', token, { scheme: 'twilio' })).toThrow(/url: 'https:/);
    expect(() => signWebhook('a=b', token, { scheme: 'twilio', url: '/sms' })).toThrow(TypeError);
  });
});

describe('twilio: the standard port, with or without', () => {
  const token = 'port-token';
  const params: Params = { From: '+14155550100', Body: 'hi' };
  const body = formBody(params);
  const headers = (signature: string) => ({
    'x-twilio-signature': signature,
    'content-type': FORM,
  });

  it('accepts a signature over :443 when publicUrl has no port, as validateRequest does', async () => {
    const signature = twilio.getExpectedTwilioSignature(
      token,
      'https://example.com:443/sms',
      params,
    );
    expect(twilio.validateRequest(token, signature, 'https://example.com/sms', params)).toBe(true);
    const verifier = createWebhookVerifier({
      scheme: 'twilio',
      secret: token,
      publicUrl: 'https://example.com',
    });
    expect((await verifier.verify({ body, headers: headers(signature), url: '/sms' })).ok).toBe(
      true,
    );
  });

  it('accepts a signature without the port when publicUrl has :443', async () => {
    const signature = twilio.getExpectedTwilioSignature(token, 'https://example.com/sms', params);
    expect(twilio.validateRequest(token, signature, 'https://example.com:443/sms', params)).toBe(
      true,
    );
    const verifier = createWebhookVerifier({
      scheme: 'twilio',
      secret: token,
      publicUrl: 'https://example.com:443',
    });
    expect((await verifier.verify({ body, headers: headers(signature), url: '/sms' })).ok).toBe(
      true,
    );
  });

  it('accepts :80 for http, and never a different port', async () => {
    const verifier = createWebhookVerifier({
      scheme: 'twilio',
      secret: token,
      publicUrl: 'http://example.com',
    });
    const port80 = twilio.getExpectedTwilioSignature(token, 'http://example.com:80/sms', params);
    expect((await verifier.verify({ body, headers: headers(port80), url: '/sms' })).ok).toBe(true);
    const port8443 = twilio.getExpectedTwilioSignature(
      token,
      'http://example.com:8443/sms',
      params,
    );
    expectRefused(await verifier.verify({ body, headers: headers(port8443), url: '/sms' }));
  });
});

describe('twilio: HMAC-SHA256 named by X-Twilio-Webhooks-Signature-Settings', () => {
  const token = 'webhooks_sharedkey_secret_value';
  const url = 'https://example.com/sms';
  const params: Params = { From: '+14155550100', Body: 'sha256 please' };
  const body = formBody(params);
  const verifier = createWebhookVerifier({ scheme: 'twilio', secret: token });
  const sha256 = twilio.getExpectedTwilioSignature(token, url, params, twilio.HMAC_SHA256);

  it('twilio computes a 32-byte HMAC-SHA256 for that algorithm', () => {
    const text = `${url}Bodysha256 pleaseFrom+14155550100`;
    expect(sha256).toBe(createHmac('sha256', token).update(text).digest('base64'));
  });

  it('accepts it when the settings header names HMAC_SHA256', async () => {
    const verdict = await verifier.verify({
      body,
      headers: {
        'x-twilio-signature': sha256,
        'x-twilio-webhooks-signature-settings': 'key=webhooks_sharedkey_1,algorithm=HMAC_SHA256',
        'content-type': FORM,
      },
      url,
    });
    expect(verdict.ok).toBe(true);
  });

  it('refuses it without the settings header (HMAC-SHA1 is the default)', async () => {
    expectRefused(
      await verifier.verify({
        body,
        headers: { 'x-twilio-signature': sha256, 'content-type': FORM },
        url,
      }),
    );
  });

  it('refuses an HMAC-SHA1 signature when the settings header names HMAC_SHA256', async () => {
    const sha1 = twilio.getExpectedTwilioSignature(token, url, params);
    expectRefused(
      await verifier.verify({
        body,
        headers: {
          'x-twilio-signature': sha1,
          'x-twilio-webhooks-signature-settings': 'algorithm=HMAC_SHA256',
          'content-type': FORM,
        },
        url,
      }),
    );
  });

  it('refuses an unknown algorithm with 403, as validateRequest does', async () => {
    for (const settings of ['algorithm=HMAC_SHA512', 'algorithm=MD5', 'key=k,algorithm=sha256']) {
      const verdict = await verifier.verify({
        body,
        headers: {
          'x-twilio-signature': sha256,
          'x-twilio-webhooks-signature-settings': settings,
          'content-type': FORM,
        },
        url,
      });
      expectRefused(verdict);
      expect(refusal(verdict).reason).toMatch(/unknown algorithm/);
    }
  });
});

describe('twilio: creation', () => {
  it.each([
    ['a query', 'https://example.com?x=1'],
    ['a fragment', 'https://example.com#top'],
    ['a non-http scheme', 'ftp://example.com'],
    ['no scheme', 'example.com'],
    ['not a URL', 'https://'],
    ['a request target', '/sms'],
  ])('refuses a publicUrl with %s, saying what to write', (_label, publicUrl) => {
    expect(() => createWebhookVerifier({ scheme: 'twilio', secret: 't', publicUrl })).toThrow(
      TypeError,
    );
    expect(() => createWebhookVerifier({ scheme: 'twilio', secret: 't', publicUrl })).toThrow(
      /publicUrl: .*write the scheme and host Twilio posts to, such as 'https:\/\/api\.example\.com'/,
    );
  });

  it.each(['github', 'shopify', 'gitlab', 'stripe'] as const)(
    'refuses publicUrl for %s, which does not sign the URL',
    (scheme) => {
      expect(() =>
        createWebhookVerifier({ scheme, secret: 's', publicUrl: 'https://example.com' }),
      ).toThrow(/publicUrl: .* does not sign the URL; remove publicUrl/);
    },
  );

  it('without publicUrl, a request target is a 403 saying the public URL is unknown', async () => {
    const verifier = createWebhookVerifier({ scheme: 'twilio', secret: 't' });
    const signature = twilio.getExpectedTwilioSignature('t', 'https://example.com/sms', {});
    for (const url of ['/sms', undefined]) {
      const verdict = await verifier.verify({
        body: '',
        headers: { 'x-twilio-signature': signature, 'content-type': FORM },
        ...(url === undefined ? {} : { url }),
      });
      expectRefused(verdict);
      expect(refusal(verdict).reason).toMatch(/public URL .*unknown.*publicUrl/);
    }
  });
});

describe('twilio: the public URL must be the one Twilio requested', () => {
  // Behind a proxy the app sees http://localhost:3000; Twilio signed the public URL. A
  // verifier configured with the local address refuses every genuine delivery, which is
  // why the URL is configured and never read from Host or forwarding headers.
  const token = 'proxy-token';
  const params: Params = { From: '+14155550100', Body: 'behind a proxy' };
  const body = formBody(params);
  const signature = twilio.getExpectedTwilioSignature(token, 'https://api.example.com/sms', params);
  const headers = { 'x-twilio-signature': signature, 'content-type': FORM };

  it('refuses with the local address', async () => {
    const local = createWebhookVerifier({
      scheme: 'twilio',
      secret: token,
      publicUrl: 'http://localhost:3000',
    });
    expectRefused(await local.verify({ body, headers, url: '/sms' }));
  });

  it('accepts with the public address', async () => {
    const publicVerifier = createWebhookVerifier({
      scheme: 'twilio',
      secret: token,
      publicUrl: 'https://api.example.com',
    });
    expect((await publicVerifier.verify({ body, headers, url: '/sms' })).ok).toBe(true);
  });
});

describe('twilio: replay, keyed on I-Twilio-Idempotency-Token', () => {
  const token = 'replay-token';
  const url = 'https://example.com/sms';
  const body = formBody({ Body: 'once' });
  const signature = twilio.getExpectedTwilioSignature(token, url, { Body: 'once' });
  const headers = (id?: string) => ({
    'x-twilio-signature': signature,
    'content-type': FORM,
    ...(id === undefined ? {} : { 'i-twilio-idempotency-token': id }),
  });

  it('is off by default (no signed timestamp)', async () => {
    const verifier = createWebhookVerifier({ scheme: 'twilio', secret: token });
    expect(verifier.replayProtected).toBe(false);
    expect((await verifier.verify({ body, headers: headers('a'), url })).ok).toBe(true);
    expect((await verifier.verify({ body, headers: headers('a'), url })).ok).toBe(true);
  });

  it('with replay: true, refuses a second delivery with the same token and 403s a missing one', async () => {
    const verifier = createWebhookVerifier({ scheme: 'twilio', secret: token, replay: true });
    expect((await verifier.verify({ body, headers: headers('idem-1'), url })).ok).toBe(true);
    expectRefused(await verifier.verify({ body, headers: headers('idem-1'), url }), 409);
    expect((await verifier.verify({ body, headers: headers('idem-2'), url })).ok).toBe(true);
    const missing = await verifier.verify({ body, headers: headers(), url });
    expectRefused(missing);
    expect(refusal(missing).error.detail).toBe('Missing webhook id header.');
  });
});

describe('twilio: malformed headers are 403 verdicts, never throws', () => {
  const token = 'robust-token';
  const url = 'https://example.com/sms';
  const params: Params = { Body: 'x' };
  const body = formBody(params);
  const good = twilio.getExpectedTwilioSignature(token, url, params);
  const verifier = createWebhookVerifier({ scheme: 'twilio', secret: token });
  const rawSha1 = createHmac('sha1', token).update(`${url}Bodyx`).digest();

  it('the untouched signature passes (the cases below differ only in the header)', async () => {
    expect(
      (
        await verifier.verify({
          body,
          headers: { 'x-twilio-signature': good, 'content-type': FORM },
          url,
        })
      ).ok,
    ).toBe(true);
  });

  it.each<[string, string | string[]]>([
    ['empty', ''],
    ['whitespace only', '   '],
    ['truncated', good.slice(0, -2)],
    ['over-long', good.repeat(200).slice(0, 4097)],
    ['hex instead of base64', rawSha1.toString('hex')],
    ['URL-safe base64', rawSha1.toString('base64url')],
    ['repeated', [good, good]],
    ['non-ASCII', `${good.slice(0, -2)}é=`],
    ['a control character', `${good.slice(0, -2)}\u0000=`],
  ])('%s', async (_label, value) => {
    const verdict = await verifier.verify({
      body,
      headers: { 'x-twilio-signature': value, 'content-type': FORM },
      url,
    });
    expectRefused(verdict);
  });

  it('a missing header is a 403 signature_missing', async () => {
    const verdict = await verifier.verify({ body, headers: { 'content-type': FORM }, url });
    expectRefused(verdict);
    expect(refusal(verdict).error.code).toBe('signature_missing');
  });

  it('a bad idempotency token or settings header is a 403', async () => {
    for (const extra of [
      { 'i-twilio-idempotency-token': ['a', 'b'] },
      { 'i-twilio-idempotency-token': 'x'.repeat(257) },
      { 'i-twilio-idempotency-token': 'idé' },
      { 'x-twilio-webhooks-signature-settings': ['algorithm=HMAC_SHA1', 'algorithm=HMAC_SHA1'] },
    ]) {
      const verdict = await verifier.verify({
        body,
        headers: { 'x-twilio-signature': good, 'content-type': FORM, ...extra },
        url,
      });
      expectRefused(verdict);
    }
  });
});
