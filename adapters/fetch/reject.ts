import { reportBodyConsumed } from 'bulwark';
import type { BodyReceipt, BulwarkError, LoggerLike, MaybePromise } from 'bulwark';
import { onRejectAnswer, rejectionResponse } from '../shared/web.js';
import type { Pass } from './guard.js';

/**
 * Replaces bulwark's default `{"detail": ...}` answer for a rejected request: return the
 * `Response` to send. The guard adds the security and CORS headers it would add to its own
 * answer (your headers win). A throw, a rejected promise or anything that is not a
 * `Response` is answered with bulwark's default instead, and logged once
 * (`misuse.on_reject`): a rejected request never reaches the handler.
 */
export type FetchOnReject = (error: BulwarkError, request: Request) => Response | Promise<Response>;

/** Options every Fetch guard of bulwark that can refuse a request accepts. */
export interface FetchRejectOptions {
  /** Called instead of answering with the default JSON rejection. Default: `{"detail": ...}` with the error's status and headers. */
  readonly onReject?: FetchOnReject;
  /**
   * Where wiring mistakes seen while serving are logged, once per process each (an
   * `onReject` that fails, a body read before the guard). Default: the limiter's logger for
   * `rateLimit`, else `console`.
   */
  readonly logger?: LoggerLike;
}

/**
 * The answer to a rejection: bulwark's shared `{"detail": ...}` rendering, or the app's
 * `onReject`. A handler answers a `BulwarkError` of its own the same way:
 * `return rejectFetch(error, request)`.
 */
export function rejectFetch(
  error: BulwarkError,
  request: Request,
  onReject?: FetchOnReject,
  logger: LoggerLike = console,
): MaybePromise<Response> {
  if (onReject === undefined) return rejectionResponse(error);
  return onRejectAnswer(
    () => onReject(error, request),
    () => rejectionResponse(error),
    logger,
  );
}

const READER =
  'another reader of the Request body (request.json(), text(), formData(), arrayBuffer(), a read of request.body, or a framework body parser)';
const INSTEAD =
  "give the guard the request before anything reads its body, and use the verdict (verdict.body, verdict.rawBody) or withBulwark's { body, rawBody } instead of reading it again";

/**
 * Applies a body receipt: a rejection is answered (a body read before the guard is logged
 * once, with where the guard goes); accepted bytes become the verdict's `rawBody` and `body`.
 */
export function settleFetch(
  receipt: BodyReceipt,
  pass: Pass,
  onReject: FetchOnReject | undefined,
  logger: LoggerLike,
): MaybePromise<Response | undefined> {
  if (!receipt.ok) {
    if (receipt.error.code === 'body_consumed') reportBodyConsumed(logger, READER, INSTEAD);
    return rejectFetch(receipt.error, pass.request, onReject, logger);
  }
  pass.rawBody = receipt.rawBody;
  pass.body = receipt.body;
  return undefined;
}
