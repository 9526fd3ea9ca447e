import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { INVALID_SIGNATURE, createWebhookVerifier, signWebhook, verifyWebhook } from 'bulwark';
import type { WebhookRejected, WebhookSecrets, WebhookVerifier } from 'bulwark';

const scheme = 'standard-webhooks';
const payload = JSON.stringify({ type: 'invoice.paid', data: { amount: 1200, who: 'Zoë €' } });
const whsec = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/**
 * A fresh Ed25519 pair written as a Standard Webhooks sender shows it: `whpk_` and the
 * base64 of the raw 32-byte public key (the end of its SPKI DER), `whsk_` and the base64 of
 * the 32-byte seed (the end of its PKCS #8 DER).
 */
function ed25519Keys() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  return {
    publicKey,
    privateKey,
    pub,
    seed,
    whpk: `whpk_${pub.toString('base64')}`,
    whsk: `whsk_${seed.toString('base64')}`,
  };
}

const keys = ed25519Keys();
const other = ed25519Keys();

/** Replay protection off, so one delivery can be checked by several verifiers and cases. */
function verifierFor(secret: WebhookSecrets): WebhookVerifier {
  return createWebhookVerifier({ scheme, secret, replay: false });
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** The headers of a delivery, with the signature header replaced. */
function withSignature(headers: Record<string, string>, signature: string) {
  return { ...headers, 'webhook-signature': signature };
}

/** The verdict, which must be a refusal: resolved, never thrown, with a client-safe detail. */
async function refused(
  verifier: WebhookVerifier,
  headers: Record<string, string | readonly string[]>,
  body: string | Buffer = payload,
): Promise<WebhookRejected> {
  const verdict = await verifier.verify({ body, headers });
  if (verdict.ok) throw new Error(`accepted: ${JSON.stringify(headers)}`);
  expect(JSON.parse(JSON.stringify({ detail: verdict.error.detail }))).toEqual({
    detail: expect.any(String) as unknown,
  });
  return verdict;
}

/** The single v1a signature of a header made by signWebhook with one whsk_ key. */
function v1aOf(headers: Record<string, string>): string {
  const entry = headers['webhook-signature'] ?? '';
  expect(entry).toMatch(/^v1a,/);
  return entry.slice('v1a,'.length);
}

describe('standard-webhooks v1a (Ed25519, whpk_ and whsk_ keys)', () => {
  it('signs v1a,<base64 of a 64-byte signature> that a whpk_ verifier accepts', async () => {
    const headers = signWebhook(payload, keys.whsk, { scheme, deliveryId: 'msg_v1a' });
    expect(headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(Buffer.from(v1aOf(headers), 'base64')).toHaveLength(64);
    const verdict = await verifierFor(keys.whpk).verify({ body: payload, headers });
    expect(verdict).toEqual({
      ok: true,
      scheme,
      verified: true,
      deliveryId: 'msg_v1a',
      timestamp: Number(headers['webhook-timestamp']),
    });
  });

  it('verifies with a whsk_ key too (its public half)', async () => {
    const headers = signWebhook(payload, keys.whsk, { scheme });
    const verdict = await verifierFor(keys.whsk).verify({ body: payload, headers });
    expect(verdict.ok && verdict.verified).toBe(true);
    const foreign = await refused(verifierFor(other.whsk), headers);
    expect(foreign.error.status).toBe(403);
  });

  // libsodium (and so most senders' SDKs) writes the secret key as 64 bytes: the seed,
  // then the public key. Ed25519 is deterministic, so both forms sign identically.
  it("signs the same with libsodium's 64-byte whsk_ form as with the 32-byte seed", async () => {
    const long = `whsk_${Buffer.concat([keys.seed, keys.pub]).toString('base64')}`;
    const options = { scheme, deliveryId: 'msg_same', timestamp: now() } as const;
    const a = signWebhook(payload, keys.whsk, options);
    const b = signWebhook(payload, long, options);
    expect(b).toEqual(a);
    expect((await verifierFor(long).verify({ body: payload, headers: a })).ok).toBe(true);
  });

  it('binds the id, the timestamp and the body', async () => {
    const headers = signWebhook(payload, keys.whsk, { scheme, deliveryId: 'msg_bound' });
    const verifier = verifierFor(keys.whpk);
    const ts = Number(headers['webhook-timestamp']);
    for (const changed of [
      { ...headers, 'webhook-id': 'msg_other' },
      { ...headers, 'webhook-timestamp': String(ts - 1) },
    ]) {
      expect((await refused(verifier, changed)).error.detail).toBe(INVALID_SIGNATURE);
    }
    expect((await refused(verifier, headers, `${payload} `)).error.status).toBe(403);
  });

  it('refuses a v1a delivery outside the timestamp tolerance', async () => {
    const headers = signWebhook(payload, keys.whsk, { scheme, timestamp: now() - 301 });
    const verdict = await refused(verifierFor(keys.whpk), headers);
    expect(verdict.error.code).toBe('timestamp_out_of_range');
  });

  // Replay protection is on by default for this scheme; a v1a delivery is keyed on its id
  // like a v1 one, so a captured Ed25519-signed delivery cannot be posted twice.
  it('refuses the same v1a delivery twice with the default replay protection', async () => {
    const verifier = createWebhookVerifier({ scheme, secret: keys.whpk });
    const headers = signWebhook(payload, keys.whsk, { scheme });
    expect((await verifier.verify({ body: payload, headers })).ok).toBe(true);
    expect((await refused(verifier, headers)).error.status).toBe(409);
  });

  // A verifier must apply a key only to entries of its own kind: an HMAC key never to an
  // Ed25519 signature, an Ed25519 key never to an HMAC.
  it('refuses a v1a-only header with whsec_ alone, and a v1-only header with whpk_ alone', async () => {
    const asym = signWebhook(payload, keys.whsk, { scheme });
    const hmac = signWebhook(payload, whsec, { scheme });
    const byHmac = await refused(verifierFor(whsec), asym);
    expect(byHmac.error.status).toBe(403);
    expect(byHmac.error.detail).toBe(INVALID_SIGNATURE);
    const byKey = await refused(verifierFor(keys.whpk), hmac);
    expect(byKey.error.status).toBe(403);
    expect(byKey.error.detail).toBe(INVALID_SIGNATURE);
  });

  it('verifies through the one-shot verifyWebhook', async () => {
    const headers = signWebhook(payload, keys.whsk, { scheme });
    const verdict = await verifyWebhook({ scheme, secret: keys.whpk, body: payload, headers });
    expect(verdict.ok && verdict.verified).toBe(true);
  });
});

describe('standard-webhooks rotation between whsec_ and whpk_ keys', () => {
  const both = signWebhook(payload, [whsec, keys.whsk], { scheme });

  it('signs one entry per key, v1 then v1a', () => {
    expect(both['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}= v1a,[A-Za-z0-9+/]{86}==$/);
  });

  it.each([
    ['the whsec_ key alone', [whsec]],
    ['the whpk_ key alone', [keys.whpk]],
    ['both keys', [whsec, keys.whpk]],
    ['the whsec_ key and an unrelated whpk_ key', [whsec, other.whpk]],
    ['an unrelated whsec_ key and the whpk_ key', ['whsec_b3RoZXIgc2VjcmV0', keys.whpk]],
  ])('passes a v1 + v1a header with %s', async (_label, secret) => {
    const verdict = await verifierFor(secret).verify({ body: payload, headers: both });
    expect(verdict.ok && verdict.verified).toBe(true);
  });

  it('refuses the header when no configured key signed it', async () => {
    await refused(verifierFor(['whsec_b3RoZXIgc2VjcmV0', other.whpk]), both);
  });

  // A forged v1a entry beside a genuine v1 one does not taint the delivery (any valid
  // entry passes, as the spec says), and does not pass it for a whpk_-only receiver.
  it('judges each entry with the keys of its kind', async () => {
    const v1 = signWebhook(payload, whsec, { scheme });
    const forged = withSignature(
      v1,
      `${v1['webhook-signature'] ?? ''} v1a,${randomBytes(64).toString('base64')}`,
    );
    expect((await verifierFor(whsec).verify({ body: payload, headers: forged })).ok).toBe(true);
    await refused(verifierFor(keys.whpk), forged);
  });
});

describe('standard-webhooks signature header parsing', () => {
  const signed = signWebhook(payload, keys.whsk, { scheme });
  const good = v1aOf(signed);
  const verifier = verifierFor(keys.whpk);

  // The Standard Webhooks spec has receivers skip signature versions they do not know, so
  // a sender can add a future version beside v1a without breaking receivers.
  it.each([
    ['v2 before', (s: string) => `v2,xxx v1a,${s}`],
    ['v2 after', (s: string) => `v1a,${s} v2,xxx`],
    ['v1b with a valid v1a signature', (s: string) => `v1b,${s} v1a,${s}`],
    ['a bare word', (s: string) => `garbage v1a,${s}`],
    ['doubled spaces', (s: string) => `v2,xxx  v1a,${s}`],
  ])('ignores unknown versions beside a valid entry (%s)', async (_label, header) => {
    const verdict = await verifier.verify({
      body: payload,
      headers: withSignature(signed, header(good)),
    });
    expect(verdict.ok && verdict.verified).toBe(true);
  });

  // Only the exact version "v1a" selects Ed25519: "v1b", "v1aa" or "V1A" carrying a valid
  // signature is an unknown version, never read as v1a by a prefix match.
  it.each(['v2,xxx', 'v1b,GOOD', 'v1aa,GOOD', 'V1A,GOOD', 'v1a1,GOOD'])(
    'refuses a header with only the unknown entry %s',
    async (entry) => {
      const verdict = await refused(verifier, withSignature(signed, entry.replace('GOOD', good)));
      expect(verdict.error.status).toBe(403);
      expect(verdict.reason).toMatch(/no v1 or v1a entry/);
    },
  );

  // An empty signature must never compare equal to an empty expected value or to a prefix
  // of one; with nothing after the comma there is nothing to verify.
  it.each(['v1,', 'v1a,', 'v1', 'v1a', 'v1, v1a,', ','])(
    'refuses %j, which carries no signature',
    async (header) => {
      const verdict = await refused(verifierFor([whsec, keys.whpk]), withSignature(signed, header));
      expect(verdict.error.status).toBe(403);
      expect(verdict.error.detail).toBe(INVALID_SIGNATURE);
    },
  );

  it.each([
    ['empty', () => ''],
    ['truncated by one character', (s: string) => s.slice(1)],
    ['without its padding', (s: string) => s.replace(/=+$/, '')],
    ['truncated to an HMAC length', (s: string) => s.slice(0, 44)],
    ['over-long by one block', (s: string) => `${s}AAAA`],
    ['doubled', (s: string) => s + s],
    ['with a character outside base64', (s: string) => `${s.slice(0, 10)}!${s.slice(11)}`],
    ['with a tab inside', (s: string) => `${s.slice(0, 10)}\t${s.slice(11)}`],
    ['with padding inside', (s: string) => `${s.slice(0, 10)}=${s.slice(11)}`],
    ['hex instead of base64', (s: string) => Buffer.from(s, 'base64').toString('hex')],
  ])('refuses a v1a signature %s with 403, never a throw', async (_label, change) => {
    const verdict = await refused(verifier, withSignature(signed, `v1a,${change(good)}`));
    expect(verdict.error.status).toBe(403);
    expect(verdict.error.detail).toBe(INVALID_SIGNATURE);
    expect(verdict.reason).toMatch(/v1a entry/);
  });

  // Node's base64 decoder also reads the URL-safe alphabet, so "-" and "_" would decode to
  // the very bytes "+" and "/" stand for; the spec says standard base64, and accepting a
  // second spelling of one signature lets a replay slip past a cache keyed on the header.
  it('refuses the URL-safe spelling of a valid v1a signature', async () => {
    let headers = signed;
    for (let i = 0; !/[+/]/.test(v1aOf(headers)); i++) {
      headers = signWebhook(payload, keys.whsk, { scheme, deliveryId: `msg_${i}` });
    }
    const sig = v1aOf(headers);
    expect((await verifier.verify({ body: payload, headers })).ok).toBe(true);
    const urlSafe = sig.replace(/\+/g, '-').replace(/\//g, '_');
    expect(Buffer.from(urlSafe, 'base64')).toEqual(Buffer.from(sig, 'base64'));
    const verdict = await refused(verifier, withSignature(headers, `v1a,${urlSafe}`));
    expect(verdict.error.status).toBe(403);
  });

  // A malformed entry of a known version is not skipped: a proxy that joins a repeated
  // header with a comma leaves "v1a,<sig>,v1a,<sig>", and guessing which part was meant
  // would verify bytes the sender never wrote as one entry.
  it('refuses a header holding a malformed v1a entry even beside a valid one', async () => {
    for (const header of [`v1a,${good} v1a,`, `v1a,${good},v1a,${good}`, `v1a,${good}=`]) {
      const verdict = await refused(verifier, withSignature(signed, header));
      expect(verdict.error.status).toBe(403);
    }
  });

  it('refuses a 64-byte v1a signature of random bytes', async () => {
    const verdict = await refused(
      verifier,
      withSignature(signed, `v1a,${randomBytes(64).toString('base64')}`),
    );
    expect(verdict.error.detail).toBe(INVALID_SIGNATURE);
  });
});

describe('standard-webhooks key errors', () => {
  it('refuses to sign with a whpk_ key, saying to sign with whsk_', () => {
    expect(() => signWebhook(payload, keys.whpk, { scheme })).toThrow(TypeError);
    expect(() => signWebhook(payload, keys.whpk, { scheme })).toThrow(/sign with the whsk_ key/);
    expect(() => signWebhook(payload, [whsec, keys.whpk], { scheme })).toThrow(/whsk_/);
  });

  const b64 = (length: number) => randomBytes(length).toString('base64');

  it.each([
    ['whpk_ with bad base64', 'whpk_!!!not base64!!!'],
    ['whpk_ with URL-safe base64', `whpk_${keys.pub.toString('base64url')}-_`],
    ['whpk_ with nothing after it', 'whpk_'],
    ['whpk_ of 31 bytes', `whpk_${b64(31)}`],
    ['whpk_ of 33 bytes', `whpk_${b64(33)}`],
    ['whpk_ of 64 bytes', `whpk_${b64(64)}`],
    ['whsk_ with bad base64', 'whsk_!!!not base64!!!'],
    ['whsk_ with nothing after it', 'whsk_'],
    ['whsk_ of 31 bytes', `whsk_${b64(31)}`],
    ['whsk_ of 33 bytes', `whsk_${b64(33)}`],
    ['whsk_ of 64 bytes whose second half is not its public key', `whsk_${b64(64)}`],
  ])('refuses %s at creation, naming what to write', (_label, secret) => {
    const create = () => createWebhookVerifier({ scheme, secret });
    expect(create).toThrow(TypeError);
    expect(create).toThrow(/whpk_<base64>.*whsk_<base64>/);
    expect(() => createWebhookVerifier({ scheme, secret: [whsec, secret] })).toThrow(TypeError);
  });

  it.each([
    ['bad base64', 'whsk_!!!not base64!!!'],
    ['31 bytes', `whsk_${b64(31)}`],
    ['33 bytes', `whsk_${b64(33)}`],
  ])('refuses to sign with a whsk_ key of %s', (_label, secret) => {
    expect(() => signWebhook(payload, secret, { scheme })).toThrow(/whsk_<base64>/);
  });

  it('refuses a publicKey option, pointing at whpk_ in secret', () => {
    expect(() => createWebhookVerifier({ scheme, publicKey: keys.whpk })).toThrow(
      /whpk_ key in secret/,
    );
  });
});

describe('standard-webhooks interop', () => {
  const svixSecret = whsec;

  describe('standardwebhooks 1.1.1 (v1 HMAC)', () => {
    const wh = new StandardWebhook(whsec);

    it('bulwark verifies what standardwebhooks signs', async () => {
      const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
      const ts = new Date();
      const headers = {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(ts.getTime() / 1000)),
        'webhook-signature': wh.sign(id, ts, payload),
      };
      const verdict = await verifierFor(whsec).verify({ body: Buffer.from(payload), headers });
      expect(verdict).toMatchObject({ ok: true, verified: true, deliveryId: id });
      await refused(verifierFor(whsec), headers, `${payload}\n`);
    });

    it('standardwebhooks verifies what bulwark signs, also beside a v1a entry', () => {
      const headers = signWebhook(payload, whsec, { scheme });
      expect(wh.verify(payload, headers)).toEqual(JSON.parse(payload));
      // A receiver still on an HMAC-only library keeps working while the sender adds v1a.
      const rotating = signWebhook(payload, [keys.whsk, whsec], { scheme });
      expect(wh.verify(payload, rotating)).toEqual(JSON.parse(payload));
      expect(() => wh.verify(`${payload} `, headers)).toThrow(/No matching signature/);
    });

    // standardwebhooks 1.1.1 knows only v1: Webhook.sign always writes "v1,<HMAC>", the
    // constructor takes only a whsec_ secret, and verify skips every other version. So v1a
    // is checked against node:crypto below instead.
    it('does not verify v1a (it skips the entry)', () => {
      const headers = signWebhook(payload, keys.whsk, { scheme });
      expect(() => wh.verify(payload, headers)).toThrow(/No matching signature/);
    });
  });

  describe('svix 2.5.0 (v1 HMAC)', () => {
    const wh = new SvixWebhook(svixSecret);

    it('bulwark verifies what svix signs', async () => {
      const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
      const ts = new Date();
      const headers = {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(ts.getTime() / 1000)),
        'webhook-signature': wh.sign(id, ts, payload),
      };
      const verdict = await verifierFor(svixSecret).verify({ body: payload, headers });
      expect(verdict).toMatchObject({ ok: true, verified: true, deliveryId: id });
    });

    it('svix verifies what bulwark signs, also beside a v1a entry', () => {
      expect(() => {
        wh.verify(payload, signWebhook(payload, svixSecret, { scheme }));
      }).not.toThrow();
      const rotating = signWebhook(payload, [svixSecret, keys.whsk], { scheme });
      expect(() => {
        wh.verify(payload, rotating);
      }).not.toThrow();
      const wrong = signWebhook(payload, 'whsec_b3RoZXIgc2VjcmV0', { scheme });
      expect(() => {
        wh.verify(payload, wrong);
      }).toThrow(/No matching signature/);
    });

    // svix 2.5.0 wraps standardwebhooks' Webhook (HMAC v1 only), so it neither signs nor
    // verifies v1a either.
    it('does not verify v1a (it skips the entry)', () => {
      const headers = signWebhook(payload, keys.whsk, { scheme });
      expect(() => {
        wh.verify(payload, headers);
      }).toThrow(/No matching signature/);
    });
  });

  describe('v1a against node:crypto Ed25519 over "id.timestamp.body"', () => {
    it('node:crypto verifies what bulwark signs', () => {
      const headers = signWebhook(payload, keys.whsk, { scheme, deliveryId: 'msg_nc' });
      const signed = Buffer.from(`msg_nc.${headers['webhook-timestamp'] ?? ''}.${payload}`);
      const signature = Buffer.from(v1aOf(headers), 'base64');
      expect(verify(null, signed, keys.publicKey, signature)).toBe(true);
      expect(verify(null, signed, other.publicKey, signature)).toBe(false);
    });

    it('bulwark verifies what node:crypto signs, a Buffer body of UTF-8 included', async () => {
      const id = 'msg_from_node';
      const ts = String(now());
      const signature = sign(null, Buffer.from(`${id}.${ts}.${payload}`), keys.privateKey);
      const headers = {
        'webhook-id': id,
        'webhook-timestamp': ts,
        'webhook-signature': `v2,unknown v1a,${signature.toString('base64')}`,
      };
      for (const body of [payload, Buffer.from(payload, 'utf8')]) {
        const verdict = await verifierFor(keys.whpk).verify({ body, headers });
        expect(verdict).toMatchObject({ ok: true, verified: true, deliveryId: id });
      }
      await refused(verifierFor(other.whpk), headers);
    });
  });
});
