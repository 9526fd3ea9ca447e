import { describe, expect, it } from 'vitest';
import { MemoryReplayStore, createWebhookVerifier, signWebhook } from 'bulwark';
import type { ReplayStore, WebhookVerdict } from 'bulwark';
import { lowerKeys } from '../helpers/webhook.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = Buffer.from('{"type":"invoice.paid"}');

function sw(deliveryId: string, secret: string | string[] = SECRET) {
  return lowerKeys(signWebhook(body, secret, { scheme: 'standard-webhooks', deliveryId }));
}

function status(v: WebhookVerdict): number {
  return v.ok ? 202 : v.error.status;
}

/** A store whose backend is down: every claim fails, as a dead Redis would. */
class DownStore implements ReplayStore {
  down = true;
  readonly inner = new MemoryReplayStore();
  claim(key: string, ttlMs: number): Promise<boolean> {
    return this.down
      ? Promise.reject(new Error('connection refused'))
      : this.inner.claim(key, ttlMs);
  }
}

describe('replay protection', () => {
  it('is on by default for standard-webhooks: a second delivery of one id is a 409', async () => {
    const v = createWebhookVerifier({ scheme: 'standard-webhooks', secret: SECRET });
    expect(v.replayProtected).toBe(true);
    const headers = sw('msg_replay');
    expect(status(await v.verify({ body, headers }))).toBe(202);
    const again = await v.verify({ body, headers });
    expect(status(again)).toBe(409);
    if (!again.ok) {
      expect(again.error.detail).toBe('This webhook delivery was already received.');
      expect(again.error.code).toBe('replayed_delivery');
    }
    expect(status(await v.verify({ body, headers: sw('msg_other') }))).toBe(202);
  });

  it('is off by default for schemes without a delivery id and a timestamp', () => {
    for (const scheme of ['mission-control', 'github', 'stripe', 'slack'] as const) {
      expect(createWebhookVerifier({ scheme, secret: 'x' }).replayProtected).toBe(false);
    }
  });

  it('claims only after the signature is verified, so a forged id cannot block the real one', async () => {
    const v = createWebhookVerifier({ scheme: 'standard-webhooks', secret: SECRET });
    const forged = { ...sw('msg_target', 'whsec_' + Buffer.from('attacker').toString('base64')) };
    expect(status(await v.verify({ body, headers: forged }))).toBe(403);
    expect(status(await v.verify({ body, headers: sw('msg_target') }))).toBe(202);
  });

  it('forgets an id after ttlMs', async () => {
    const v = createWebhookVerifier({
      scheme: 'standard-webhooks',
      secret: SECRET,
      replay: { ttlMs: 30 },
    });
    const headers = sw('msg_ttl');
    expect(status(await v.verify({ body, headers }))).toBe(202);
    expect(status(await v.verify({ body, headers }))).toBe(409);
    await new Promise((r) => setTimeout(r, 60));
    expect(status(await v.verify({ body, headers }))).toBe(202);
  });

  it('keys stripe on timestamp and body, so dropping one of two signatures is still a replay', async () => {
    const v = createWebhookVerifier({
      scheme: 'stripe',
      secret: ['whsec_a', 'whsec_b'],
      replay: true,
    });
    const header =
      signWebhook(body, ['whsec_a', 'whsec_b'], { scheme: 'stripe' })['Stripe-Signature'] ?? '';
    expect(status(await v.verify({ body, headers: { 'stripe-signature': header } }))).toBe(202);
    const [t, v1a, v1b] = header.split(',');
    expect(status(await v.verify({ body, headers: { 'stripe-signature': `${t},${v1b}` } }))).toBe(
      409,
    );
    expect(status(await v.verify({ body, headers: { 'stripe-signature': `${t},${v1a}` } }))).toBe(
      409,
    );
  });

  it('needs the delivery id for github when replay is on', async () => {
    const v = createWebhookVerifier({ scheme: 'github', secret: 'gh', replay: true });
    const { 'X-Hub-Signature-256': sig = '' } = signWebhook(body, 'gh', { scheme: 'github' });
    const r = await v.verify({ body, headers: { 'x-hub-signature-256': sig } });
    expect(status(r)).toBe(403);
    if (!r.ok) expect(r.error.detail).toBe('Missing webhook id header.');
    const headers = { 'x-hub-signature-256': sig, 'x-github-delivery': 'd-1' };
    expect(status(await v.verify({ body, headers }))).toBe(202);
    expect(status(await v.verify({ body, headers }))).toBe(409);
  });

  it("lets deliveries through with 'allow' and warns once per outage", async () => {
    const store = new DownStore();
    const warnings: string[] = [];
    const v = createWebhookVerifier({
      scheme: 'standard-webhooks',
      secret: SECRET,
      replay: { store, logger: { warn: (m) => warnings.push(m) } },
    });
    expect(status(await v.verify({ body, headers: sw('a1') }))).toBe(202);
    expect(status(await v.verify({ body, headers: sw('a2') }))).toBe(202);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/webhook.replay_store_unavailable/);
    store.down = false;
    expect(status(await v.verify({ body, headers: sw('a3') }))).toBe(202);
    store.down = true;
    expect(status(await v.verify({ body, headers: sw('a4') }))).toBe(202);
    expect(warnings).toHaveLength(2);
  });

  it("answers 503 with 'deny' while the store is down", async () => {
    const v = createWebhookVerifier({
      scheme: 'standard-webhooks',
      secret: SECRET,
      replay: { store: new DownStore(), onStoreError: 'deny', logger: { warn: () => undefined } },
    });
    const r = await v.verify({ body, headers: sw('d1') });
    expect(status(r)).toBe(503);
    if (!r.ok) expect(r.error.code).toBe('store_unavailable');
  });
});

describe('MemoryReplayStore', () => {
  it('answers true once per key until it expires', async () => {
    const s = new MemoryReplayStore();
    expect(await s.claim('k', 1000)).toBe(true);
    expect(await s.claim('k', 1000)).toBe(false);
    expect(await s.claim('j', 1000)).toBe(true);
  });

  it('holds at most maxKeys, dropping the oldest', async () => {
    const s = new MemoryReplayStore({ maxKeys: 3 });
    for (const k of ['a', 'b', 'c', 'd', 'e']) expect(await s.claim(k, 60_000)).toBe(true);
    expect(s.size).toBe(3);
    expect(await s.claim('e', 60_000)).toBe(false);
    expect(await s.claim('a', 60_000)).toBe(true);
  });

  it('rejects a bad maxKeys', () => {
    expect(() => new MemoryReplayStore({ maxKeys: 0 })).toThrow(/maxKeys/);
  });
});
