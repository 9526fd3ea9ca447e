import type { Context } from 'koa';
import { renderRejection } from 'bulwark';
import type { BodyReceipt, BulwarkError } from 'bulwark';

/** Replaces bulwark's default `{"detail": ...}` answer for a rejected request. */
export type KoaOnReject = (error: BulwarkError, ctx: Context) => void | Promise<void>;

/** Options every Koa middleware of bulwark accepts. */
export interface KoaRejectOptions {
  /** Called instead of sending the default JSON rejection. Default: answer `{"detail": ...}` with the error's status and headers. */
  readonly onReject?: KoaOnReject;
}

/** Answers a rejection the shared way, or hands it to the app's `onReject`. */
export async function rejectKoa(
  error: BulwarkError,
  ctx: Context,
  onReject: KoaOnReject | undefined,
): Promise<void> {
  if (onReject !== undefined) {
    await onReject(error, ctx);
    return;
  }
  const r = renderRejection(error);
  ctx.status = r.status;
  ctx.set(r.headers);
  ctx.body = r.body;
}

/**
 * Applies a body receipt: a rejection is answered (false: stop here); accepted bytes become
 * `ctx.request.rawBody` and the parsed body `ctx.request.body` (true: go on).
 */
export async function settleKoa(
  receipt: BodyReceipt,
  ctx: Context,
  onReject: KoaOnReject | undefined,
): Promise<boolean> {
  if (!receipt.ok) {
    await rejectKoa(receipt.error, ctx, onReject);
    return false;
  }
  ctx.request.rawBody = receipt.rawBody;
  ctx.request.body = receipt.body;
  return true;
}
