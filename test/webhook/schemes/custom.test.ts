import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWebhookVerifier, signWebhook } from 'bulwark';
import type { CustomWebhookScheme } from 'bulwark';
import { expectRefused, refusal } from '../../helpers/webhook.js';

const NOW = 1_717_000_000;
const now = () => NOW * 1000;
const BODY = '{"event":"meeting.started","payload":{"topic":"Ünïcode ✓"}}';

// Zoom's "Verify webhook events" docs: x-zm-signature is 'v0=' and the hex HMAC-SHA256 of
// 'v0:{x-zm-request-timestamp}:{raw body}', keyed with the app's secret token.
const ZOOM: CustomWebhookScheme = {
  name: 'zoom',
  signatureHeader: 'x-zm-signature',
  signaturePrefix: 'v0=',
  signed: 'v0:{timestamp}:{body}',
  timestampHeader: 'x-zm-request-timestamp',
};
const ZOOM_SECRET = 'zoom-secret-token-0123';

// Linear's webhook docs: Linear-Signature is the hex HMAC-SHA256 of the raw body.
const LINEAR: CustomWebhookScheme = { name: 'linear', signatureHeader: 'linear-signature' };
const LINEAR_SECRET = 'lin_wh_5f2c9d7e1a3b';

// A sender of the Standard Webhooks family with SHA-512 and a base64 key: id, timestamp
// and body joined by dots. Header names are written in the sender's casing on purpose.
const ACME: CustomWebhookScheme = {
  name: 'acme-events',
  algorithm: 'sha512',
  encoding: 'base64',
  signatureHeader: 'X-Acme-Signature',
  signed: '{id}.{timestamp}.{body}',
  idHeader: 'X-Acme-Id',
  timestampHeader: 'X-Acme-Timestamp',
  secretEncoding: 'base64',
};
const ACME_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 29 + 7) & 255));
const ACME_SECRET = ACME_KEY.toString('base64');

// Text signed after the body: the suffix must be hashed after the bytes, not dropped.
const SUFFIXED: CustomWebhookScheme = {
  name: 'suffixed',
  signatureHeader: 'x-suffixed-signature',
  signed: '{body}:end',
};

describe('custom: Zoom', () => {
  const verifier = createWebhookVerifier({ scheme: ZOOM, secret: ZOOM_SECRET, now });
  const expected = `v0=${createHmac('sha256', ZOOM_SECRET).update(`v0:${NOW}:${BODY}`).digest('hex')}`;

  it('signWebhook writes what node:crypto computes from the docs', () => {
    expect(signWebhook(BODY, ZOOM_SECRET, { scheme: ZOOM, timestamp: NOW })).toEqual({
      'x-zm-signature': expected,
      'x-zm-request-timestamp': String(NOW),
    });
  });

  it('verifies the independent computation, with the custom name and the timestamp', async () => {
    const verdict = await verifier.verify({
      body: Buffer.from(BODY),
      headers: { 'x-zm-signature': expected, 'x-zm-request-timestamp': String(NOW) },
    });
    expect(verdict).toEqual({
      ok: true,
      scheme: 'zoom',
      verified: true,
      deliveryId: undefined,
      timestamp: NOW,
    });
    expect(verifier.scheme).toBe('zoom');
  });

  it('refuses a changed timestamp header, a changed body and a stale timestamp', async () => {
    expectRefused(
      await verifier.verify({
        body: BODY,
        headers: { 'x-zm-signature': expected, 'x-zm-request-timestamp': String(NOW - 1) },
      }),
    );
    expectRefused(
      await verifier.verify({
        body: `${BODY} `,
        headers: { 'x-zm-signature': expected, 'x-zm-request-timestamp': String(NOW) },
      }),
    );
    const old = NOW - 301;
    const stale = await verifier.verify({
      body: BODY,
      headers: signWebhook(BODY, ZOOM_SECRET, { scheme: ZOOM, timestamp: old }),
    });
    expectRefused(stale);
    expect(refusal(stale).error.code).toBe('timestamp_out_of_range');
  });
});

