/** Any function a logger exposes. */
export type LogMethod = (...args: never[]) => unknown;

/**
 * The narrow logger shape bulwark writes to: pino, winston, bunyan, `console` and most others
 * fit it. Only `warn` is required.
 */
export interface LoggerLike {
  /** Warnings: failed authentications are logged here by default. */
  warn: LogMethod;
  /** Errors. Optional. */
  error?: LogMethod;
  /** Information. Optional. */
  info?: LogMethod;
  /** Debugging. Optional. */
  debug?: LogMethod;
}

export type LoggerKind = 'pino' | 'winston' | 'console';

/**
 * pino takes `(object, message)`; winston and console take `(message, meta)`. Structural
 * detection, no import of either library.
 */
export function loggerKind(logger: object): LoggerKind {
  const l = logger as Record<string, unknown>;
  if (typeof l.add === 'function' && 'transports' in l) return 'winston';
  if (typeof l.bindings === 'function' && typeof l.child === 'function') return 'pino';
  return 'console';
}

/** Calls `logger[level]` with one structured record, in the argument order the logger expects. */
export function emit(
  logger: object,
  level: string,
  message: string,
  record: Readonly<Record<string, unknown>>,
): void {
  const fn = (logger as Record<string, unknown>)[level];
  if (typeof fn !== 'function') return;
  const kind = loggerKind(logger);
  if (kind === 'pino') {
    (fn as (o: object, m: string) => void).call(logger, record, message);
  } else if (kind === 'winston') {
    (fn as (m: string, o: object) => void).call(logger, message, record);
  } else {
    // console and unknown loggers: one line of key=value pairs, JSON-quoted, so a value
    // cannot forge extra fields or lines.
    let line = message;
    for (const [k, v] of Object.entries(record)) {
      if (k !== 'event') line += ` ${k}=${JSON.stringify(v)}`;
    }
    (fn as (m: string) => void).call(logger, line);
  }
}
