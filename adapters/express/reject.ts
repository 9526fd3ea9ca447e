import type { NextFunction, Request, Response } from 'express';
import { isPromise, renderRejection, reportBodyConsumed, reportOnRejectFailure } from 'bulwark';
import type { BodyReceipt, BulwarkError, LoggerLike } from 'bulwark';
import { setNodeHeaders } from '../shared/node-headers.js';

/**
 * Replaces bulwark's default `{"detail": ...}` answer for a rejected request. It must answer
 * (or call `next(error)` for the app's error handler); `next()` without an error is not
 * allowed to pass a rejected request on, and a throw or a rejected promise is answered with
 * bulwark's default, logged once.
 */
export type ExpressOnReject = (
  error: BulwarkError,
  req: Request,
  res: Response,
  next: NextFunction,
) => void | Promise<void>;

/** Options every Express middleware of bulwark accepts. */
export interface ExpressRejectOptions {
  /** Called instead of sending the default JSON rejection. Default: send `{"detail": ...}` with the error's status and headers. */
  readonly onReject?: ExpressOnReject;
  /**
   * Where wiring mistakes seen while serving are logged, once per process each (an
   * `onReject` that throws, a body parser mounted first). Default: the limiter's logger for
   * `rateLimit`, else `console`.
   */
  readonly logger?: LoggerLike;
}

function sendDefault(error: BulwarkError, res: Response): void {
  // A handler that started the response and then failed leaves nothing sound to add to:
  // the connection is closed rather than sending a second, corrupt answer.
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const r = renderRejection(error);
  res.status(r.status);
  setNodeHeaders(res, r.headers);
  res.end(r.body);
}

function callOnReject(
  onReject: ExpressOnReject,
  error: BulwarkError,
  req: Request,
  res: Response,
  next: NextFunction,
  logger: LoggerLike,
): void {
  let handedOn = false;
  // next() with no error (or 'route', 'router') would run the route the rejection guards.
  const guarded: NextFunction = (err?: unknown) => {
    handedOn = true;
    if (err === undefined || err === null || err === 'route' || err === 'router') {
      reportOnRejectFailure(logger, 'passed the request on');
      next(error);
      return;
    }
    next(err);
  };
  let result: void | Promise<void>;
  try {
    result = onReject(error, req, res, guarded);
  } catch (thrown: unknown) {
    reportOnRejectFailure(logger, 'threw', thrown);
    sendDefault(error, res);
    return;
  }
  if (!isPromise(result)) return;
  result.then(
    () => {
      if (handedOn || res.headersSent || res.writableEnded) return;
      reportOnRejectFailure(logger, 'did not answer');
      sendDefault(error, res);
    },
    (thrown: unknown) => {
      reportOnRejectFailure(logger, 'threw', thrown);
      if (!handedOn) sendDefault(error, res);
    },
  );
}

/** Sends a rejection the shared way, or hands it to the app's `onReject`. */
export function rejectExpress(
  error: BulwarkError,
  req: Request,
  res: Response,
  next: NextFunction,
  onReject: ExpressOnReject | undefined,
  logger: LoggerLike = console,
): void {
  if (onReject === undefined) sendDefault(error, res);
  else callOnReject(onReject, error, req, res, next, logger);
}

const MOUNT =
  'mount payloadLimit()/verifyWebhook() before express.json() and other body parsers (app.use order), or give the route a router without a body parser';

/** Which parser read the body first, from what it leaves on the request. */
function parserOf(req: Request): string {
  if ((req as Request & { _body?: unknown })._body === true) {
    return 'body-parser 1.x (express.json() on Express 4, or the body-parser package)';
  }
  if (req.body !== undefined) {
    return 'a body parser such as express.json(), express.urlencoded() or body-parser (req.body was already set)';
  }
  return 'another middleware that read the request stream';
}

/**
 * Applies a body receipt: a rejection is answered; accepted bytes become `req.rawBody` and
 * the parsed body `req.body`, and the request goes on.
 */
export function settleExpress(
  receipt: BodyReceipt,
  req: Request,
  res: Response,
  next: NextFunction,
  onReject: ExpressOnReject | undefined,
  logger: LoggerLike,
): void {
  if (!receipt.ok) {
    if (receipt.error.code === 'body_consumed') reportBodyConsumed(logger, parserOf(req), MOUNT);
    rejectExpress(receipt.error, req, res, next, onReject, logger);
    return;
  }
  req.rawBody = receipt.rawBody;
  req.body = receipt.body;
  next();
}
