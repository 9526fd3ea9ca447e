import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from 'bulwark';
import type { WebhookSchemeName } from 'bulwark';
import { verifyWebhook } from 'bulwark/fetch';
import type { FetchGuard } from 'bulwark/fetch';
import type { RunningApp } from '../../conformance/types.js';
import { http } from '../../helpers/http.js';
import { captureLog } from '../../helpers/log-capture.js';
import { lowerKeys, roundTrip } from '../../helpers/webhook.js';
import { ok, serveFetch } from './serve-fetch.js';

const SCHEMES: readonly WebhookSchemeName[] = [
  'mission-control',
  'github',
  'standard-webhooks',
  'stripe',
  'discord',
  'twilio',
];
const JSON_BODY = '{"event":"ping"}';
const FORM_BODY = 'From=%2B15550001111&Body=hello';
const bodyFor = (scheme: WebhookSchemeName) => (scheme === 'twilio' ? FORM_BODY : JSON_BODY);
// Twilio signs the public URL it posts to, https://hooks.example.com/hook in roundTrip().
const pathFor = (scheme: WebhookSchemeName) => (scheme === 'twilio' ? '/hook' : `/${scheme}/hook`);

const secrets: Record<string, string | undefined> = { a: 'secret-a', open: undefined };

describe('Fetch verifyWebhook over HTTP', () => {
  let app: RunningApp;
  const log = captureLog();
  const routes = new Map<string, FetchGuard>();
  for (const scheme of SCHEMES) {
    const { verifierOptions } = roundTrip(scheme);
    routes.set(pathFor(scheme), verifyWebhook({ ...verifierOptions, logger: log.logger }));
  }
  routes.set(
    '/per-id/a',
    verifyWebhook({ secret: (req) => secrets[new URL(req.url).pathname.split('/')[2] ?? ''] }),
  );
  routes.set(
    '/per-id/open',
    verifyWebhook({ secret: (req) => secrets[new URL(req.url).pathname.split('/')[2] ?? ''] }),
  );
  routes.set('/small', verifyWebhook({ secret: 'x', limit: 8 }));
  beforeAll(async () => {
    app = await serveFetch(async (req) => {
      const guard = routes.get(new URL(req.url).pathname);
      if (guard === undefined) return ok({ detail: 'Not Found' }, { status: 404 });
      const verdict = await guard(req);
      if (!verdict.ok) return verdict.response;
      return verdict.finish(
        ok({ raw: verdict.rawBody?.toString('utf8'), body: verdict.body }, { status: 202 }),
      );
    });
  });
  afterAll(() => app.close());

  const send = (path: string, body: string, headers: Record<string, string>) =>
    http(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...lowerKeys(headers) },
      body,
    });

  for (const scheme of SCHEMES) {
    it(`verifies a ${scheme} delivery on its raw bytes, and refuses a forged one`, async () => {
      const trip = roundTrip(scheme);
      const body = bodyFor(scheme);
      const signed = { ...trip.headers, ...signWebhook(body, trip.signWith, trip.signOptions) };
      const res = await send(pathFor(scheme), body, signed);
      expect(res.status).toBe(202);
      const got = JSON.parse(res.text) as { raw: string; body: unknown };
      expect(got.raw).toBe(body);
      expect(got.body).toEqual(
        scheme === 'twilio' ? { From: '+15550001111', Body: 'hello' } : { event: 'ping' },
      );
      // The same signature on other bytes.
      const forged = await send(
        `/${scheme}/hook`,
        body.replace('ping', 'pong').replace('hello', 'hellO'),
        signed,
      );
      expect(forged.status).toBeGreaterThanOrEqual(400);
      expect(forged.status).toBeLessThan(500);
      expect(JSON.parse(forged.text)).toHaveProperty('detail');
      const unsigned = await send(pathFor(scheme), body, trip.headers);
      expect(unsigned.status).toBeGreaterThanOrEqual(400);
      expect(unsigned.status).toBeLessThan(500);
    });
  }

  it('answers Mission Control refusals with its exact details', async () => {
    const missing = await send(pathFor('mission-control'), JSON_BODY, {});
    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.text)).toEqual({ detail: 'Missing webhook signature header.' });
    const wrong = await send(pathFor('mission-control'), JSON_BODY, {
      'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}`,
    });
    expect(wrong.status).toBe(403);
    expect(JSON.parse(wrong.text)).toEqual({ detail: 'Invalid webhook signature.' });
  });

  it('uses the secret the request function returns, and checks nothing without one', async () => {
    expect((await send('/per-id/a', JSON_BODY, signWebhook(JSON_BODY, 'secret-a'))).status).toBe(
      202,
    );
    expect((await send('/per-id/a', JSON_BODY, signWebhook(JSON_BODY, 'other'))).status).toBe(403);
    expect((await send('/per-id/open', JSON_BODY, {})).status).toBe(202);
  });

  it('includes the payload limit', async () => {
    const res = await send('/small', JSON_BODY, signWebhook(JSON_BODY, 'x'));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({ detail: 'Payload exceeds maximum size of 8 bytes.' });
  });
});

