import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createBodyReceiver, createWebhookReceiver, signWebhook } from 'bulwark';

const SECRET = 'receiver-secret';

function request(body: string | Buffer, headers: Record<string, string>) {
  const raw = Buffer.from(body);
  return {
    stream: Readable.from([raw]),
    headers: { 'content-length': String(raw.length), ...lower(headers) },
  };
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

describe('createWebhookReceiver', () => {
  const receiver = createWebhookReceiver({ secret: SECRET, limit: 64 });
  const body = '{"event":"ping"}';

  it('limits, verifies, then parses', async () => {
    const { stream, headers } = request(body, {
      ...signWebhook(body, SECRET),
      'content-type': 'application/json',
    });
    const r = await receiver.receive(stream, headers);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.body).toEqual({ event: 'ping' });
      expect(r.rawBody.toString()).toBe(body);
      expect(r.verdict.verified).toBe(true);
    }
  });

  it('checks the limit before the signature', async () => {
    const big = 'x'.repeat(65);
    const { stream, headers } = request(big, {});
    const r = await receiver.receive(stream, headers);
    expect(!r.ok && r.error.status).toBe(413);
  });

  it('does not parse an unverified body: a bad signature on invalid JSON is a 403', async () => {
    const { stream, headers } = request('{oops', {
      'x-webhook-signature': `sha256=${'0'.repeat(64)}`,
      'content-type': 'application/json',
    });
    const r = await receiver.receive(stream, headers);
    expect(!r.ok && r.error.status).toBe(403);
  });

  it('uses a per-request secret, where an empty list means none configured', async () => {
    const { stream, headers } = request(body, signWebhook(body, 'other'));
    expect((await receiver.receive(stream, headers, 'other')).ok).toBe(true);
    const open = request(body, {});
    const r = await receiver.receive(open.stream, open.headers, []);
    expect(r.ok && !r.verdict.verified).toBe(true);
  });
});

describe('createWebhookReceiver: schemes that sign more than the body', () => {
  it('verifies twilio against the request target joined to publicUrl', async () => {
    const form = 'Body=hi&From=%2B15557654321';
    const receiver = createWebhookReceiver({
      scheme: 'twilio',
      secret: SECRET,
      publicUrl: 'https://example.com',
    });
    const signed = signWebhook(form, SECRET, {
      scheme: 'twilio',
      url: 'https://example.com/sms?x=1',
    });
    const headers = { ...signed, 'content-type': 'application/x-www-form-urlencoded' };
    const ok = request(form, headers);
    const r = await receiver.receive(ok.stream, ok.headers, undefined, '/sms?x=1');
    expect(r.ok && r.verdict.verified).toBe(true);
    // Without the target the URL Twilio signed is unknown: refused, never guessed from Host.
    const blind = request(form, headers);
    expect(await receiver.receive(blind.stream, blind.headers)).toMatchObject({
      ok: false,
      error: { status: 403 },
    });
  });

  it('answers discord failures with 401, as Discord requires of an endpoint', async () => {
    const receiver = createWebhookReceiver({
      scheme: 'discord',
      publicKey: '3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29',
    });
    const { stream, headers } = request('{"type":1}', {
      'x-signature-timestamp': String(Math.floor(Date.now() / 1000)),
      'x-signature-ed25519': '0'.repeat(128),
    });
    expect(await receiver.receive(stream, headers)).toMatchObject({
      ok: false,
      error: { status: 401 },
    });
  });
});

describe('createBodyReceiver', () => {
  it('rejects a bad parseAs at creation', () => {
    expect(() => createBodyReceiver({ parseAs: 'xml' as never })).toThrow(
      /'auto', 'json' or 'none'/,
    );
  });
});
