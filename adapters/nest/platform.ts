import { IncomingMessage, ServerResponse } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The request a Nest handler gets with `@Req()`: Express's `req` on
 * @nestjs/platform-express, Fastify's `request` on @nestjs/platform-fastify. Both carry the
 * request headers; bulwark reads everything else from Node's request underneath.
 */
export interface NestRequest {
  /** The request headers, names in lower case. */
  readonly headers: IncomingHttpHeaders;
}

/** The raw bytes and the parsed body bulwark leaves on the platform's request. */
interface BodyFields {
  rawBody?: Buffer;
  body?: unknown;
}

/**
 * Node's request under a platform request: Express's `req` is one, Fastify's request holds
 * it at `.raw`. Nest middleware get Node's request on both platforms (on Fastify through
 * @fastify/middie).
 */
export function nodeRequest(request: object): IncomingMessage {
  // Express's own first: reading a `raw` it lacks walks its whole prototype chain.
  if (request instanceof IncomingMessage) return request;
  const raw = (request as { raw?: unknown }).raw;
  return raw instanceof IncomingMessage ? raw : (request as IncomingMessage);
}

const isResponse = (value: unknown): value is ServerResponse => value instanceof ServerResponse;

/** Node's response under a platform response: Express's `res`, or Fastify's `reply.raw`. */
export function nodeResponse(response: object): ServerResponse {
  if (isResponse(response)) return response;
  const raw = (response as { raw?: unknown }).raw;
  return isResponse(raw) ? raw : (response as ServerResponse);
}

/**
 * The request target as the client sent it (`/path?query`), for schemes that sign the URL:
 * Express keeps it in `originalUrl` (its routers rewrite `url`), and so does @fastify/middie
 * on Node's request; Fastify itself never rewrites `url`.
 */
export function requestTarget(req: IncomingMessage): string {
  return (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
}

/** The raw body Nest's parser left (`rawBody: true`), or bulwark's own. */
export function platformRawBody(request: NestRequest): Buffer | undefined {
  const raw = (request as NestRequest & BodyFields).rawBody;
  return Buffer.isBuffer(raw) ? raw : undefined;
}

/** Whether a parser already set the platform request's body. */
export function hasParsedBody(request: NestRequest): boolean {
  return (request as NestRequest & BodyFields).body !== undefined;
}

/**
 * Leaves the bytes and the parsed body on the platform request, for `@Body()` and `@Req()`;
 * a body the app's own parser produced from the same bytes is kept as it made it.
 */
export function setBody(request: NestRequest, rawBody: Buffer, body: unknown): void {
  const fields = request as NestRequest & BodyFields;
  fields.rawBody = rawBody;
  if (fields.body === undefined) fields.body = body;
}

/** Sets every header of a precomputed record (a rate-limit outcome's, an error's) on Node's response. */
export function setHeaders(
  res: ServerResponse,
  headers: Readonly<Record<string, string | undefined>>,
): void {
  if (res.headersSent) return;
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) res.setHeader(name, value);
  }
}
