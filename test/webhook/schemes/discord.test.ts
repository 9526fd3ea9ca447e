import { generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { verifyKey } from 'discord-interactions';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVALID_SIGNATURE, createWebhookVerifier, signWebhook, verifyWebhook } from 'bulwark';
import type { WebhookRejected, WebhookSecrets, WebhookVerifier } from 'bulwark';
import { verifyWebhook as expressVerifyWebhook } from 'bulwark/express';
import { serve } from '../../helpers/serve.js';
import type { WatchedServer } from '../../helpers/serve.js';

const scheme = 'discord';
// An interaction as Discord posts it (type 2: an application command), with non-ASCII text
// so the signed bytes are the UTF-8 body, not a re-encoding of it.
const body = JSON.stringify({ type: 2, id: '1', data: { name: 'grüß', options: [] } });

/** A fresh application key pair, written as the Discord developer portal shows keys: hex. */
function discordKeys() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  return { privateKey, pub, publicHex: pub.toString('hex'), seedHex: seed.toString('hex') };
}

const app = discordKeys();
const other = discordKeys();

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** What Discord sends: hex Ed25519 over `timestamp + body`, made here with node:crypto. */
function discordHeaders(
  privateKey: KeyObject,
  payload = body,
  timestamp = String(now()),
): Record<string, string> {
  return {
    'x-signature-ed25519': sign(null, Buffer.from(timestamp + payload), privateKey).toString('hex'),
    'x-signature-timestamp': timestamp,
  };
}

function verifierFor(publicKey: WebhookSecrets): WebhookVerifier {
  return createWebhookVerifier({ scheme, publicKey });
}

/** The verdict, which must be a refusal with 401 and a JSON-safe detail, never a throw. */
async function refused(
  headers: Record<string, string | readonly string[]>,
  verifier: WebhookVerifier = verifierFor(app.publicHex),
  payload: string | Buffer = body,
): Promise<WebhookRejected> {
  const verdict = await verifier.verify({ body: payload, headers });
  if (verdict.ok) throw new Error(`accepted: ${JSON.stringify(headers)}`);
  // Discord's endpoint checks post deliberately invalid signatures and require a 401 for
  // them (developer docs, Interactions, "Receiving and Responding", "Security and
  // Authorization"); an endpoint that fails them loses its interactions URL.
  expect(verdict.error.status).toBe(401);
  expect(JSON.parse(JSON.stringify({ detail: verdict.error.detail }))).toEqual({
    detail: expect.any(String) as unknown,
  });
  return verdict;
}

describe('discord, with discord-interactions 4.4.0', () => {
  // verifyKey(rawBody, signature, timestamp, clientPublicKey) resolves a boolean (it uses
  // WebCrypto, so it is async).
  it('verifyKey accepts what signWebhook signs', async () => {
    const headers = signWebhook(body, app.seedHex, { scheme });
    const signature = headers['X-Signature-Ed25519'] ?? '';
    const timestamp = headers['X-Signature-Timestamp'] ?? '';
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    expect(timestamp).toMatch(/^[0-9]+$/);
    expect(await verifyKey(body, signature, timestamp, app.publicHex)).toBe(true);
    expect(await verifyKey(Buffer.from(body), signature, timestamp, app.publicHex)).toBe(true);
    expect(await verifyKey(`${body} `, signature, timestamp, app.publicHex)).toBe(false);
    expect(await verifyKey(body, signature, String(Number(timestamp) + 1), app.publicHex)).toBe(
      false,
    );
    expect(await verifyKey(body, signature, timestamp, other.publicHex)).toBe(false);
  });

  // discord-interactions only verifies (it has no signer), so the sender's side is played
  // by node:crypto: Ed25519 over timestamp + body, hex, exactly as Discord documents it.
  it('bulwark accepts what node:crypto signs as Discord does, and verifyKey agrees', async () => {
    const headers = discordHeaders(app.privateKey);
    const ts = headers['x-signature-timestamp'] ?? '';
    expect(await verifyKey(body, headers['x-signature-ed25519'] ?? '', ts, app.publicHex)).toBe(
      true,
    );
    const verdict = await verifierFor(app.publicHex).verify({ body, headers });
    expect(verdict).toEqual({
      ok: true,
      scheme,
      verified: true,
      deliveryId: undefined,
      timestamp: Number(ts),
    });
  });

  it('bulwark accepts its own signature, with the headers as signWebhook names them', async () => {
    const headers = signWebhook(body, app.seedHex, { scheme });
    const verdict = await verifierFor(app.publicHex).verify({
      body: Buffer.from(body),
      headers,
    });
    expect(verdict.ok && verdict.verified).toBe(true);
  });

  it('verifies through the one-shot verifyWebhook', async () => {
    const verdict = await verifyWebhook({
      scheme,
      publicKey: app.publicHex,
      body,
      headers: discordHeaders(app.privateKey),
    });
    expect(verdict.ok && verdict.verified).toBe(true);
  });

  it('signs with the first seed only when given several', async () => {
    const headers = signWebhook(body, [app.seedHex, other.seedHex], { scheme });
    expect((await verifierFor(app.publicHex).verify({ body, headers })).ok).toBe(true);
    await refused(headers, verifierFor(other.publicHex));
  });
});

