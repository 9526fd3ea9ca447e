import type { Readable } from 'node:stream';
import type { BulwarkError } from '../errors.js';
import { isBulwarkError } from '../errors.js';
import type { LoggerLike } from '../log/logger-kind.js';
import type { HeaderBag, ReadLimitedBodyOptions } from './options.js';
import { parseBody } from './parse.js';
import type { BodyParseMode } from './parse.js';
import { createBodyReader } from './read.js';

/** Options for the `payloadLimit` middleware of each adapter. */
export interface PayloadLimitOptions extends Omit<ReadLimitedBodyOptions, 'headers'> {
  /**
   * How the body is parsed once read: `'auto'` (by Content-Type: JSON, form fields or
   * text; other types only `rawBody`), `'json'` (always JSON, whatever the Content-Type)
   * or `'none'` (only `rawBody`). Invalid JSON is a 400. Default: `'auto'`.
   */
  readonly parseAs?: BodyParseMode;
  /**
   * Where wiring mistakes seen while serving are reported, once per process each: a body
   * parser that read the request first, an `onReject` that failed, a secret function that
   * threw. Any pino-, winston- or console-shaped logger. Default: `console`.
   */
  readonly logger?: LoggerLike;
}

/** The outcome of receiving a body: the bytes and the parsed value, or the rejection. */
export type BodyReceipt =
  | { readonly ok: true; readonly rawBody: Buffer; readonly body: unknown }
  | { readonly ok: false; readonly error: BulwarkError };

/** Reads and parses request bodies under options validated once. */
export interface BodyReceiver {
  receive(stream: Readable, headers: HeaderBag): Promise<BodyReceipt>;
}

export function checkParseMode(mode: unknown): BodyParseMode {
  if (mode === 'auto' || mode === 'json' || mode === 'none') return mode;
  throw new TypeError(
    `bulwark: parseAs: ${JSON.stringify(mode)} is not a mode; write 'auto', 'json' or 'none'.`,
  );
}

export function contentTypeOf(headers: HeaderBag): string | undefined {
  const v = headers['content-type'];
  return typeof v === 'string' ? v : v?.[0];
}

/** A `BulwarkError` as a receipt; anything else (a bug, not client input) is rethrown. */
export function asReceipt(error: unknown): { ok: false; error: BulwarkError } {
  if (isBulwarkError(error)) return { ok: false, error };
  throw error;
}

/**
 * The payload limit as one decision for adapters: read the body under the limit, then
 * parse it. Every client-caused failure resolves as `{ ok: false, error }`.
 */
export function createBodyReceiver(options: PayloadLimitOptions = {}): BodyReceiver {
  const { parseAs = 'auto', ...readOptions } = options;
  const mode = checkParseMode(parseAs);
  const read = createBodyReader(readOptions);
  return {
    async receive(stream, headers) {
      try {
        const rawBody = await read(stream, headers);
        return { ok: true, rawBody, body: parseBody(rawBody, contentTypeOf(headers), mode) };
      } catch (error: unknown) {
        return asReceipt(error);
      }
    },
  };
}