describe('Fetch verifyWebhook on Request objects', () => {
  const post = (url: string, body: string, headers: Record<string, string>) =>
    new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...lowerKeys(headers) },
      body,
    });

  it('signs the twilio URL from publicUrl and the request target, or from a function of the Request', async () => {
    const trip = roundTrip('twilio');
    const headers = { ...trip.headers, ...signWebhook(FORM_BODY, trip.signWith, trip.signOptions) };
    // Whatever Host the request came in on, the public URL is configured, never read from it.
    const fixed = verifyWebhook({
      scheme: 'twilio',
      secret: trip.signWith,
      publicUrl: 'https://hooks.example.com',
    });
    expect((await fixed(post('http://10.0.0.5:3000/hook', FORM_BODY, headers))).ok).toBe(true);
    expect((await fixed(post('http://10.0.0.5:3000/other', FORM_BODY, headers))).ok).toBe(false);
    const fromRequest = verifyWebhook({
      scheme: 'twilio',
      secret: trip.signWith,
      publicUrl: (req) => `https://hooks.example.com${new URL(req.url).pathname}`,
    });
    expect((await fromRequest(post('http://internal/hook', FORM_BODY, headers))).ok).toBe(true);
  });

  it('refuses a body something else read first with 500 and the misuse line, not a bare 403', async () => {
    const log = captureLog();
    const guard = verifyWebhook({ secret: 'x', logger: log.logger });
    const req = post('http://app.test/hook', JSON_BODY, signWebhook(JSON_BODY, 'x'));
    await req.json();
    const verdict = await guard(req);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.response.status).toBe(500);
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toContain('misuse.body_consumed');
  });

  it('hands a refusal to onReject, and falls back (logged once) when onReject fails', async () => {
    const custom = verifyWebhook({
      secret: 'x',
      onReject: (error) =>
        Promise.resolve().then(() =>
          Response.json({ problem: error.code }, { status: error.status }),
        ),
    });
    const refused = await custom(post('http://app.test/hook', JSON_BODY, {}));
    if (refused.ok) throw new Error('expected a refusal');
    expect(await refused.response.json()).toEqual({ problem: 'signature_missing' });

    const log = captureLog();
    const failing = verifyWebhook({
      secret: 'x',
      logger: log.logger,
      onReject: () => {
        throw new Error('bug');
      },
    });
    const fallback = await failing(post('http://app.test/hook', JSON_BODY, {}));
    if (fallback.ok) throw new Error('expected a refusal');
    expect(fallback.response.status).toBe(403);
    expect(await fallback.response.json()).toEqual({ detail: 'Missing webhook signature header.' });
    expect(log.misuse()[0]).toContain('misuse.on_reject');
  });

  it('refuses missing secrets and misplaced options at creation', () => {
    expect(() => verifyWebhook()).toThrow(/no secret is given/);
    expect(() => verifyWebhook({ secret: '' })).toThrow(/empty string/);
    expect(() => verifyWebhook({ scheme: 'twilio', secret: 'x' })).toThrow(/publicUrl/);
  });
});
