import { createBodyReceiver } from 'bulwark';
import type { PayloadLimitOptions } from 'bulwark';
import { webBodyStream } from '../shared/web.js';
import { guardOf } from './guard.js';
import type { FetchGuard, Step } from './guard.js';
import { settleFetch } from './reject.js';
import type { FetchRejectOptions } from './reject.js';

/** Options for the Fetch `payloadLimit` guard: the core's payload limit plus `onReject`. */
export interface FetchPayloadLimitOptions extends PayloadLimitOptions, FetchRejectOptions {}

/**
 * Reads the body under the limit (413 with Mission Control's detail, refused on the declared
 * Content-Length before a byte is read, and on the streamed count), rejects the
 * request-smuggling framings (400) and encoded bodies (415 unless `inflate`), then gives the
 * bytes as the verdict's `rawBody` and the parsed value as its `body`. The body is read from
 * `request.body` as a stream, never with `request.text()`, which would buffer all of it
 * first. Give the guard the request before anything else reads its body.
 */
export function payloadLimit(options: FetchPayloadLimitOptions = {}): FetchGuard {
  return guardOf([payloadStep(options)]);
}

/** The per-request work of {@link payloadLimit}, compiled once; `protect` runs it too. */
export function payloadStep(options: FetchPayloadLimitOptions): Step {
  const { onReject, ...rest } = options;
  const receiver = createBodyReceiver(rest);
  const logger = rest.logger ?? console;
  return (pass) =>
    receiver
      .receive(webBodyStream(pass.request), pass.requestHeaders())
      .then((receipt) => settleFetch(receipt, pass, onReject, logger));
}
