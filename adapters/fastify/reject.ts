import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderRejection } from 'bulwark';
import type { BodyReceipt, BulwarkError } from 'bulwark';
import { replayedPayload } from './body-stream.js';

/** Replaces bulwark's default `{"detail": ...}` answer for a rejected request. */
export type FastifyOnReject = (
  error: BulwarkError,
  request: FastifyRequest,
  reply: FastifyReply,
) => void | Promise<void>;

/** Options every Fastify plugin of bulwark accepts. */
export interface FastifyRejectOptions {
  /** Called instead of sending the default JSON rejection. Default: send `{"detail": ...}` with the error's status and headers. */
  readonly onReject?: FastifyOnReject;
}

/** Sends a rejection the shared way, or hands it to the app's `onReject`. */
export async function rejectFastify(
  error: BulwarkError,
  request: FastifyRequest,
  reply: FastifyReply,
  onReject: FastifyOnReject | undefined,
): Promise<void> {
  if (onReject !== undefined) {
    await onReject(error, request, reply);
    return;
  }
  const r = renderRejection(error);
  await reply.code(r.status).headers(r.headers).send(r.body);
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
): Promise<Readable> {
  if (!receipt.ok) {
    await rejectFastify(receipt.error, request, reply, onReject);
    return payload;
  }
  request.rawBody = receipt.rawBody;
  return replayedPayload(receipt.rawBody);
}
