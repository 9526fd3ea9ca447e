import { redactText } from '../redact/text.js';
import { emit, type LoggerLike } from './logger-kind.js';
import { tokenPrefix } from './token-prefix.js';

/** What {@link logAuthFailure} is told about one failed authentication. */
export interface AuthFailureInfo {
  /** The request path. The query string and fragment are dropped (they often carry tokens). */
  readonly path: string;
  /**
   * The token the client presented. Only {@link tokenPrefix} of it is logged. `null`,
   * `undefined` or `""` means no token was presented. Default: none.
   */
  readonly token?: string | null | undefined;
  /**
   * The request headers. For a missing token, only whether each of `authHeaders` was present is
   * logged, as booleans; no header value is ever logged. Default: none (all `false`).
   */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  /**
   * The header names a token may arrive in, reported as `has_<name>` booleans (dashes become
   * underscores). Default: `['authorization', 'x-agent-token']`.
   */
  readonly authHeaders?: readonly string[];
  /** Log level method to call. Default: `'warn'`. */
  readonly level?: 'warn' | 'info' | 'error';
}

/** The event logged for a presented but wrong token (Mission Control's name). */
export const INVALID_TOKEN_EVENT = 'agent_auth.invalid_token';
/** The event logged when no token was presented. */
export const MISSING_TOKEN_EVENT = 'agent_auth.missing_token';
const DEFAULT_AUTH_HEADERS: readonly string[] = ['authorization', 'x-agent-token'];
const MAX_PATH = 2048;

/**
 * The path as it is safe to log: no query string or fragment, no control characters (a CR/LF
 * would forge log lines), credentials in path segments scrubbed, and a bounded length.
 */
export function loggablePath(path: string): string {
  const raw = typeof path === 'string' ? path : '';
  let end = raw.length;
  const q = raw.indexOf('?');
  if (q !== -1) end = q;
  const h = raw.indexOf('#');
  if (h !== -1 && h < end) end = h;
  // Credentials are scrubbed first (a pattern may span a line break), then control characters
  // are percent-encoded, as they would be on the wire: a raw CR/LF here would let a client
  // forge log lines.
  return (
    redactText(raw.slice(0, Math.min(end, MAX_PATH)))
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is encoded
      .replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => encodeURIComponent(c))
  );
}

function hasHeader(headers: AuthFailureInfo['headers'], name: string): boolean {
  if (headers === undefined) return false;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === lower && v !== undefined && v.length > 0) return true;
  }
  return false;
}

/**
 * Logs one structured event for a failed agent authentication, the way Mission Control does,
 * without ever carrying the secret:
 * - a wrong token: `agent_auth.invalid_token` with `path` and `token_prefix` (at most 6
 *   characters, see {@link tokenPrefix});
 * - no token: `agent_auth.missing_token` with `path` and one boolean per auth header.
 *
 * @example
 * logAuthFailure(req.log, { path: req.url, token: presented });
 */
export function logAuthFailure(logger: LoggerLike, info: AuthFailureInfo): void {
  const path = loggablePath(info.path);
  const level = info.level ?? 'warn';
  const token = info.token;
  if (typeof token === 'string' && token !== '') {
    emit(logger, level, INVALID_TOKEN_EVENT, {
      event: INVALID_TOKEN_EVENT,
      path,
      token_prefix: tokenPrefix(token),
    });
    return;
  }
  const record: Record<string, unknown> = { event: MISSING_TOKEN_EVENT, path };
  for (const name of info.authHeaders ?? DEFAULT_AUTH_HEADERS) {
    record[`has_${name.toLowerCase().replace(/-/g, '_')}`] = hasHeader(info.headers, name);
  }
  emit(logger, level, MISSING_TOKEN_EVENT, record);
}
