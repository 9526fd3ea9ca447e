import { describe, expect, it } from 'vitest';
import { BulwarkError } from 'bulwark';
import { rejectFetch } from 'bulwark/fetch';
import { captureLog } from '../../helpers/log-capture.js';

const request = new Request('http://app.test/orders', { method: 'POST' });
const error = new BulwarkError({
  status: 429,
  code: 'rate_limited',
  detail: 'Too Many Requests',
  headers: { 'Retry-After': '7' },
});

describe('rejectFetch', () => {
  it("answers a handler's own BulwarkError the shared way: status, headers, {detail}", async () => {
    const res = await rejectFetch(error, request);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ detail: 'Too Many Requests' });
  });

  it("returns the app's onReject answer, and the default (logged once) when it fails", async () => {
    const mine = await rejectFetch(
      error,
      request,
      () => new Response('slow down', { status: 429 }),
    );
    expect(await mine.text()).toBe('slow down');

    const log = captureLog();
    const threw = await rejectFetch(
      error,
      request,
      () => {
        throw new Error('template missing');
      },
      log.logger,
    );
    const notAnswer = await rejectFetch(
      error,
      request,
      () => ({ status: 429 }) as unknown as Response,
      log.logger,
    );
    for (const res of [threw, notAnswer]) {
      expect(res.status).toBe(429);
      expect(await res.json()).toEqual({ detail: 'Too Many Requests' });
    }
    expect(log.misuse()).toEqual([
      expect.stringMatching(/misuse\.on_reject: .*threw/),
      expect.stringMatching(/misuse\.on_reject: .*did not answer/),
    ]);
  });
});
