import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { PassThrough, Readable, getDefaultHighWaterMark } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  BulwarkError,
  createBodyReader,
  readLimitedBody,
  rememberBody,
  rememberedBody,
} from 'bulwark';

/** A Readable that carries request headers the way IncomingMessage does. */
function body(
  chunks: readonly (string | Buffer)[],
  headers: Record<string, string | string[]> = {},
): Readable & { headers: Record<string, string | string[]>; pulled: number } {
  let i = 0;
  const stream = new Readable({
    read() {
      const c = chunks[i++];
      if (c === undefined) this.push(null);
      else {
        out.pulled += 1;
        this.push(typeof c === 'string' ? Buffer.from(c) : c);
      }
    },
  });
  const out = Object.assign(stream, { headers, pulled: 0 });
  return out;
}

async function rejection(p: Promise<unknown>): Promise<BulwarkError> {
  try {
    await p;
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(BulwarkError);
    return error as BulwarkError;
  }
  throw new Error('expected a rejection');
}

describe('readLimitedBody: size', () => {
  it('passes a body of exactly the limit', async () => {
    const got = await readLimitedBody(body(['12345', '67890']), { limit: 10 });
    expect(got.toString()).toBe('1234567890');
  });

  it('answers 413 with the Mission Control detail one byte over the limit', async () => {
    const e = await rejection(readLimitedBody(body(['12345', '678901']), { limit: 10 }));
    expect(e.status).toBe(413);
    expect(e.code).toBe('payload_too_large');
    expect(e.detail).toBe('Payload exceeds maximum size of 10 bytes.');
    expect(e.headers).toEqual({ Connection: 'close' });
  });

  it('refuses a declared length over the limit before reading a byte', async () => {
    const s = body(['x'.repeat(20)], { 'content-length': '20' });
    const e = await rejection(readLimitedBody(s, { limit: 10 }));
    expect(e.status).toBe(413);
    expect(s.pulled).toBe(0);
  });

  it('stops pulling a streamed body at the first chunk over the limit', async () => {
    const chunks = Array.from({ length: 100 }, () => 'x'.repeat(10_000));
    const s = body(chunks, { 'transfer-encoding': 'chunked' });
    const e = await rejection(readLimitedBody(s, { limit: 25_000 }));
    expect(e.status).toBe(413);
    // Node's stream buffer reads a little ahead (16 KiB on Node 20, 64 KiB from Node 22):
    // the chunks up to the limit, that read-ahead and a couple more, nothing like the 1 MB sent.
    const readAhead = Math.ceil(getDefaultHighWaterMark(false) / 10_000);
    expect(s.pulled).toBeLessThan(Math.ceil(25_000 / 10_000) + readAhead + 3);
  });

  it('uses 1,048,576 bytes by default', async () => {
    const ok = await readLimitedBody(body([Buffer.alloc(1_048_576)]));
    expect(ok.length).toBe(1_048_576);
    const e = await rejection(readLimitedBody(body([Buffer.alloc(1_048_577)])));
    expect(e.detail).toBe('Payload exceeds maximum size of 1048576 bytes.');
  });

  it('reads an empty body', async () => {
    const got = await readLimitedBody(body([], { 'content-length': '0' }), { limit: 0 });
    expect(got.length).toBe(0);
  });
});

describe('readLimitedBody: framing (RFC 9112 section 6.3)', () => {
  it.each([['1e1'], ['+5'], ['5, 5'], ['-1'], [''], ['0x5'], ['5 5']])(
    'rejects Content-Length %j with 400',
    async (value) => {
      const e = await rejection(readLimitedBody(body(['12345'], { 'content-length': value })));
      expect(e.status).toBe(400);
      expect(e.code).toBe('bad_content_length');
    },
  );

  it('rejects several Content-Length field lines with 400', async () => {
    const e = await rejection(readLimitedBody(body(['12345'], { 'content-length': ['5', '6'] })));
    expect(e.status).toBe(400);
  });

  it('rejects Content-Length together with Transfer-Encoding with 400', async () => {
    const s = body(['12345'], { 'content-length': '5', 'transfer-encoding': 'chunked' });
    const e = await rejection(readLimitedBody(s));
    expect(e.status).toBe(400);
    expect(e.detail).toBe('Content-Length and Transfer-Encoding must not be sent together.');
    expect(s.pulled).toBe(0);
  });

  it('rejects a transfer coding other than chunked', async () => {
    const e = await rejection(
      readLimitedBody(body(['x'], { 'transfer-encoding': 'gzip, chunked' })),
    );
    expect(e.status).toBe(400);
  });

  it('rejects a body shorter than declared', async () => {
    const e = await rejection(readLimitedBody(body(['123'], { 'content-length': '5' })));
    expect(e.status).toBe(400);
    expect(e.code).toBe('body_length_mismatch');
  });

  it('rejects a body longer than declared', async () => {
    const e = await rejection(readLimitedBody(body(['1234567'], { 'content-length': '5' })));
    expect(e.code).toBe('body_length_mismatch');
  });

  it('accepts a leading-zero decimal length', async () => {
    const got = await readLimitedBody(body(['12345'], { 'content-length': '005' }));
    expect(got.toString()).toBe('12345');
  });
});

