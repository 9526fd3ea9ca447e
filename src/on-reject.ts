import type { LoggerLike } from './log/logger-kind.js';
import { reportMisuse } from './log/misuse.js';
import { describeError } from './util/describe-error.js';

/** How an application's `onReject` handler failed to answer a rejected request. */
export type OnRejectFailure =
  /** It threw, or the promise it returned rejected. */
  | 'threw'
  /** It handed the request on (Express `next()` without an error) instead of answering. */
  | 'passed the request on'
  /** Its promise settled and nothing was sent. */
  | 'did not answer';

/**
 * Logs, once per process for each kind of failure, that an `onReject` handler failed. The
 * adapter then sends bulwark's own `{"detail": ...}` rejection instead (or, when the handler
 * had already started a response, ends the connection): a rejected request is never passed
 * on, never left hanging, and an exception in the handler never escapes as an unhandled
 * rejection.
 */
export function reportOnRejectFailure(
  logger: LoggerLike,
  failure: OnRejectFailure,
  error?: unknown,
): void {
  const why = error === undefined ? '' : ` (${describeError(error)})`;
  reportMisuse(
    logger,
    'misuse.on_reject',
    failure,
    `an onReject handler ${failure}${why}, so bulwark sent its own rejection instead; onReject must answer the request itself (send a response), and must not pass it on`,
  );
}
