import type { LoggerLike } from '../log/logger-kind.js';
import { reportMisuse } from '../log/misuse.js';

/**
 * Logs, once per process for each parser, that a body parser read the request before
 * bulwark's `payloadLimit` or `verifyWebhook`: the request was refused with 500 because
 * there were no raw bytes left to limit or verify. `parser` is what the adapter saw on the
 * request (such as `express.json() / body-parser (req.body was already set)`); `mount` says
 * where bulwark's middleware goes instead.
 */
export function reportBodyConsumed(logger: LoggerLike, parser: string, mount: string): void {
  reportMisuse(
    logger,
    'misuse.body_consumed',
    parser,
    `the request body was already read by ${parser} before bulwark could limit or verify it, so the request was refused with 500; ${mount}`,
  );
}
