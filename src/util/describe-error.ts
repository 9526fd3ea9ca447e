import { redactText } from '../redact/text.js';

/**
 * An application error's text for a log line: its message, cut to 200 characters and
 * scrubbed of credentials (a database error quoting its connection URL, a token echoed in
 * a message), so reporting a misconfiguration never leaks a secret into the logs.
 */
export function describeError(error: unknown): string {
  const text =
    error instanceof Error
      ? error.message
      : typeof error === 'string'
        ? error
        : Object.prototype.toString.call(error);
  return redactText(text.slice(0, 200));
}
