import {
  badContentLength,
  encodedBody,
  lengthWithTransferEncoding,
  unknownEncoding,
  unsupportedTransferEncoding,
} from './errors.js';
import type { HeaderBag } from './options.js';

/** How the body is framed and encoded, read from the request headers. */
export interface BodyFraming {
  /** The declared length, or -1 for chunked / unknown length. */
  readonly declaredLength: number;
  /** The content coding to undo, or undefined for none. */
  readonly encoding: 'gzip' | 'deflate' | 'br' | undefined;
}

// RFC 9110 section 8.6: Content-Length = 1*DIGIT. Anything else ("+5", "1e3", " 5 5", "5, 6")
// is rejected outright instead of guessed at, the way a smuggling front end and back end
// would guess differently.
const DECIMAL = /^[0-9]{1,15}$/;

function single(headers: HeaderBag, name: string): string | undefined | null {
  const v = headers[name];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  // Repeated field lines: null tells the caller "several values".
  if (v.length === 1) return v[0];
  return null;
}

/**
 * The framing checks of RFC 9112 section 6.3, applied before a byte of the body is read:
 * a Content-Length that is not one plain decimal, several Content-Length values, or
 * Content-Length together with Transfer-Encoding are the request-smuggling shapes, so each
 * is a 400 rather than a best guess. Throws a `BulwarkError`.
 */
export function readFraming(headers: HeaderBag, inflate: boolean): BodyFraming {
  const te = single(headers, 'transfer-encoding');
  const cl = single(headers, 'content-length');
  let declaredLength = -1;
  if (te !== undefined) {
    if (cl !== undefined) throw lengthWithTransferEncoding();
    // Node decodes only chunked; any other transfer coding would reach us still encoded.
    if (te?.trim().toLowerCase() !== 'chunked') throw unsupportedTransferEncoding();
  } else if (cl !== undefined) {
    if (cl === null) throw badContentLength();
    const trimmed = cl.trim();
    if (!DECIMAL.test(trimmed)) throw badContentLength();
    declaredLength = Number(trimmed);
  }
  return { declaredLength, encoding: readEncoding(headers, inflate) };
}

function readEncoding(headers: HeaderBag, inflate: boolean): BodyFraming['encoding'] {
  const ce = single(headers, 'content-encoding');
  if (ce === undefined) return undefined;
  if (ce === null) throw inflate ? unknownEncoding() : encodedBody();
  const coding = ce.trim().toLowerCase();
  if (coding === '' || coding === 'identity') return undefined;
  if (!inflate) throw encodedBody();
  if (coding === 'gzip' || coding === 'x-gzip') return 'gzip';
  if (coding === 'deflate') return 'deflate';
  if (coding === 'br') return 'br';
  // Stacked codings ("gzip, br") are legal but unused by webhook senders; refusing them
  // keeps one decoder and one limit.
  throw unknownEncoding();
}
