import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRequestWebhookReceiver, signWebhook } from 'bulwark';

const body = '{"event":"push"}';
const stream = () => Readable.from([Buffer.from(body)]);
const headersFor = (secret: string) => {
  const signed = signWebhook(body, secret, { scheme: 'mission-control' });
  return Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), [v]]));
};

describe('createRequestWebhookReceiver', () => {
  it('uses a fixed secret for every request', async () => {
    const receive = createRequestWebhookReceiver<{ id: string }>({ secret: 'fixed' });
    expect((await receive({ id: 'a' }, stream(), headersFor('fixed'))).ok).toBe(true);
    expect((await receive({ id: 'a' }, stream(), headersFor('other'))).ok).toBe(false);
  });

  it('looks the secret up per request, asynchronously', async () => {
    const secrets: Record<string, string> = { a: 'secret-a', b: 'secret-b' };
    const receive = createRequestWebhookReceiver<{ id: string }>({
      secret: (req) => Promise.resolve(secrets[req.id]),
    });
    expect((await receive({ id: 'a' }, stream(), headersFor('secret-a'))).ok).toBe(true);
    const wrong = await receive({ id: 'b' }, stream(), headersFor('secret-a'));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.status).toBe(403);
    // No secret for this webhook: mission-control does not check.
    expect((await receive({ id: 'none' }, stream(), {})).ok).toBe(true);
  });
});
