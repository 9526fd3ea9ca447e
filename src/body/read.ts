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

// The bytes bulwark read from a request stream, kept on the stream itself: a payloadLimit
// mounted globally and a verifyWebhook on the route then read one body once, instead of
// the second one finding the stream drained. Symbol.for, so every copy of bulwark agrees.
const kBody = Symbol.for('bulwark.body.bytes');
interface Remembered {
  [kBody]?: Buffer;
}

/**
 * Records that `bytes` are the body of `stream`, read by bulwark (the Fastify adapter calls
 * this on the stream it hands on). A later bulwark reader of the same stream uses them.
 */
export function rememberBody(stream: Readable, bytes: Buffer): void {
  (stream as Readable & Remembered)[kBody] = bytes;
}

/** The body bulwark already read from this stream, if it did. */
export function rememberedBody(stream: Readable): Buffer | undefined {
  return (stream as Readable & Remembered)[kBody];
}

/**
 * True when someone else already read this stream: a JSON parser mounted first leaves no
 * raw bytes to limit or to check a signature against. A body bulwark itself read is not
 * consumed: it is remembered (see {@link rememberedBody}).
 */
export function isBodyConsumed(stream: Readable): boolean {
  return (stream.readableEnded || stream.readableDidRead) && rememberedBody(stream) === undefined;
}

function decoderFor(encoding: NonNullable<BodyFraming['encoding']>): Transform {
  if (encoding === 'gzip') return createGunzip();
  if (encoding === 'deflate') return createInflate();
  return createBrotliDecompress();
}

function read(stream: Readable, headers: HeaderBag, settings: BodyReaderSettings): Promise<Buffer> {
  const remembered = rememberedBody(stream);
  if (remembered !== undefined) {
    // Read earlier by another bulwark middleware: its limit applied then, this one's now.
    return remembered.length > settings.limit
      ? Promise.reject(payloadTooLarge(settings.limit))
      : Promise.resolve(remembered);
  }
  if (stream.readableEnded || stream.readableDidRead) return Promise.reject(bodyConsumed());
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
    new BodyRead(stream, framing, settings, resolve, reject).start();
  });
}

/**
 * One body being read. A class rather than closures: the handlers live on the prototype
 * and are bound once per read, which keeps the per-request cost at a few allocations.
 */
class BodyRead {
  readonly #stream: Readable;
  readonly #declared: number;
  readonly #limit: number;
  readonly #decoder: Transform | undefined;
  readonly #resolve: (body: Buffer) => void;
  readonly #reject: (error: Error) => void;
  readonly #chunks: Buffer[] = [];
  readonly #timer: NodeJS.Timeout;
  #held = 0; // bytes kept (decoded bytes when inflating): never above `limit`
  #wire = 0; // bytes received from the client
  #wireEnded = false;
  #done = false;
  readonly #onWire = this.onWire.bind(this);
  readonly #onWireEnd = this.onWireEnd.bind(this);
  readonly #onWireError = this.onWireError.bind(this);
  readonly #onWireClose = this.onWireClose.bind(this);
  readonly #onDecoded = this.keep.bind(this);
  readonly #onDecodedEnd = this.finish.bind(this, undefined);
  readonly #onDecoderError = this.onDecoderError.bind(this);

  constructor(
    stream: Readable,
    framing: BodyFraming,
    settings: BodyReaderSettings,
    resolve: (body: Buffer) => void,
    reject: (error: Error) => void,
  ) {
    this.#stream = stream;
    this.#declared = framing.declaredLength;
    this.#limit = settings.limit;
    this.#decoder = framing.encoding === undefined ? undefined : decoderFor(framing.encoding);
    this.#resolve = resolve;
    this.#reject = reject;
    // A slow-drip body must not hold a buffer and a socket forever.
    this.#timer = setTimeout(this.onTimeout.bind(this), settings.timeoutMs);
    this.#timer.unref();
  }

  start(): void {
    const stream = this.#stream;
    stream.on('data', this.#onWire);
    stream.on('end', this.#onWireEnd);
    stream.on('error', this.#onWireError);
    stream.on('close', this.#onWireClose);
    const decoder = this.#decoder;
    if (decoder !== undefined) {
      decoder.on('data', this.#onDecoded);
      decoder.on('end', this.#onDecodedEnd);
      decoder.on('error', this.#onDecoderError);
      stream.pipe(decoder);
    }
    if (stream.isPaused()) stream.resume();
  }

  private cleanup(): void {
    clearTimeout(this.#timer);
    const stream = this.#stream;
    stream.removeListener('data', this.#onWire);
    stream.removeListener('end', this.#onWireEnd);
    stream.removeListener('error', this.#onWireError);
    stream.removeListener('close', this.#onWireClose);
    stream.on('error', ignore);
    const decoder = this.#decoder;
    if (decoder !== undefined) {
      decoder.removeListener('data', this.#onDecoded);
      decoder.removeListener('end', this.#onDecodedEnd);
      decoder.removeListener('error', this.#onDecoderError);
      decoder.on('error', ignore);
      stream.unpipe(decoder);
      decoder.destroy();
    }
  }

  private finish(error: Error | undefined): void {
    if (this.#done) return;
    this.#done = true;
    this.cleanup();
    if (error !== undefined) {
      // Stop pulling bytes: the adapter answers with Connection: close and the rest of
      // the body is never read into memory.
      this.#stream.pause();
      this.#reject(error);
      return;
    }
    const chunks = this.#chunks;
    const only = chunks.length === 1 ? chunks[0] : undefined;
    const body = only ?? Buffer.concat(chunks, this.#held);
    rememberBody(this.#stream, body);
    this.#resolve(body);
  }

  private keep(chunk: Buffer): void {
    const next = this.#held + chunk.length;
    // Checked before the chunk is kept, so at most `limit` bytes are ever held; exactly
    // `limit` passes.
    if (next > this.#limit) {
      this.finish(payloadTooLarge(this.#limit));
      return;
    }
    this.#chunks.push(chunk);
    this.#held = next;
  }

  private onWire(chunk: Buffer): void {
    const wire = (this.#wire += chunk.length);
    // More bytes than declared: a framing disagreement, never silently truncated.
    if (this.#declared >= 0 && wire > this.#declared) {
      this.finish(lengthMismatch());
      return;
    }
    if (this.#decoder === undefined) this.keep(chunk);
    else if (wire > this.#limit) this.finish(payloadTooLarge(this.#limit));
  }

  private onWireEnd(): void {
    this.#wireEnded = true;
    if (this.#declared >= 0 && this.#wire !== this.#declared) {
      this.finish(lengthMismatch());
      return;
    }
    if (this.#decoder === undefined) this.finish(undefined);
  }

  private onWireError(error: unknown): void {
    this.finish(bodyAborted(error));
  }

  private onWireClose(): void {
    if (!this.#wireEnded) this.finish(bodyAborted());
  }

  private onTimeout(): void {
    this.finish(bodyTimeout());
  }

  private onDecoderError(error: unknown): void {
    this.finish(corruptEncoding(error));
  }
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
