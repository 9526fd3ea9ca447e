import type { BulwarkError } from './errors.js';

/** A rejection as plain HTTP values, ready for any framework to send. */
export interface RenderedRejection {
  /** HTTP status code. */
  readonly status: number;
  /** Headers to set, including `Content-Type`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The serialized JSON body, `{"detail": ...}`. */
  readonly body: string;
}

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The one rendering of a {@link BulwarkError} that every adapter shares, so a 413 or 429
 * looks byte-for-byte the same on Express, Koa and Fastify: `{"detail": ...}` as JSON, with
 * the error's own headers (such as `Retry-After`).
 */
export function renderRejection(error: BulwarkError): RenderedRejection {
  return {
    status: error.status,
    headers: { ...error.headers, 'Content-Type': JSON_CONTENT_TYPE },
    body: JSON.stringify({ detail: error.detail }),
  };
}
