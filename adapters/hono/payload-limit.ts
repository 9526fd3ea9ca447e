import type { MiddlewareHandler } from 'hono';
import { createBodyReceiver } from 'bulwark';
import type { PayloadLimitOptions } from 'bulwark';
import { webRequestHeaders } from '../shared/web.js';
import { bodyStream } from './context.js';
import { settleHono } from './reject.js';
import type { HonoRejectOptions } from './reject.js';

/** Options for the Hono `payloadLimit` middleware. */
export interface HonoPayloadLimitOptions extends PayloadLimitOptions, HonoRejectOptions {}

/**
 * Reads the body under the limit (413 with Mission Control's detail), rejects the request-
 * smuggling framings (400) and encoded bodies (415 unless `inflate`), then leaves
 * `c.get('rawBody')` (Buffer) and the parsed `c.get('body')`; `c.req.json()` and the other
 * `c.req` body readers read the same bytes. The body is streamed and counted as it arrives,
 * never buffered whole first. Mount it before any validator or middleware that reads the
 * body (one mounted first leaves nothing to read: refused with 500 and logged once).
 */
export function payloadLimit(options: HonoPayloadLimitOptions = {}): MiddlewareHandler {
  const { onReject, ...rest } = options;
  const receiver = createBodyReceiver(rest);
  const logger = rest.logger ?? console;
  return async (c, next) => {
    const request = c.req.raw;
    const receipt = await receiver.receive(bodyStream(c), webRequestHeaders(request.headers));
    return settleHono(receipt, c, next, onReject, logger);
  };
}