describe('custom: Linear', () => {
  const verifier = createWebhookVerifier({ scheme: LINEAR, secret: LINEAR_SECRET });
  const expected = createHmac('sha256', LINEAR_SECRET).update(BODY).digest('hex');

  it('signWebhook writes the hex HMAC-SHA256 of the body and nothing else', () => {
    expect(signWebhook(BODY, LINEAR_SECRET, { scheme: LINEAR })).toEqual({
      'linear-signature': expected,
    });
  });

  it('verifies the independent computation, in either hex case', async () => {
    for (const value of [expected, expected.toUpperCase()]) {
      const verdict = await verifier.verify({ body: BODY, headers: { 'linear-signature': value } });
      expect(verdict).toMatchObject({ ok: true, scheme: 'linear', timestamp: undefined });
    }
  });

  it('refuses another secret and a changed body', async () => {
    const other = createHmac('sha256', 'other').update(BODY).digest('hex');
    expectRefused(await verifier.verify({ body: BODY, headers: { 'linear-signature': other } }));
    expectRefused(
      await verifier.verify({ body: `${BODY}\n`, headers: { 'linear-signature': expected } }),
    );
  });
});

describe('custom: base64 HMAC-SHA512 over {id}.{timestamp}.{body}', () => {
  const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f1W';
  const expected = createHmac('sha512', ACME_KEY).update(`${id}.${NOW}.${BODY}`).digest('base64');

  it('signWebhook writes the sender-cased headers node:crypto predicts', () => {
    expect(
      signWebhook(BODY, ACME_SECRET, { scheme: ACME, timestamp: NOW, deliveryId: id }),
    ).toEqual({ 'X-Acme-Signature': expected, 'X-Acme-Timestamp': String(NOW), 'X-Acme-Id': id });
  });

  it('verifies the independent computation with Node-style lower-case header names', async () => {
    const verifier = createWebhookVerifier({ scheme: ACME, secret: ACME_SECRET, now });
    const verdict = await verifier.verify({
      body: BODY,
      headers: {
        'x-acme-signature': expected,
        'x-acme-timestamp': String(NOW),
        'x-acme-id': id,
      },
    });
    expect(verdict).toEqual({
      ok: true,
      scheme: 'acme-events',
      verified: true,
      deliveryId: id,
      timestamp: NOW,
    });
  });

  it('accepts the raw key bytes as a Buffer secret too', async () => {
    const verifier = createWebhookVerifier({ scheme: ACME, secret: ACME_KEY, now });
    const headers = signWebhook(BODY, ACME_SECRET, { scheme: ACME, timestamp: NOW });
    expect((await verifier.verify({ body: BODY, headers })).ok).toBe(true);
  });

  it('refuses the signature under another id (the id is signed)', async () => {
    const verifier = createWebhookVerifier({ scheme: ACME, secret: ACME_SECRET, now });
    const verdict = await verifier.verify({
      body: BODY,
      headers: { 'x-acme-signature': expected, 'x-acme-timestamp': String(NOW), 'x-acme-id': 'x' },
    });
    expectRefused(verdict);
  });

  it('refuses a SHA-256 digest in its place', async () => {
    const verifier = createWebhookVerifier({ scheme: ACME, secret: ACME_SECRET, now });
    const short = createHmac('sha256', ACME_KEY).update(`${id}.${NOW}.${BODY}`).digest('base64');
    const verdict = await verifier.verify({
      body: BODY,
      headers: { 'x-acme-signature': short, 'x-acme-timestamp': String(NOW), 'x-acme-id': id },
    });
    expectRefused(verdict);
  });
});

describe('custom: text signed after the body', () => {
  const secret = 'suffix-secret';
  const verifier = createWebhookVerifier({ scheme: SUFFIXED, secret });
  const expected = createHmac('sha256', secret).update(`${BODY}:end`).digest('hex');
  const bodyOnly = createHmac('sha256', secret).update(BODY).digest('hex');

  it('signWebhook hashes the suffix after the body', () => {
    expect(signWebhook(BODY, secret, { scheme: SUFFIXED })).toEqual({
      'x-suffixed-signature': expected,
    });
  });

  it('verifies it, and refuses a digest of the body alone', async () => {
    const ok = await verifier.verify({ body: BODY, headers: { 'x-suffixed-signature': expected } });
    expect(ok).toMatchObject({ ok: true, scheme: 'suffixed' });
    expectRefused(
      await verifier.verify({ body: BODY, headers: { 'x-suffixed-signature': bodyOnly } }),
    );
  });

  it('refuses a body that moved its own ":end" into the template', async () => {
    // Signed text is body + ':end': a body ending in ':end' with the suffix dropped must
    // not pass as a different body with the same bytes.
    const verdict = await verifier.verify({
      body: `${BODY}:end`,
      headers: { 'x-suffixed-signature': expected },
    });
    expectRefused(verdict);
  });
});

