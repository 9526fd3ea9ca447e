import type { ServerResponse } from 'node:http';
import type { RateLimitSettle } from 'bulwark';

/**
 * Hands an admitted request's outcome to the rate limit once Node's response is over:
 * finished (its status), or closed before it finished (undefined: an aborted request counts
 * as failed, so a client cannot get a count back by hanging up). Node emits `close` after
 * `finish` too, so one listener sees both.
 */
export function settleWhenClosed(
  res: ServerResponse,
  settle: RateLimitSettle,
  request: unknown,
  response: unknown,
): void {
  res.once('close', () => {
    settle(request, response, res.writableFinished ? res.statusCode : undefined);
  });
}