describe('discord failures are all 401', () => {
  const good = discordHeaders(app.privateKey);
  const sig = good['x-signature-ed25519'] ?? '';
  const ts = good['x-signature-timestamp'] ?? '';

  it('refuses a signature of another body', async () => {
    const verdict = await refused(discordHeaders(app.privateKey, '{"type":1}'));
    expect(verdict.error.detail).toBe(INVALID_SIGNATURE);
  });

  it('refuses the right signature over a changed body', async () => {
    await refused(good, undefined, `${body} `);
  });

  it("refuses another application's signature", async () => {
    const verdict = await refused(discordHeaders(other.privateKey));
    expect(verdict.error.code).toBe('signature_invalid');
  });

  // The timestamp is signed: moving a captured signature to a fresh timestamp breaks it.
  it('refuses a signature under another timestamp', async () => {
    await refused({ ...good, 'x-signature-timestamp': String(Number(ts) + 1) });
  });

  it('refuses a missing signature header', async () => {
    const verdict = await refused({ 'x-signature-timestamp': ts });
    expect(verdict.error.code).toBe('signature_missing');
  });

  it('refuses an empty signature header', async () => {
    await refused({ ...good, 'x-signature-ed25519': '' });
  });

  it('refuses a missing timestamp', async () => {
    await refused({ 'x-signature-ed25519': sig });
  });

  it('refuses no headers at all', async () => {
    await refused({});
  });

  // The signature covers the timestamp but discord-interactions never checks its age;
  // bulwark's tolerance (300 s) is what stops a captured interaction posted again later.
  it.each([
    ['stale', -301],
    ['from the future', 301],
  ])('refuses a correctly signed %s timestamp (outside 300 s)', async (_label, skew) => {
    const verdict = await refused(discordHeaders(app.privateKey, body, String(now() + skew)));
    expect(verdict.error.code).toBe('timestamp_out_of_range');
  });

  it('accepts a timestamp just inside the tolerance', async () => {
    const headers = discordHeaders(app.privateKey, body, String(now() - 290));
    expect((await verifierFor(app.publicHex).verify({ body, headers })).ok).toBe(true);
  });

  it.each([
    ['non-hex digits', `${sig.slice(0, 127)}g`],
    ['127 hex digits', sig.slice(1)],
    ['129 hex digits', `${sig}0`],
    ['64 hex digits', sig.slice(0, 64)],
    ['base64 of the signature', Buffer.from(sig, 'hex').toString('base64')],
    ['a 0x prefix', `0x${sig.slice(2)}`],
    ['a space inside', `${sig.slice(0, 64)} ${sig.slice(65)}`],
    ['non-ASCII', `${sig.slice(0, 127)}é`],
  ])('refuses a signature with %s', async (_label, value) => {
    const verdict = await refused({ ...good, 'x-signature-ed25519': value });
    expect(verdict.error.detail).toBe(INVALID_SIGNATURE);
  });

  it.each([
    ['a fraction', `${ts}.5`],
    ['an exponent', '1e9'],
    ['a sign', `-${ts}`],
    ['non-ASCII digits', '١٧٠٠٠٠٠٠٠٠'],
    ['letters', 'yesterday'],
  ])('refuses a timestamp with %s', async (_label, value) => {
    await refused({ ...good, 'x-signature-timestamp': value });
  });

  // Which of two copies was signed is ambiguous, and an attacker can add a copy: a repeated
  // header is refused, not resolved by picking one.
  it('refuses a repeated signature header', async () => {
    await refused({ ...good, 'x-signature-ed25519': [sig, sig] });
    await refused({ ...good, 'x-signature-ed25519': [sig, '00'.repeat(64)] });
  });

  it('refuses a repeated timestamp header', async () => {
    await refused({ ...good, 'x-signature-timestamp': [ts, ts] });
  });

  it('answers 401 through the one-shot verifyWebhook too', async () => {
    const verdict = await verifyWebhook({
      scheme,
      publicKey: app.publicHex,
      body,
      headers: discordHeaders(other.privateKey),
    });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.error.status).toBe(401);
  });
});

