import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloadLimit } from 'bulwark/fetch';
import type { FetchVerdict } from 'bulwark/fetch';
import type { RunningApp } from '../../conformance/types.js';
import { http } from '../../helpers/http.js';
import { captureLog } from '../../helpers/log-capture.js';
import { ok, serveFetch } from './serve-fetch.js';

const LIMIT = 16;
const TOO_LARGE = { detail: `Payload exceeds maximum size of ${String(LIMIT)} bytes.` };

const post = (body: NonNullable<RequestInit['body']>, headers: Record<string, string> = {}) =>
  new Request('http://app.test/hook', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
    duplex: 'half',
  });

/** A body stream that never ends, counting the chunks it was asked for. */
function endless(chunk: Uint8Array): { stream: ReadableStream<Uint8Array>; pulls: () => number } {
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls++;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulls: () => pulls };
}

async function refusal(verdict: FetchVerdict | Promise<FetchVerdict>): Promise<Response> {
  const v = await verdict;
  if (v.ok) throw new Error('expected the request to be refused');
  return v.response;
}

describe('Fetch payloadLimit over HTTP', () => {
  let app: RunningApp;
  const guard = payloadLimit({ limit: LIMIT });
  beforeAll(async () => {
    app = await serveFetch(async (req) => {
      const verdict = await guard(req);
      if (!verdict.ok) return verdict.response;
      return verdict.finish(
        ok({ raw: verdict.rawBody?.toString('utf8'), body: verdict.body }, { status: 202 }),
      );
    });
  });
  afterAll(() => app.close());

  const send = (body: string) =>
    http(`${app.url}/hook`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length) },
      body,
    });

  it('passes a body of exactly the limit, with rawBody and the parsed body', async () => {
    const body = '{"a":"12345678"}';
    expect(body).toHaveLength(LIMIT);
    const res = await send(body);
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toEqual({ raw: body, body: { a: '12345678' } });
  });

  it('refuses one byte more with 413 and Mission Control detail', async () => {
    const res = await send('{"a":"123456789"}');
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual(TOO_LARGE);
  });

  it('answers invalid JSON with 400, never 500', async () => {
    const res = await send('{"a":');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toHaveProperty('detail');
  });
});

describe('Fetch payloadLimit on Request objects', () => {
  const guard = payloadLimit({ limit: LIMIT });

  it('counts a streamed body without Content-Length, and stops reading at the limit', async () => {
    const { stream, pulls } = endless(new Uint8Array(4).fill(0x20));
    const res = await refusal(guard(post(stream)));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(TOO_LARGE);
    // The stream never ends: a guard that read it all would never answer, and one that
    // kept reading after answering would pull 4-byte chunks without bound (hundreds of
    // kilobytes within these 100 ms). What is pulled after the refusal is the stream
    // adapter's bounded read-ahead: about 16 KiB on Node 20, 64 KiB on Node 22 and 24.
    await new Promise((r) => setTimeout(r, 100));
    const pulled = pulls();
    expect(pulled * 4).toBeLessThan(128 * 1024);
    await new Promise((r) => setTimeout(r, 100));
    expect(pulls()).toBe(pulled);
  });

  it('answers 408 when the body does not arrive in time', async () => {
    const never = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined) });
    const res = await refusal(payloadLimit({ timeoutMs: 50 })(post(never)));
    expect(res.status).toBe(408);
    expect(await res.json()).toEqual({ detail: 'Request body was not received in time.' });
  });

  it('refuses a gzip body with 415 unless inflate, and inflates under the limit', async () => {
    const gz = gzipSync('{"ok":true}');
    const headers = { 'Content-Encoding': 'gzip' };
    expect((await refusal(guard(post(gz, headers)))).status).toBe(415);
    // The limit counts the bytes on the wire and the decoded bytes.
    const inflating = payloadLimit({ limit: 64, inflate: true });
    const verdict = await inflating(post(gz, headers));
    if (!verdict.ok) throw new Error('expected the gzip body to pass');
    expect(verdict.body).toEqual({ ok: true });
    // A bomb: small on the wire, large once decoded.
    const bomb = gzipSync(JSON.stringify({ a: 'x'.repeat(10_000) }));
    expect(bomb.length).toBeLessThan(64);
    const res = await refusal(inflating(post(bomb, headers)));
    expect(res.status).toBe(413);
  });

  it('refuses a repeated Content-Length, which Headers combines into one value', async () => {
    const req = new Request('http://app.test/hook', {
      method: 'POST',
      headers: [
        ['content-length', '5'],
        ['content-length', '5'],
      ],
      body: 'hello',
    });
    expect(req.headers.get('content-length')).toBe('5, 5');
    const res = await refusal(guard(req));
    expect(res.status).toBe(400);
  });

  it('refuses a body something else read first with 500, logged once with where the guard goes', async () => {
    const log = captureLog();
    const consumedGuard = payloadLimit({ logger: log.logger });
    for (let i = 0; i < 2; i++) {
      const req = post('{"a":1}');
      await req.text();
      const res = await refusal(consumedGuard(req));
      expect(res.status).toBe(500);
    }
    expect(log.misuse()).toHaveLength(1);
    expect(log.misuse()[0]).toContain('misuse.body_consumed');
    expect(log.misuse()[0]).toContain('give the guard the request before anything reads its body');
  });

  it('refuses a body another reader holds a lock on, never reading it as empty', async () => {
    const req = post('{"a":1}');
    req.body?.getReader();
    expect(req.bodyUsed).toBe(false);
    const res = await refusal(payloadLimit({ logger: captureLog().logger })(req));
    expect(res.status).toBe(500);
  });

  it('reads one body once for two guards on the same request', async () => {
    const req = post('{"a":1}');
    const first = await guard(req);
    const second = await payloadLimit({ limit: 4 })(req);
    expect(first.ok && first.body).toEqual({ a: 1 });
    // The second guard's limit applies to the bytes the first one read.
    expect(second.ok).toBe(false);
  });

  it('gives an empty body to a request without one', async () => {
    const verdict = await guard(new Request('http://app.test/'));
    if (!verdict.ok) throw new Error('expected a request without a body to pass');
    expect(verdict.rawBody).toEqual(Buffer.alloc(0));
  });

  it('hands the rejection to onReject', async () => {
    const custom = payloadLimit({
      limit: 1,
      onReject: (error, request) =>
        Response.json(
          { problem: error.code, path: new URL(request.url).pathname },
          { status: 413 },
        ),
    });
    const res = await refusal(custom(post('{"a":1}')));
    expect(await res.json()).toEqual({ problem: 'payload_too_large', path: '/hook' });
  });

  it('rejects bad options at creation', () => {
    expect(() => payloadLimit({ limit: -1 })).toThrow(TypeError);
    expect(() => payloadLimit({ parseAs: 'xml' as never })).toThrow(/'auto', 'json' or 'none'/);
  });
});
