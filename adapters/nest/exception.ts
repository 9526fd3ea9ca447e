import type { ServerResponse } from 'node:http';
import { HttpException } from '@nestjs/common';
import type { BulwarkError } from 'bulwark';
import { nodeResponse, setHeaders } from './platform.js';

/**
 * A request bulwark refused, as the HttpException Nest's exception layer answers: the
 * error's status and `{"detail": ...}` as JSON (Nest's default filter sends exactly the other
 * adapters' body and `Content-Type: application/json; charset=utf-8` on both platforms).
 * The error's own headers (`Retry-After`, `RateLimit`, `Connection: close`) are set on the
 * response before it is thrown, as @nestjs/throttler does, so an exception filter of the
 * app that answers it its own way keeps them. Catch it with `@Catch(BulwarkHttpException)`
 * to change how rejections look; `error` is the bulwark error behind it.
 */
export class BulwarkHttpException extends HttpException {
  /** The rejection: `status`, `code`, `detail` and `headers`. */
  readonly error: BulwarkError;

  constructor(error: BulwarkError) {
    super({ detail: error.detail }, error.status, { cause: error });
    this.error = error;
  }
}

/** The error's headers (everything but Content-Type, which the filter that answers sets). */
function setErrorHeaders(res: ServerResponse, error: BulwarkError): void {
  setHeaders(res, error.headers);
}

/**
 * A bulwark rejection from a handler of the app: sets the error's headers on the response
 * (Express's `res` or Fastify's `reply`, as `@Res({ passthrough: true })` gives it) and
 * returns the exception to throw, so it is answered exactly as bulwark's own rejections:
 * `throw rejectNest(new BulwarkError({ status: 429, ... }), res)`.
 */
export function rejectNest(error: BulwarkError, response: object): BulwarkHttpException {
  setErrorHeaders(nodeResponse(response), error);
  return new BulwarkHttpException(error);
}

/** The exception for a rejection bulwark decided, its headers set on Node's response first. */
export function rejection(error: BulwarkError, res: ServerResponse): BulwarkHttpException {
  setErrorHeaders(res, error);
  return new BulwarkHttpException(error);
}