describe('custom: secretEncoding', () => {
  it('reads a hex secret as bytes', async () => {
    const key = Buffer.from('00ff10ab', 'hex');
    const scheme: CustomWebhookScheme = { ...LINEAR, name: 'hexkey', secretEncoding: 'hex' };
    const verifier = createWebhookVerifier({ scheme, secret: '00ff10ab' });
    const signature = createHmac('sha256', key).update(BODY).digest('hex');
    expect(
      (await verifier.verify({ body: BODY, headers: { 'linear-signature': signature } })).ok,
    ).toBe(true);
  });

  it('reads a utf8 secret (the default) as its text', async () => {
    const verifier = createWebhookVerifier({ scheme: LINEAR, secret: '00ff10ab' });
    const signature = createHmac('sha256', '00ff10ab').update(BODY).digest('hex');
    expect(
      (await verifier.verify({ body: BODY, headers: { 'linear-signature': signature } })).ok,
    ).toBe(true);
  });
});

describe('custom: validation at creation', () => {
  const create = (spec: Record<string, unknown>, secret = 'a-secret') =>
    createWebhookVerifier({ scheme: spec as unknown as CustomWebhookScheme, secret });
  const base = { name: 'custom', signatureHeader: 'x-signature' };

  it('the base description is valid', () => {
    expect(create(base).scheme).toBe('custom');
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a missing name',
      { signatureHeader: 'x-signature' },
      /scheme name: undefined is not a name; write lower-case letters, digits and dashes, such as 'zoom'/,
    ],
    ['a bad name', { ...base, name: 'Zoom!' }, /name: "Zoom!" is not a name; write lower-case/],
    ['an upper-case name', { ...base, name: 'Zoom' }, /name: "Zoom" is not a name/],
    [
      'an unknown option',
      { ...base, header: 'x-sig' },
      /header: is not an option of a custom scheme; use name, algorithm/,
    ],
    [
      'algorithm md5',
      { ...base, algorithm: 'md5' },
      /algorithm: "md5" is not supported; write one of sha256, sha1, sha512/,
    ],
    [
      'an unknown encoding',
      { ...base, encoding: 'base64url' },
      /encoding: "base64url" is not supported; write one of hex, base64/,
    ],
    [
      'an unknown secretEncoding',
      { ...base, secretEncoding: 'latin1' },
      /secretEncoding: "latin1" is not supported; write one of utf8, base64, hex/,
    ],
    [
      'a missing signatureHeader',
      { name: 'custom' },
      /signatureHeader: is missing; write the header the sender signs into, such as 'x-zm-signature'/,
    ],
    [
      'a signatureHeader that is not a string',
      { name: 'custom', signatureHeader: 5 },
      /signatureHeader: is not a string; write a header name/,
    ],
    [
      'an invalid header name',
      { ...base, signatureHeader: 'x signature' },
      /signatureHeader: "x signature" is not a valid HTTP header name; write a name such as 'x-signature'/,
    ],
    [
      'an invalid idHeader',
      { ...base, idHeader: 'x-id:' },
      /idHeader: "x-id:" is not a valid HTTP header name/,
    ],
    [
      '{body} missing',
      { ...base, signed: 'v0:{timestamp}', timestampHeader: 'x-ts' },
      /signed: has \{body\} 0 times; write it exactly once, such as '\{timestamp\}.\{body\}'/,
    ],
    [
      '{body} twice',
      { ...base, signed: '{body}.{body}' },
      /signed: has \{body\} 2 times; write it exactly once/,
    ],
    [
      '{id} without idHeader',
      { ...base, signed: '{id}.{body}' },
      /signed: uses \{id\} but no idHeader is set; set idHeader: 'x-webhook-id'/,
    ],
    [
      '{timestamp} without timestampHeader',
      { ...base, signed: '{timestamp}.{body}' },
      /signed: uses \{timestamp\} but no timestampHeader is set; set timestampHeader: 'x-webhook-timestamp'/,
    ],
    [
      'an unknown placeholder',
      { ...base, signed: '{foo}.{body}' },
      /signed: \{foo\} is not a placeholder; use \{id\}, \{timestamp\} and \{body\}/,
    ],
    [
      'a placeholder after {body}',
      { ...base, signed: '{body}.{timestamp}', timestampHeader: 'x-ts' },
      /signed: has a placeholder after \{body\}; put \{id\} and \{timestamp\} before \{body\}/,
    ],
    [
      'a signaturePrefix with a space',
      { ...base, signaturePrefix: 'v0 =' },
      /signaturePrefix: "v0 =" is not printable text of at most 32 characters; write such as 'v0='/,
    ],
  ])('refuses %s with a TypeError saying what to write', (_label, spec, message) => {
    expect(() => create(spec)).toThrow(TypeError);
    expect(() => create(spec)).toThrow(message);
  });

  it('refuses a number, or the name of a scheme that is not built in, pointing at a description', () => {
    for (const scheme of [42, 'zoom']) {
      expect(() =>
        createWebhookVerifier({ scheme: scheme as unknown as CustomWebhookScheme, secret: 's' }),
      ).toThrow(/is not a scheme; write one of .*or describe the sender's scheme/);
    }
  });

  it('refuses headerName together with a custom scheme, pointing at signatureHeader', () => {
    expect(() => createWebhookVerifier({ scheme: ZOOM, secret: 's', headerName: 'x-sig' })).toThrow(
      /headerName: only the mission-control scheme reads a custom header.*signatureHeader/,
    );
    expect(() => signWebhook(BODY, 's', { scheme: ZOOM, headerName: 'x-sig' })).toThrow(TypeError);
  });

  it("refuses secretEncoding 'base64' with a secret that is not base64", () => {
    for (const secret of ['not base64!', 'abc$def', 'ab-_cd']) {
      expect(() => createWebhookVerifier({ scheme: ACME, secret })).toThrow(
        /secretEncoding: the secret is not base64; give the secret as base64, or set secretEncoding: 'utf8'/,
      );
    }
    expect(() => signWebhook(BODY, 'not base64!', { scheme: ACME })).toThrow(TypeError);
  });

  it("refuses secretEncoding 'hex' with a secret that is not hex", () => {
    const scheme: CustomWebhookScheme = { ...LINEAR, secretEncoding: 'hex' };
    expect(() => createWebhookVerifier({ scheme, secret: 'xyz' })).toThrow(/the secret is not hex/);
    expect(() => createWebhookVerifier({ scheme, secret: 'abc' })).toThrow(/the secret is not hex/);
  });

  it('refuses replay for a scheme with neither id nor timestamp', () => {
    expect(() => createWebhookVerifier({ scheme: LINEAR, secret: 's', replay: true })).toThrow(
      /replay: linear deliveries carry neither a delivery id nor a timestamp/,
    );
  });
});

