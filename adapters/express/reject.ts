import type { NextFunction, Request, Response } from 'express';
import { renderRejection } from 'bulwark';
import type { BodyReceipt, BulwarkError } from 'bulwark';
import { setNodeHeaders } from '../shared/node-headers.js';

/** Replaces bulwark's default `{"detail": ...}` answer for a rejected request. */
export type ExpressOnReject = (
  error: BulwarkError,
  req: Request,
  res: Response,
  next: NextFunction,
) => void;

/** Options every Express middleware of bulwark accepts. */
export interface ExpressRejectOptions {
  /** Called instead of sending the default JSON rejection. Default: send `{"detail": ...}` with the error's status and headers. */
  readonly onReject?: ExpressOnReject;
}

/** Sends a rejection the shared way, or hands it to the app's `onReject`. */
export function rejectExpress(
  error: BulwarkError,
  req: Request,
  res: Response,
  next: NextFunction,
  onReject: ExpressOnReject | undefined,
): void {
  if (onReject !== undefined) {
    onReject(error, req, res, next);
    return;
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const r = renderRejection(error);
  res.status(r.status);
  setNodeHeaders(res, r.headers);
  res.end(r.body);
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
): void {
  if (!receipt.ok) {
    rejectExpress(receipt.error, req, res, next, onReject);
    return;
  }
  req.rawBody = receipt.rawBody;
  req.body = receipt.body;
  next();
}
