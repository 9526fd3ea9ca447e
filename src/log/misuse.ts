import { emit } from './logger-kind.js';
import type { LoggerLike } from './logger-kind.js';

/**
 * Stable codes of the wiring mistakes bulwark can only see while serving. Each is logged
 * once per process (per distinct subject, such as the parser that ran first), with what to
 * write instead; the request itself is always answered closed.
 */
export type MisuseCode =
  /** Another body parser read the request before payloadLimit or verifyWebhook could. */
  | 'misuse.body_consumed'
  /** The per-request webhook secret function threw or returned something that is not a secret. */
  | 'misuse.webhook_secret'
  /** The webhook `publicUrl` function threw or returned something that is not an http(s) URL. */
  | 'misuse.webhook_url'
  /** An `onReject` handler threw, rejected, passed the request on, or never answered. */
  | 'misuse.on_reject'
  /** Forwarding headers arrive from a proxy address while `trustedProxies` is empty. */
  | 'misuse.untrusted_proxy'
  /** The CORS `origins` function threw, rejected or returned something that is not a boolean. */
  | 'misuse.cors_origin'
  /**
   * A rate limit keyed by client IP on a runtime that gave no client address (a Fetch
   * `Request` carries none): neither the adapter's `clientAddress` nor a `key` was given.
   */
  | 'misuse.client_address'
  /** A rate limiter's `onDecision` or `onLimitReached` threw or rejected. */
  | 'misuse.rate_limit_event'
  /** A rate limit's `requestWasSuccessful` threw. */
  | 'misuse.rate_limit_outcome';

/** Bounds the remembered subjects, so a stream of distinct subjects cannot grow memory. */
const MAX_REMEMBERED = 256;
const reported = new Set<string>();

/**
 * Logs a wiring mistake once per process for each code and subject: a misconfigured route
 * under load would otherwise write one line per request exactly when the logs matter. The
 * line goes to `logger.error` when it exists (a request was refused because of it), else
 * `logger.warn`; the record carries the stable `code`.
 */
export function reportMisuse(
  logger: LoggerLike,
  code: MisuseCode,
  subject: string,
  message: string,
  level: 'warn' | 'error' = 'error',
): void {
  const id = `${code}\0${subject}`;
  if (reported.has(id)) return;
  if (reported.size >= MAX_REMEMBERED) return;
  reported.add(id);
  const method = level === 'error' && typeof logger.error === 'function' ? 'error' : 'warn';
  try {
    emit(logger, method, `${code}: ${message}`, { code });
  } catch {
    // A broken logger must not turn a refused request into a crash.
  }
}

const resetHooks: (() => void)[] = [];

/** Registers a check's own "already warned" flag to clear with {@link resetMisuseReports}. */
export function onMisuseReset(hook: () => void): void {
  resetHooks.push(hook);
}

/** Forgets what was reported, so a test can see each first report again. Not for production use. */
export function resetMisuseReports(): void {
  reported.clear();
  for (const hook of resetHooks) hook();
}
