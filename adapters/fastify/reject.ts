import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderRejection } from 'bulwark';
import type { BulwarkError } from 'bulwark';

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
