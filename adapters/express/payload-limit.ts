import type { RequestHandler } from 'express';
import { createBodyReceiver } from 'bulwark';
import type { PayloadLimitOptions } from 'bulwark';
import { settleExpress } from './reject.js';
import type { ExpressRejectOptions } from './reject.js';
import { requestHeaders } from '../shared/node-headers.js';

declare global {
  // Express's documented way to type request properties added by middleware.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The raw request body, set by bulwark's `payloadLimit` and `verifyWebhook`. */
      rawBody?: Buffer;
    }
  }
}

/** Options for the Express `payloadLimit` middleware. */
export interface ExpressPayloadLimitOptions extends PayloadLimitOptions, ExpressRejectOptions {}

/**
 * Reads the body under the limit (413 with Mission Control's detail), rejects the request-
 * smuggling framings (400) and encoded bodies (415 unless `inflate`), then leaves
 * `req.rawBody` (Buffer) and the parsed `req.body`. Mount it before `express.json()`:
 * that parser then sees a finished request and leaves `req.body` alone.
 */
export function payloadLimit(options: ExpressPayloadLimitOptions = {}): RequestHandler {
  const { onReject, ...rest } = options;
  const receiver = createBodyReceiver(rest);
  const logger = rest.logger ?? console;
  return (req, res, next) => {
    receiver.receive(req, requestHeaders(req)).then((receipt) => {
      settleExpress(receipt, req, res, next, onReject, logger);
    }, next);
  };
}
