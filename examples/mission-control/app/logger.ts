import { createSafeLogger } from 'bulwark';

/** The logger shape the example uses: pino-like, `(object, message)` or `(message)`. */
export interface AppLogger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** Where log lines go: stdout by default; the tests collect them to search for secrets. */
export type LogSink = (line: string) => void;

function jsonLogger(sink: LogSink, base: Record<string, unknown> = {}): AppLogger {
  const write = (level: string) => (obj: object | string, msg?: string) => {
    const fields = typeof obj === 'string' ? { msg: obj } : { ...obj, ...(msg === undefined ? {} : { msg }) };
    sink(JSON.stringify({ level, time: new Date().toISOString(), ...base, ...fields }));
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

/**
 * A JSON-lines logger behind bulwark's safe logger: every message is scrubbed with
 * redactText and every object redacted before it is written, so a token that reaches a log
 * call by mistake still never reaches the sink.
 */
export function createAppLogger(sink: LogSink = (line) => process.stdout.write(`${line}\n`)): AppLogger {
  return createSafeLogger(jsonLogger(sink));
}
