import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BulwarkError, readLimitedBody } from 'bulwark';
import { readFraming } from '../../src/body/framing.js';
import { FUZZ_TIMEOUT_MS, fuzz, headerValue } from './settings.js';

const framingHeaders = fc.record(
  {
    'content-length': headerValue,
    'transfer-encoding': headerValue,
    'content-encoding': headerValue,
  },
  { requiredKeys: [] },
);

function refusal(run: () => unknown): BulwarkError | undefined {
  try {
    run();
    return undefined;
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(BulwarkError);
    return error as BulwarkError;
  }
}

describe('Content-Length / Transfer-Encoding framing', () => {
  it('any header combination is a framing or a 400/415 BulwarkError', () => {
    fc.assert(
      fc.property(framingHeaders, fc.boolean(), (headers, inflate) => {
        const error = refusal(() => readFraming(headers, inflate));
        if (error !== undefined) {
          expect([400, 415]).toContain(error.status);
          expect(error.headers).toMatchObject({ Connection: 'close' });
          return;
        }
        const framing = readFraming(headers, inflate);
        // Accepted framings are never ambiguous: one plain decimal length, or chunked alone.
        const cl = headers['content-length'];
        const te = headers['transfer-encoding'];
        if (cl !== undefined) {
          expect(te).toBeUndefined();
          const text = typeof cl === 'string' ? cl : cl.join();
          expect(text.trim()).toMatch(/^[0-9]+$/);
          expect(framing.declaredLength).toBe(Number(text.trim()));
        } else expect(framing.declaredLength).toBe(-1);
        if (te !== undefined) expect(String(te).trim().toLowerCase()).toBe('chunked');
      }),
      fuzz,
    );
  });

  it('a plain decimal Content-Length round-trips', () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (n) => {
        fc.pre(String(n).length <= 15);
        expect(readFraming({ 'content-length': String(n) }, false).declaredLength).toBe(n);
      }),
      fuzz,
    );
  });

  it('Content-Length together with Transfer-Encoding is always a 400', () => {
    fc.assert(
      fc.property(headerValue, headerValue, (cl, te) => {
        const error = refusal(() =>
          readFraming({ 'content-length': cl, 'transfer-encoding': te }, false),
        );
        expect(error?.status).toBe(400);
      }),
      fuzz,
    );
  });

  it(
    'a body passes exactly when it fits the limit and matches its declared length',
    { timeout: FUZZ_TIMEOUT_MS },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }),
          fc.nat({ max: 300 }),
          fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }),
          async (chunks, limit, lie) => {
            const size = chunks.reduce((n, c) => n + c.length, 0);
            const declared = lie === undefined ? undefined : Math.max(0, size + lie);
            const headers =
              declared === undefined
                ? { 'transfer-encoding': 'chunked' }
                : { 'content-length': String(declared) };
            const stream = Readable.from(chunks.map((c) => Buffer.from(c)));
            const result = await readLimitedBody(stream, { limit, headers }).then(
              (body) => ({ body }),
              (error: unknown) => ({ error }),
            );
            if ('body' in result) {
              expect(result.body.length).toBe(size);
              expect(size).toBeLessThanOrEqual(limit);
              if (declared !== undefined) expect(declared).toBe(size);
              return;
            }
            expect(result.error).toBeInstanceOf(BulwarkError);
            const { status } = result.error as BulwarkError;
            if (status === 413) expect(Math.max(size, declared ?? 0)).toBeGreaterThan(limit);
            else {
              expect(status).toBe(400);
              expect(declared).not.toBe(size);
            }
          },
        ),
        fuzz,
      );
    },
  );
});
