import { BulwarkError } from '../errors.js';
import type { RateLimitDecision } from './types.js';

/** The default 429 detail, Mission Control's text. */
export const TOO_MANY_REQUESTS = 'Too Many Requests';

/**
 * The rejection for a refused decision: 429 `rate_limited`, or 503 `store_unavailable`
 * when the store is down and the policy is `'deny'`. `headers` come from
 * {@link rateLimitHeaders} and include `Retry-After`.
 */
export function rateLimitError(
  decision: RateLimitDecision,
  headers: Readonly<Record<string, string>>,
): BulwarkError {
  if (decision.storeUnavailable) {
    return new BulwarkError({
      status: 503,
      code: 'store_unavailable',
      detail: 'Service Unavailable',
      headers,
    });
  }
  return new BulwarkError({
    status: 429,
    code: 'rate_limited',
    detail: TOO_MANY_REQUESTS,
    headers,
  });
}

/**
 * The client address a rate limit is keyed by was not available: the runtime hands the
 * application a `Request` without its peer (the Fetch standard carries none) and the app
 * gave neither the address nor a `key`. A 500, because the wiring is at fault, never the
 * client; and never a pass or one bucket shared by every client.
 */
export function clientAddressUnavailable(): BulwarkError {
  return new BulwarkError({
    status: 500,
    code: 'client_address_unavailable',
    detail: 'The client address could not be determined; see the server log.',
  });
}

/** A client on the rate limit's `denyList`: 403, before anything is counted. */
export function clientDenied(): BulwarkError {
  return new BulwarkError({ status: 403, code: 'client_denied', detail: 'Forbidden' });
}