describe('custom: replay', () => {
  // The rule in the verifier: on by default only when the scheme carries both a delivery
  // id and a timestamp (the id is the key, the timestamp bounds how long it is kept).
  it('is on by default with both idHeader and timestampHeader', async () => {
    const verifier = createWebhookVerifier({ scheme: ACME, secret: ACME_SECRET, now });
    expect(verifier.replayProtected).toBe(true);
    const headers = signWebhook(BODY, ACME_SECRET, {
      scheme: ACME,
      timestamp: NOW,
      deliveryId: 'm1',
    });
    expect((await verifier.verify({ body: BODY, headers })).ok).toBe(true);
    const again = await verifier.verify({ body: BODY, headers });
    expectRefused(again, 409);
    expect(refusal(again).error.code).toBe('replayed_delivery');
    const next = signWebhook(BODY, ACME_SECRET, { scheme: ACME, timestamp: NOW, deliveryId: 'm2' });
    expect((await verifier.verify({ body: BODY, headers: next })).ok).toBe(true);
  });

  it('with both headers but {id} unsigned, a missing id is a 403 while replay is on', async () => {
    const scheme: CustomWebhookScheme = {
      name: 'unsigned-id',
      signatureHeader: 'x-sig',
      signed: '{timestamp}.{body}',
      timestampHeader: 'x-ts',
      idHeader: 'x-id',
    };
    const verifier = createWebhookVerifier({ scheme, secret: 's', now });
    expect(verifier.replayProtected).toBe(true);
    const { 'x-sig': sig, 'x-ts': ts } = signWebhook(BODY, 's', { scheme, timestamp: NOW });
    const verdict = await verifier.verify({
      body: BODY,
      headers: { 'x-sig': sig, 'x-ts': ts },
    });
    expectRefused(verdict);
    expect(refusal(verdict).error.detail).toBe('Missing webhook id header.');
    const off = createWebhookVerifier({ scheme, secret: 's', now, replay: false });
    expect((await off.verify({ body: BODY, headers: { 'x-sig': sig, 'x-ts': ts } })).ok).toBe(true);
  });

  it('is off by default with a timestamp only; replay: true keys on timestamp and body', async () => {
    expect(createWebhookVerifier({ scheme: ZOOM, secret: ZOOM_SECRET }).replayProtected).toBe(
      false,
    );
    const verifier = createWebhookVerifier({
      scheme: ZOOM,
      secret: ZOOM_SECRET,
      now,
      replay: true,
    });
    const headers = signWebhook(BODY, ZOOM_SECRET, { scheme: ZOOM, timestamp: NOW });
    expect((await verifier.verify({ body: BODY, headers })).ok).toBe(true);
    expectRefused(await verifier.verify({ body: BODY, headers }), 409);
    const other = signWebhook(BODY, ZOOM_SECRET, { scheme: ZOOM, timestamp: NOW - 1 });
    expect((await verifier.verify({ body: BODY, headers: other })).ok).toBe(true);
  });

  it('is off by default with an id only; replay: true keys on the id', async () => {
    const scheme: CustomWebhookScheme = {
      ...LINEAR,
      name: 'linear-ids',
      idHeader: 'linear-delivery',
    };
    expect(createWebhookVerifier({ scheme, secret: LINEAR_SECRET }).replayProtected).toBe(false);
    const verifier = createWebhookVerifier({ scheme, secret: LINEAR_SECRET, replay: true });
    const headers = signWebhook(BODY, LINEAR_SECRET, { scheme, deliveryId: 'd-1' });
    expect(headers['linear-delivery']).toBe('d-1');
    expect((await verifier.verify({ body: BODY, headers })).ok).toBe(true);
    expectRefused(await verifier.verify({ body: BODY, headers }), 409);
  });
});

