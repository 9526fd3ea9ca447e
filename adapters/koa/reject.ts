import type { Context } from 'koa';
import { renderRejection, reportBodyConsumed, reportOnRejectFailure } from 'bulwark';
import type { BodyReceipt, BulwarkError, LoggerLike } from 'bulwark';

/**
 * Replaces bulwark's default `{"detail": ...}` answer for a rejected request. A throw or a
 * rejected promise is answered with bulwark's default instead, and logged once.
 */
export type KoaOnReject = (error: BulwarkError, ctx: Context) => void | Promise<void>;

/** Options every Koa middleware of bulwark accepts. */
export interface KoaRejectOptions {
  /** Called instead of sending the default JSON rejection. Default: answer `{"detail": ...}` with the error's status and headers. */
  readonly onReject?: KoaOnReject;
  /**
   * Where wiring mistakes seen while serving are logged, once per process each (an
   * `onReject` that throws, a body parser mounted first). Default: the limiter's logger for
   * `rateLimit`, else `console`.
   */
  readonly logger?: LoggerLike;
}

function answerDefault(error: BulwarkError, ctx: Context): void {
  const r = renderRejection(error);
  ctx.status = r.status;
  ctx.set(r.headers);
  ctx.body = r.body;
}

/**
 * Answers a rejection the shared way, or hands it to the app's `onReject`. Koa itself never
 * passes a rejected request on (the chain stops here) and always answers; a handler that
 * throws is logged once and bulwark's default answer stands instead of Koa's bare 500.
 */
export async function rejectKoa(
  error: BulwarkError,
  ctx: Context,
  onReject: KoaOnReject | undefined,
  logger: LoggerLike = console,
): Promise<void> {
  if (onReject !== undefined) {
    try {
      await onReject(error, ctx);
      return;
    } catch (thrown: unknown) {
      reportOnRejectFailure(logger, 'threw', thrown);
      // Koa has not written anything yet unless the handler streamed; then Koa's own error
      // handling ends the response.
      if (ctx.headerSent) throw thrown;
    }
  }
  answerDefault(error, ctx);
}

const MOUNT =
  'mount payloadLimit()/verifyWebhook() before the body parser (app.use order), or leave the body parser off the routes bulwark reads';

/** Which parser read the body first, from what it leaves on the context. */
function parserOf(ctx: Context): string {
  const { rawBody, body } = ctx.request as { rawBody?: unknown; body?: unknown };
  if (typeof rawBody === 'string') {
    return 'koa-bodyparser or @koa/bodyparser (ctx.request.rawBody was already set)';
  }
  if (body !== undefined) {
    return 'a body parser such as koa-body (ctx.request.body was already set)';
  }
  return 'another middleware that read the request stream (ctx.req)';
}

/**
 * Applies a body receipt: a rejection is answered (false: stop here); accepted bytes become
 * `ctx.request.rawBody` and the parsed body `ctx.request.body` (true: go on).
 */
export async function settleKoa(
  receipt: BodyReceipt,
  ctx: Context,
  onReject: KoaOnReject | undefined,
  logger: LoggerLike,
): Promise<boolean> {
  if (!receipt.ok) {
    if (receipt.error.code === 'body_consumed') reportBodyConsumed(logger, parserOf(ctx), MOUNT);
    await rejectKoa(receipt.error, ctx, onReject, logger);
    return false;
  }
  ctx.request.rawBody = receipt.rawBody;
  ctx.request.body = receipt.body;
  return true;
}
