import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import {
  bodyAborted,
  bodyConsumed,
  bodyTimeout,
  corruptEncoding,
  lengthMismatch,
  payloadTooLarge,
} from './errors.js';
import { readFraming } from './framing.js';
import type { BodyFraming } from './framing.js';
import { bodyReaderSettings } from './options.js';
import type { BodyReaderSettings, HeaderBag, ReadLimitedBodyOptions } from './options.js';

/** Reads one request body under validated, precomputed settings. */
export type BodyReader = (stream: Readable, headers?: HeaderBag) => Promise<Buffer>;

const NO_HEADERS: HeaderBag = {};

// A late 'error' (the client resetting after we stopped listening) must never become an
// unhandled 'error' event, which would crash the process.
const ignore = (): void => undefined;

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function headersOf(stream: Readable): HeaderBag {
  const h = (stream as Readable & { headers?: unknown }).headers;
  return typeof h === 'object' && h !== null ? (h as HeaderBag) : NO_HEADERS;
}

/**
 * True when someone else already read this stream: a JSON parser mounted first leaves no
 * raw bytes to limit or to check a signature against.
 */
export function isBodyConsumed(stream: Readable): boolean {
  return stream.readableEnded || stream.readableDidRead;
}

function decoderFor(encoding: NonNullable<BodyFraming['encoding']>): Transform {
  if (encoding === 'gzip') return createGunzip();
  if (encoding === 'deflate') return createInflate();
  return createBrotliDecompress();
}

function read(stream: Readable, headers: HeaderBag, settings: BodyReaderSettings): Promise<Buffer> {
  if (isBodyConsumed(stream)) return Promise.reject(bodyConsumed());
  let framing: BodyFraming;
  try {
    framing = readFraming(headers, settings.inflate);
  } catch (error: unknown) {
    return Promise.reject(asError(error));
  }
  const { limit } = settings;
  const declared = framing.declaredLength;
  // 413 before a byte is read: the declared size alone is enough to refuse.
  if (declared > limit) return Promise.reject(payloadTooLarge(limit));

  return new Promise<Buffer>((resolve, reject) => {
    const decoder = framing.encoding === undefined ? undefined : decoderFor(framing.encoding);
    const chunks: Buffer[] = [];
    let held = 0; // bytes kept (decoded bytes when inflating): never above `limit`
    let wire = 0; // bytes received from the client
    let wireEnded = false;
    let done = false;

    const timer = setTimeout(() => {
      finish(bodyTimeout());
    }, settings.timeoutMs);
    timer.unref();

    function cleanup(): void {
      clearTimeout(timer);
      stream.removeListener('data', onWire);
      stream.removeListener('end', onWireEnd);
      stream.removeListener('error', onWireError);
      stream.removeListener('close', onWireClose);
      stream.on('error', ignore);
      if (decoder !== undefined) {
        decoder.removeListener('data', onDecoded);
        decoder.removeListener('end', onDecodedEnd);
        decoder.removeListener('error', onDecoderError);
        decoder.on('error', ignore);
        stream.unpipe(decoder);
        decoder.destroy();
      }
    }

    function finish(error: Error | undefined): void {
      if (done) return;
      done = true;
      cleanup();
      if (error !== undefined) {
        // Stop pulling bytes: the adapter answers with Connection: close and the rest of
        // the body is never read into memory.
        stream.pause();
        reject(error);
        return;
      }
      const only = chunks.length === 1 ? chunks[0] : undefined;
      resolve(only ?? Buffer.concat(chunks, held));
    }

    function keep(chunk: Buffer): boolean {
      const next = held + chunk.length;
      // Checked before the chunk is kept, so at most `limit` bytes are ever held; exactly
      // `limit` passes.
      if (next > limit) {
        finish(payloadTooLarge(limit));
        return false;
      }
      chunks.push(chunk);
      held = next;
      return true;
    }

    function onWire(chunk: Buffer): void {
      wire += chunk.length;
      // More bytes than declared: a framing disagreement, never silently truncated.
      if (declared >= 0 && wire > declared) {
        finish(lengthMismatch());
        return;
      }
      if (decoder === undefined) {
        keep(chunk);
      } else if (wire > limit) {
        finish(payloadTooLarge(limit));
      }
    }

    function onWireEnd(): void {
      wireEnded = true;
      if (declared >= 0 && wire !== declared) {
        finish(lengthMismatch());
        return;
      }
      if (decoder === undefined) finish(undefined);
    }

    function onWireError(error: unknown): void {
      finish(bodyAborted(error));
    }

    function onWireClose(): void {
      if (!wireEnded) finish(bodyAborted());
    }

    function onDecoded(chunk: Buffer): void {
      keep(chunk);
    }

    function onDecodedEnd(): void {
      finish(undefined);
    }

    function onDecoderError(error: unknown): void {
      finish(corruptEncoding(error));
    }

    stream.on('data', onWire);
    stream.on('end', onWireEnd);
    stream.on('error', onWireError);
    stream.on('close', onWireClose);
    if (decoder !== undefined) {
      decoder.on('data', onDecoded);
      decoder.on('end', onDecodedEnd);
      decoder.on('error', onDecoderError);
      stream.pipe(decoder);
    }
    if (stream.isPaused()) stream.resume();
  });
}

/**
 * A body reader with its options validated once (a bad option throws a `TypeError` here,
 * at startup). Headers come from the call, else from `options.headers`, else from the
 * stream itself (a Node `IncomingMessage`).
 */
export function createBodyReader(options: ReadLimitedBodyOptions = {}): BodyReader {
  const settings = bodyReaderSettings(options);
  const fixed = options.headers;
  return (stream, headers) => read(stream, headers ?? fixed ?? headersOf(stream), settings);
}

/**
 * Reads a request body into one Buffer, enforcing the size limit on the declared length,
 * on the streamed count and (with `inflate`) on the decoded size. Rejects with a
 * `BulwarkError`: 413 over the limit (Mission Control's detail text), 400 for the RFC 9112
 * section 6.3 smuggling shapes and length mismatches, 415 for a Content-Encoding unless
 * `inflate`, 408 when the body takes longer than `timeoutMs`, 400 when the client aborts.
 * Every one of them carries `Connection: close`.
 */
export function readLimitedBody(
  stream: Readable,
  options: ReadLimitedBodyOptions = {},
): Promise<Buffer> {
  let settings: BodyReaderSettings;
  try {
    settings = bodyReaderSettings(options);
  } catch (error: unknown) {
    return Promise.reject(asError(error));
  }
  return read(stream, options.headers ?? headersOf(stream), settings);
}
