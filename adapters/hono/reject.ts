import type { Context } from 'hono';
import type { StatusCode } from 'hono/utils/http-status';
import { renderRejection, reportBodyConsumed } from 'bulwark';
import { onRejectAnswer } from '../shared/web.js';
import type { BodyReceipt, BulwarkError, LoggerLike } from 'bulwark';
import { bodyCachedByOthers, keepBody } from './context.js';

/**
 * Replaces bulwark's default `{"detail": ...}` answer for a rejected request: it returns the
 * response to send (`c.json(...)`, `new Response(...)`). A throw, a rejected promise or a
 * value that is not a `Response` is answered with bulwark's default instead, and logged once;
 * a rejected request is never passed on.
 */
export type HonoOnReject = (error: BulwarkError, c: Context) => Response | Promise<Response>;

/** Options every Hono middleware of bulwark accepts. */
export interface HonoRejectOptions {
  /** Called instead of answering with the default JSON rejection. Default: answer `{"detail": ...}` with the error's status and headers. */
  readonly onReject?: HonoOnReject;
  /**
   * Where wiring mistakes seen while serving are logged, once per process each (an
   * `onReject` that throws, a body read before bulwark). Default: the limiter's logger for
   * `rateLimit`, else `console`.
   */
  readonly logger?: LoggerLike;
}

/**
 * The default answer, built through the context as Hono's own `c.json()` is: headers set
 * earlier with `c.header()` (CORS, the app's own) are kept, the rejection's win.
 */
function answerDefault(error: BulwarkError, c: Context): Response {
  const r = renderRejection(error);
  return c.newResponse(r.body, r.status as StatusCode, r.headers);
}

/**
 * The response for a rejected request: bulwark's shared `{"detail": ...}` answer, or the
 * app's `onReject`. Return it from a middleware or handler: `return rejectHono(error, c)`.
 */
export async function rejectHono(
  error: BulwarkError,
  c: Context,
  onReject?: HonoOnReject,
  logger: LoggerLike = console,
): Promise<Response> {
  if (onReject === undefined) return answerDefault(error, c);
  return onRejectAnswer(
    () => onReject(error, c),
    () => answerDefault(error, c),
    logger,
  );
}

const MOUNT =
  "mount payloadLimit()/verifyWebhook() before any middleware or validator that reads the body (app.use order, then the route's own), and read the checked body with c.get('body'), c.get('rawBody') or c.req.json()";

/** Which reader took the body first, from what it left on the request. */
function parserOf(c: Context): string {
  if (bodyCachedByOthers(c)) {
    return "c.req.json(), c.req.text(), c.req.parseBody() or a validator such as hono/validator or @hono/zod-validator (Hono's body cache was already filled)";
  }
  return 'another middleware that read c.req.raw (its body was already used)';
}

/**
 * Applies a body receipt: a rejection is answered (the response is returned); accepted bytes
 * become `c.get('rawBody')`, the parsed body `c.get('body')` and Hono's body cache, and the
 * request goes on.
 */
export async function settleHono(
  receipt: BodyReceipt,
  c: Context,
  next: () => Promise<void>,
  onReject: HonoOnReject | undefined,
  logger: LoggerLike,
): Promise<Response | undefined> {
  if (!receipt.ok) {
    if (receipt.error.code === 'body_consumed') reportBodyConsumed(logger, parserOf(c), MOUNT);
    return rejectHono(receipt.error, c, onReject, logger);
  }
  keepBody(c, receipt.rawBody, receipt.body);
  await next();
  return undefined;
}
