/**
 * Stable machine-readable codes for every way bulwark rejects a request. Clients see the
 * `detail` text; logs and `onReject` handlers switch on the code.
 */
export type BulwarkErrorCode =
  | 'rate_limited'
  | 'store_unavailable'
  | 'payload_too_large'
  | 'bad_content_length'
  | 'body_length_mismatch'
  | 'unsupported_encoding'
  | 'body_timeout'
  | 'body_aborted'
  | 'body_consumed'
  | 'invalid_json'
  | 'signature_missing'
  | 'signature_invalid'
  | 'secret_unavailable'
  | 'url_unavailable'
  | 'client_address_unavailable'
  | 'client_denied'
  | 'timestamp_out_of_range'
  | 'replayed_delivery'
  | 'bad_request';

/** Options for {@link BulwarkError}. */
export interface BulwarkErrorOptions {
  /** HTTP status to answer with (a 4xx or 503). */
  readonly status: number;
  /** Stable code for programs and logs. */
  readonly code: BulwarkErrorCode;
  /** Human-readable text sent to the client as `{"detail": ...}`. */
  readonly detail: string;
  /** Extra response headers, such as `Retry-After` on a 429. Default: none. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The underlying error, kept for logs; never sent to the client. */
  readonly cause?: unknown;
}

/**
 * A rejected request. Adapters render it as JSON `{"detail": ...}` with `status` and
 * `headers` (see {@link renderRejection}), unless the application passes its own `onReject`.
 */
export class BulwarkError extends Error {
  /** HTTP status code. */
  readonly status: number;
  /** Stable error code. */
  readonly code: BulwarkErrorCode;
  /** Client-facing detail text. */
  readonly detail: string;
  /** Response headers that belong to this rejection. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(options: BulwarkErrorOptions) {
    super(options.detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BulwarkError';
    this.status = options.status;
    this.code = options.code;
    this.detail = options.detail;
    this.headers = options.headers ?? {};
  }
}

/** True when `value` is a {@link BulwarkError}, including one from another copy of bulwark. */
export function isBulwarkError(value: unknown): value is BulwarkError {
  return (
    value instanceof BulwarkError ||
    (value instanceof Error &&
      value.name === 'BulwarkError' &&
      typeof (value as Partial<BulwarkError>).status === 'number' &&
      typeof (value as Partial<BulwarkError>).detail === 'string')
  );
}
