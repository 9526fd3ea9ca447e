import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/**
 * A request as the framework-free handlers see it. Each framework file fills this in from
 * its own request object; nothing below knows which framework served it.
 */
export interface AppRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Route parameters by name (`board_id`, `webhook_id`, ...). */
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** Socket peer address; the client IP is derived from it (and trusted proxies) by bulwark. */
  readonly remoteAddress: string | undefined;
  /** Parsed JSON body for ordinary routes; `undefined` where the route reads the raw stream. */
  readonly body: unknown;
  /** The unread body stream, for the webhook ingest route only. */
  readonly raw: IncomingMessage;
  readonly requestId: string;
}

/** A response as plain values; the framework file sends it. */
export interface AppResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A handler failure that becomes `{"detail": ...}` with its status. */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, detail: string, headers: Readonly<Record<string, string>> = {}) {
    super(detail);
    this.status = status;
    this.headers = headers;
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, `${what} not found.`);
export const forbidden = (): HttpError => new HttpError(403, 'Not allowed.');

export function json(status: number, body: unknown): AppResponse {
  return { status, body };
}
