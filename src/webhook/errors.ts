import { BulwarkError } from '../errors.js';

/** Mission Control's exact 403 texts. */
export const MISSING_SIGNATURE = 'Missing webhook signature header.';
export const INVALID_SIGNATURE = 'Invalid webhook signature.';

export function signatureMissing(detail: string = MISSING_SIGNATURE): BulwarkError {
  return new BulwarkError({ status: 403, code: 'signature_missing', detail });
}

export function signatureInvalid(): BulwarkError {
  return new BulwarkError({ status: 403, code: 'signature_invalid', detail: INVALID_SIGNATURE });
}

export function timestampOutOfRange(): BulwarkError {
  return new BulwarkError({
    status: 403,
    code: 'timestamp_out_of_range',
    detail: 'Webhook timestamp is outside the allowed tolerance.',
  });
}

export function replayedDelivery(): BulwarkError {
  return new BulwarkError({
    status: 409,
    code: 'replayed_delivery',
    detail: 'This webhook delivery was already received.',
  });
}

export function replayStoreUnavailable(cause: unknown): BulwarkError {
  return new BulwarkError({
    status: 503,
    code: 'store_unavailable',
    detail: 'Webhook replay protection is temporarily unavailable.',
    headers: { 'Retry-After': '5' },
    cause,
  });
}

/**
 * The application's `publicUrl` function failed (it threw, or returned no absolute URL):
 * without the URL the sender signed, the delivery cannot be verified, so it is refused; a
 * 500 for the same reason as {@link secretUnavailable}.
 */
export function urlUnavailable(): BulwarkError {
  return new BulwarkError({
    status: 500,
    code: 'url_unavailable',
    detail: 'The webhook URL could not be determined; see the server log.',
  });
}

/**
 * The application's per-request secret lookup failed (it threw, or returned something that
 * is not a secret): the delivery is refused, never passed on unchecked. A 500 because the
 * fault is the server's, so senders that retry on 5xx deliver again once it is fixed.
 */
export function secretUnavailable(): BulwarkError {
  return new BulwarkError({
    status: 500,
    code: 'secret_unavailable',
    detail: 'The webhook secret could not be looked up; see the server log.',
  });
}
