import { BulwarkError } from '../errors.js';
import type { BulwarkErrorCode } from '../errors.js';

// Every body rejection may leave unread bytes on the connection. Closing it is the only
// safe way to stop reading them: a keep-alive connection would otherwise have to drain an
// attacker-sized body, or would parse its tail as the next request (request smuggling).
const CLOSE = { Connection: 'close' } as const;

function bodyError(status: number, code: BulwarkErrorCode, detail: string): BulwarkError {
  return new BulwarkError({ status, code, detail, headers: CLOSE });
}

/** 413 with Mission Control's exact detail text. */
export function payloadTooLarge(limit: number): BulwarkError {
  return bodyError(413, 'payload_too_large', `Payload exceeds maximum size of ${limit} bytes.`);
}

export function badContentLength(): BulwarkError {
  return bodyError(
    400,
    'bad_content_length',
    'Invalid Content-Length header: send one plain decimal value.',
  );
}

export function lengthWithTransferEncoding(): BulwarkError {
  return bodyError(
    400,
    'bad_content_length',
    'Content-Length and Transfer-Encoding must not be sent together.',
  );
}

export function unsupportedTransferEncoding(): BulwarkError {
  return bodyError(400, 'bad_request', 'Unsupported Transfer-Encoding: only chunked is accepted.');
}

export function lengthMismatch(): BulwarkError {
  return bodyError(
    400,
    'body_length_mismatch',
    'Request body length does not match Content-Length.',
  );
}

export function encodedBody(): BulwarkError {
  return bodyError(
    415,
    'unsupported_encoding',
    'Content-Encoding is not accepted here: send the body uncompressed.',
  );
}

export function unknownEncoding(): BulwarkError {
  return bodyError(
    415,
    'unsupported_encoding',
    'Unsupported Content-Encoding: use gzip, deflate, br or none.',
  );
}

export function corruptEncoding(cause: unknown): BulwarkError {
  return new BulwarkError({
    status: 400,
    code: 'bad_request',
    detail: 'The compressed request body could not be decoded.',
    headers: CLOSE,
    cause,
  });
}

export function bodyTimeout(): BulwarkError {
  return bodyError(408, 'body_timeout', 'Request body was not received in time.');
}

export function bodyAborted(cause?: unknown): BulwarkError {
  return new BulwarkError({
    status: 400,
    code: 'body_aborted',
    detail: 'Request body was not received completely.',
    headers: CLOSE,
    cause,
  });
}

/**
 * Not the client's fault: a JSON (or other) body parser ran first and consumed the stream, so
 * there are no raw bytes left to limit or to check a signature against. Answered 500 (the
 * request is refused, never passed on unchecked), and the server log names the parser and
 * the mounting order (see `reportBodyConsumed`); the client only learns that it was refused.
 */
export function bodyConsumed(): BulwarkError {
  return new BulwarkError({
    status: 500,
    code: 'body_consumed',
    detail:
      'The request body was read by another body parser before it could be checked; see the server log.',
  });
}