describe('readLimitedBody: content encodings', () => {
  const json = Buffer.from(JSON.stringify({ hello: 'world'.repeat(50) }));

  it('answers 415 for an encoded body unless inflate is on', async () => {
    const e = await rejection(
      readLimitedBody(body([gzipSync(json)], { 'content-encoding': 'gzip' })),
    );
    expect(e.status).toBe(415);
  });

  it.each([
    ['gzip', gzipSync(json)],
    ['deflate', deflateSync(json)],
    ['br', brotliCompressSync(json)],
  ])('decodes %s with inflate', async (coding, encoded) => {
    const got = await readLimitedBody(body([encoded], { 'content-encoding': coding }), {
      inflate: true,
    });
    expect(got.equals(json)).toBe(true);
  });

  it('answers 415 for an unknown coding even with inflate', async () => {
    const e = await rejection(
      readLimitedBody(body(['x'], { 'content-encoding': 'compress' }), { inflate: true }),
    );
    expect(e.status).toBe(415);
  });

  it('answers 413 for a gzip bomb: the limit counts decoded bytes', async () => {
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(20 * 1024);
    const e = await rejection(
      readLimitedBody(body([bomb], { 'content-encoding': 'gzip' }), {
        inflate: true,
        limit: 1_048_576,
      }),
    );
    expect(e.status).toBe(413);
    expect(e.detail).toBe('Payload exceeds maximum size of 1048576 bytes.');
  });

  it('passes a decoded body of exactly the limit', async () => {
    const raw = Buffer.alloc(5000, 7);
    const got = await readLimitedBody(body([gzipSync(raw)], { 'content-encoding': 'gzip' }), {
      inflate: true,
      limit: 5000,
    });
    expect(got.length).toBe(5000);
  });

  it('answers 400 for a corrupt compressed body', async () => {
    const e = await rejection(
      readLimitedBody(body(['not gzip at all'], { 'content-encoding': 'gzip' }), {
        inflate: true,
      }),
    );
    expect(e.status).toBe(400);
  });
});

describe('readLimitedBody: slow, aborted and consumed bodies', () => {
  it('answers 408 when the body does not arrive within timeoutMs', async () => {
    const s = new PassThrough();
    s.write('partial');
    const e = await rejection(readLimitedBody(s, { timeoutMs: 50 }));
    expect(e.status).toBe(408);
    s.destroy();
  });

  it('reports a body read by someone else as consumed', async () => {
    const s = body(['abc']);
    s.resume();
    await new Promise((r) => s.once('end', r));
    const e = await rejection(readLimitedBody(s));
    expect(e.code).toBe('body_consumed');
  });

  it("reads a body bulwark already read once, under the second reader's limit", async () => {
    const stream = body(['{"a":', '1}'], { 'content-length': '7' });
    const first = await readLimitedBody(stream, { limit: 100 });
    const again = await readLimitedBody(stream, { limit: 7 });
    expect(again).toBe(first);
    expect(rememberedBody(stream)).toBe(first);
    const e = await rejection(readLimitedBody(stream, { limit: 6 }));
    expect(e.status).toBe(413);
  });

  it('reads bytes another bulwark layer handed on (Fastify), without streaming them', async () => {
    const stream = body([]);
    rememberBody(stream, Buffer.from('handed on'));
    expect((await readLimitedBody(stream)).toString()).toBe('handed on');
    expect(stream.pulled).toBe(0);
  });

  it('rejects with body_aborted, and nothing unhandled, when a client aborts mid-body', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown): void => {
      uncaught.push(e);
    };
    process.on('uncaughtException', onUncaught);
    let settle: (e: unknown) => void = () => undefined;
    const outcome = new Promise<unknown>((r) => (settle = r));
    const server = createServer((req) => {
      readLimitedBody(req).then(settle, settle);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nhalf');
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    const e = await outcome;
    expect(e).toBeInstanceOf(BulwarkError);
    expect((e as BulwarkError).code).toBe('body_aborted');
    await new Promise((r) => setTimeout(r, 20));
    process.off('uncaughtException', onUncaught);
    server.close();
    expect(uncaught).toEqual([]);
  });
});

describe('body reader options', () => {
  it.each([
    [{ limit: -1 }, /limit/],
    [{ limit: 1.5 }, /limit/],
    [{ timeoutMs: 0 }, /timeoutMs/],
  ])('rejects %j with a TypeError saying what to write', (options, pattern) => {
    expect(() => createBodyReader(options)).toThrow(TypeError);
    expect(() => createBodyReader(options)).toThrow(pattern);
  });

  it('readLimitedBody rejects (does not throw) on a bad option', async () => {
    await expect(readLimitedBody(body([]), { limit: Number.NaN })).rejects.toThrow(TypeError);
  });
});
