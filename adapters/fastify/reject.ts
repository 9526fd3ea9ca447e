import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderRejection, reportBodyConsumed, reportOnRejectFailure } from 'bulwark';
import type { BodyReceipt, BulwarkError, LoggerLike } from 'bulwark';
import { replayedPayload } from './body-stream.js';
import { applyScopeCors } from './cors.js';
import { applyScopeSecurityHeaders } from './security-headers.js';

/**
 * Replaces bulwark's default `{"detail": ...}` answer for a rejected request. It must send a
 * reply; one that throws, rejects or returns without sending is answered with bulwark's
 * default instead, and logged once.
 */
export type FastifyOnReject = (
  error: BulwarkError,
  request: FastifyRequest,
  reply: FastifyReply,
) => void | Promise<void>;

/** Options every Fastify plugin of bulwark accepts. */
export interface FastifyRejectOptions {
  /** Called instead of sending the default JSON rejection. Default: send `{"detail": ...}` with the error's status and headers. */
  readonly onReject?: FastifyOnReject;
  /**
   * Where wiring mistakes seen while serving are logged, once per process each (an
   * `onReject` that throws or sends nothing, a stream read before bulwark's hook). Default:
   * the limiter's logger for `rateLimit`, else `console`.
   */
  readonly logger?: LoggerLike;
}

async function sendDefault(
  error: BulwarkError,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  if (reply.sent) return;
  if (reply.raw.headersSent) {
    reply.raw.destroy();
    return;
  }
  applyScopeSecurityHeaders(request, reply);
  await applyScopeCors(request, reply);
  const r = renderRejection(error);
  await reply.code(r.status).headers(r.headers).send(r.body);
}

/**
 * Whether `onReject` sent anything: its `reply.send` is watched for the length of the call
 * (only on this rare path), because an async onSend hook can leave `reply.sent` false for a
 * while after a send, and sending the default then would answer twice.
 */
async function callOnReject(
  onReject: FastifyOnReject,
  error: BulwarkError,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: LoggerLike,
): Promise<void> {
  const watch = { sent: false };
  const send = reply.send.bind(reply);
  reply.send = (payload?: unknown) => {
    watch.sent = true;
    return send(payload);
  };
  try {
    await onReject(error, request, reply);
  } catch (thrown: unknown) {
    reportOnRejectFailure(logger, 'threw', thrown);
    if (!watch.sent) await sendDefault(error, request, reply);
    return;
  } finally {
    Reflect.deleteProperty(reply, 'send');
  }
  if (watch.sent || reply.sent) return;
  reportOnRejectFailure(logger, 'did not answer');
  await sendDefault(error, request, reply);
}

/** Sends a rejection the shared way, or hands it to the app's `onReject`. */
export async function rejectFastify(
  error: BulwarkError,
  request: FastifyRequest,
  reply: FastifyReply,
  onReject: FastifyOnReject | undefined,
  logger: LoggerLike = console,
): Promise<void> {
  if (onReject === undefined) await sendDefault(error, request, reply);
  else await callOnReject(onReject, error, request, reply, logger);
}

/**
 * Applies a body receipt inside a preParsing hook: a rejection is answered and the original
 * payload returned (Fastify stops there); accepted bytes become `request.rawBody` and are
 * handed on as a fresh stream, so Fastify's own parsers still fill `request.body`.
 */
export async function settleFastify(
  receipt: BodyReceipt,
  request: FastifyRequest,
  reply: FastifyReply,
  payload: Readable,
  onReject: FastifyOnReject | undefined,
  logger: LoggerLike,
): Promise<Readable> {
  if (!receipt.ok) {
    if (receipt.error.code === 'body_consumed') {
      // Fastify runs every content-type parser after preParsing, so only code that read
      // request.raw itself (an onRequest hook, or a preParsing hook that drained the stream
      // and handed nothing on) can get here.
      reportBodyConsumed(
        logger,
        'an onRequest or preParsing hook that read request.raw',
        'register payloadLimit/verifyWebhook before that hook, or let the hook hand the bytes on as the payload stream; Fastify content-type parsers always run after bulwark',
      );
    }
    await rejectFastify(receipt.error, request, reply, onReject, logger);
    return payload;
  }
  request.rawBody = receipt.rawBody;
  return replayedPayload(receipt.rawBody);
}
