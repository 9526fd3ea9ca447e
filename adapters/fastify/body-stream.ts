import { Readable } from 'node:stream';
import type { RouteOptions } from 'fastify';
import { rememberBody } from 'bulwark';

/**
 * The bytes bulwark already read, as the payload stream Fastify's content-type parsers
 * read next (and any later bulwark hook reads at once, without streaming them again).
 * `receivedEncodedLength` is what Fastify checks its own bodyLimit against.
 */
export function replayedPayload(raw: Buffer): Readable & { receivedEncodedLength: number } {
  const stream = Object.assign(Readable.from(raw.length === 0 ? [] : [raw]), {
    receivedEncodedLength: raw.length,
  });
  rememberBody(stream, raw);
  return stream;
}

/**
 * Fastify's own bodyLimit (1 MiB by default) still applies when its parser reads the
 * replayed bytes: raise it on routes bulwark guards, so bulwark's limit is the one that
 * answers.
 */
export function raiseBodyLimit(route: RouteOptions, limit: number, serverLimit: number): void {
  const current = route.bodyLimit ?? serverLimit;
  if (current < limit) route.bodyLimit = limit;
}

/**
 * True when the request carries a body (RFC 9112 section 6.3: a request without
 * Content-Length or Transfer-Encoding has none), so bodyless requests skip the reader.
 */
export function hasBody(headers: Readonly<Record<string, unknown>>): boolean {
  return headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined;
}
