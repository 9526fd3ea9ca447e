import { DEFAULT_MAX_PAYLOAD_BYTES } from '../config.js';
import { failOption } from '../util/options.js';

/** Header values as Node gives them (`IncomingHttpHeaders`), or any plain record like it. */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Options for {@link readLimitedBody} and {@link createBodyReader}. */
export interface ReadLimitedBodyOptions {
  /**
   * Largest accepted body in bytes (after decoding, with `inflate`). Exactly this many bytes
   * pass; one more is a 413. Default: {@link DEFAULT_MAX_PAYLOAD_BYTES} (1,048,576, the
   * `WEBHOOK_MAX_PAYLOAD_BYTES` default; pass `configFromEnv().webhook.maxPayloadBytes` to
   * follow the environment).
   */
  readonly limit?: number;
  /**
   * Request headers used for framing (`Content-Length`, `Transfer-Encoding`,
   * `Content-Encoding`). Default: the stream's own `headers` (a Node `IncomingMessage` has
   * them), else none.
   */
  readonly headers?: HeaderBag;
  /**
   * Decode `Content-Encoding: gzip`, `deflate` or `br`, counting the limit on the decoded
   * bytes. With `false`, an encoded body is a 415. Default: `false`.
   */
  readonly inflate?: boolean;
  /**
   * Longest time, in milliseconds, the whole body may take to arrive; a slower body is a 408.
   * This stops slow-drip clients from holding a buffer and a socket open indefinitely.
   * Default: 30,000 (30 s).
   */
  readonly timeoutMs?: number;
}

/** Validated options with every default filled in. */
export interface BodyReaderSettings {
  readonly limit: number;
  readonly inflate: boolean;
  readonly timeoutMs: number;
}

/** Default for `timeoutMs`: 30 seconds for the whole body. */
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;

function fail(option: string, problem: string, instead: string): never {
  return failOption('body', option, problem, instead);
}

/** Validates reader options once; a bad option throws a TypeError saying what to write. */
export function bodyReaderSettings(options: ReadLimitedBodyOptions = {}): BodyReaderSettings {
  const { limit = DEFAULT_MAX_PAYLOAD_BYTES, inflate = false } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    fail(
      'limit',
      `${String(limit)} is not a whole number of bytes`,
      `write a whole number such as ${DEFAULT_MAX_PAYLOAD_BYTES} (1 MiB)`,
    );
  }
  if (typeof inflate !== 'boolean') fail('inflate', 'expected a boolean', 'write true or false');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    fail(
      'timeoutMs',
      `${String(timeoutMs)} is not a positive number of milliseconds`,
      `write a duration such as ${DEFAULT_BODY_TIMEOUT_MS}`,
    );
  }
  return { limit, inflate, timeoutMs };
}