describe('custom: malformed headers are 403 verdicts, never throws', () => {
  const verifier = createWebhookVerifier({ scheme: ZOOM, secret: ZOOM_SECRET, now });
  const good =
    signWebhook(BODY, ZOOM_SECRET, { scheme: ZOOM, timestamp: NOW })['x-zm-signature'] ?? '';
  const hex = good.slice('v0='.length);
  const ts = String(NOW);

  it('the untouched headers pass (the cases below differ in one header)', async () => {
    const verdict = await verifier.verify({
      body: BODY,
      headers: { 'x-zm-signature': good, 'x-zm-request-timestamp': ts },
    });
    expect(verdict.ok).toBe(true);
  });

  it.each<[string, string | string[]]>([
    ['empty', ''],
    ['truncated', good.slice(0, -1)],
    ['over-long (> 4096 characters)', `${good}${'0'.repeat(4100)}`],
    ['the digest in base64', `v0=${Buffer.from(hex, 'hex').toString('base64')}`],
    ['without the prefix', hex],
    ['with another prefix', `v1=${hex}`],
    ['repeated', [good, good]],
    ['non-ASCII', `${good.slice(0, -1)}é`],
    ['the digest of SHA-1 length', good.slice(0, 3 + 40)],
  ])('signature %s', async (_label, value) => {
    const verdict = await verifier.verify({
      body: BODY,
      headers: { 'x-zm-signature': value, 'x-zm-request-timestamp': ts },
    });
    expectRefused(verdict);
  });

  it.each<[string, string | string[] | undefined]>([
    ['missing', undefined],
    ['empty', ''],
    ['not digits', 'soon'],
    ['in milliseconds', String(NOW * 1000)],
    ['negative', `-${ts}`],
    ['exponent notation', '1.717e9'],
    ['repeated', [ts, ts]],
    ['non-ASCII', `${ts}٠`],
  ])('timestamp %s', async (_label, value) => {
    const verdict = await verifier.verify({
      body: BODY,
      headers: {
        'x-zm-signature': good,
        ...(value === undefined ? {} : { 'x-zm-request-timestamp': value }),
      },
    });
    expectRefused(verdict);
  });

  it('a missing timestamp says so in its detail', async () => {
    const verdict = await verifier.verify({ body: BODY, headers: { 'x-zm-signature': good } });
    expect(refusal(verdict).error.detail).toBe('Missing webhook timestamp header.');
  });

  it('a missing id, when {id} is signed, is a 403 even with replay off', async () => {
    const acme = createWebhookVerifier({ scheme: ACME, secret: ACME_SECRET, now, replay: false });
    const headers = signWebhook(BODY, ACME_SECRET, { scheme: ACME, timestamp: NOW });
    for (const id of [undefined, '', ['a', 'b'], 'i'.repeat(257), 'idé']) {
      const verdict = await acme.verify({
        body: BODY,
        headers: {
          'x-acme-signature': headers['X-Acme-Signature'],
          'x-acme-timestamp': headers['X-Acme-Timestamp'],
          ...(id === undefined ? {} : { 'x-acme-id': id }),
        },
      });
      expectRefused(verdict);
    }
  });

  it('a missing signature is a 403 signature_missing', async () => {
    const linear = createWebhookVerifier({ scheme: LINEAR, secret: LINEAR_SECRET });
    const verdict = await linear.verify({ body: BODY, headers: {} });
    expectRefused(verdict);
    expect(refusal(verdict).error.code).toBe('signature_missing');
  });
});