describe('discord options', () => {
  it('refuses secret for discord, saying to use publicKey', async () => {
    const create = () => createWebhookVerifier({ scheme, secret: app.publicHex });
    expect(create).toThrow(TypeError);
    expect(create).toThrow(/write publicKey: process\.env\.DISCORD_PUBLIC_KEY/);
    // A wrong option is the application's mistake: the one-shot form rejects with it.
    await expect(
      verifyWebhook({ scheme, secret: app.publicHex, body, headers: {} }),
    ).rejects.toThrow(/publicKey/);
  });

  it.each(['github', 'stripe', 'slack', 'mission-control', 'standard-webhooks'] as const)(
    'refuses publicKey for %s',
    (name) => {
      expect(() => createWebhookVerifier({ scheme: name, publicKey: app.publicHex })).toThrow(
        TypeError,
      );
      expect(() => createWebhookVerifier({ scheme: name, publicKey: app.publicHex })).toThrow(
        /does not verify with publicKey/,
      );
    },
  );

  it.each([
    ['63 hex digits', app.publicHex.slice(1)],
    ['65 hex digits', `${app.publicHex}0`],
    ['non-hex digits', `${app.publicHex.slice(0, 63)}x`],
    ['base64 of the key', app.pub.toString('base64')],
    ['the 128-hex-digit secret key', app.seedHex + app.publicHex],
  ])('refuses a publicKey of %s at creation', (_label, publicKey) => {
    const create = () => verifierFor(publicKey);
    expect(create).toThrow(TypeError);
    expect(create).toThrow(/64 hex digits.*PUBLIC KEY/);
    expect(() => verifierFor([app.publicHex, publicKey])).toThrow(TypeError);
  });

  it.each([31, 33, 64])('refuses a publicKey Buffer of %i bytes', (length) => {
    expect(() => verifierFor(Buffer.alloc(length, 9))).toThrow(TypeError);
  });

  it('takes the raw 32 bytes of the public key as a Buffer', async () => {
    const verdict = await verifierFor(Buffer.from(app.pub)).verify({
      body,
      headers: discordHeaders(app.privateKey),
    });
    expect(verdict.ok && verdict.verified).toBe(true);
  });

  // The developer portal shows lower-case hex; a key pasted in upper case or with a
  // trailing newline from a secrets file is the same key.
  it('takes the hex key in either case and trimmed', async () => {
    for (const publicKey of [app.publicHex.toUpperCase(), ` ${app.publicHex}\n`]) {
      const verdict = await verifierFor(publicKey).verify({
        body,
        headers: discordHeaders(app.privateKey),
      });
      expect(verdict.ok).toBe(true);
    }
  });

  it('accepts deliveries signed with any of several public keys (rotation)', async () => {
    const verifier = verifierFor([other.publicHex, app.publicHex]);
    for (const keys of [app, other]) {
      const verdict = await verifier.verify({ body, headers: discordHeaders(keys.privateKey) });
      expect(verdict.ok && verdict.verified).toBe(true);
    }
    await refused(discordHeaders(discordKeys().privateKey), verifier);
  });

  it.each([
    ['63 hex digits', app.seedHex.slice(1)],
    ['non-hex digits', `${app.seedHex.slice(0, 63)}z`],
  ])('refuses to sign with a seed of %s', (_label, seed) => {
    expect(() => signWebhook(body, seed, { scheme })).toThrow(TypeError);
    expect(() => signWebhook(body, seed, { scheme })).toThrow(/64 hex digits/);
  });
});

describe('discord through Express, over HTTP', () => {
  let server: WatchedServer;
  const handled: { rawBody: string; type: unknown }[] = [];

  beforeAll(async () => {
    const web = express();
    web.post(
      '/interactions',
      expressVerifyWebhook({ scheme, publicKey: app.publicHex }),
      (req, res) => {
        const parsed = req.body as { type?: unknown };
        handled.push({ rawBody: req.rawBody?.toString('utf8') ?? '', type: parsed.type });
        res.json({ type: 1 });
      },
    );
    server = await serve(web);
  });
  afterAll(() => server.close());

  const post = (headers: Record<string, string>) =>
    fetch(`${server.url}/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('runs the handler with req.rawBody for a correctly signed delivery', async () => {
    handled.length = 0;
    const res = await post(signWebhook(body, app.seedHex, { scheme }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 1 });
    expect(handled).toEqual([{ rawBody: body, type: 2 }]);
  });

  it('answers 401 with {detail} for a bad signature, without running the handler', async () => {
    handled.length = 0;
    const res = await post(discordHeaders(other.privateKey));
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ detail: INVALID_SIGNATURE });
    const missing = await post({});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ detail: expect.any(String) as unknown });
    expect(handled).toEqual([]);
  });
});
