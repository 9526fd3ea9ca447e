import { pino } from 'pino';
import type { Logger } from 'pino';
import { createSafeLogger } from 'bulwark';

/** The example's logger: pino, behind bulwark's safe logger. */
export type AppLogger = Logger;

/** Where log lines go: stdout by default; the tests collect them to search for secrets. */
export type LogSink = (line: string) => void;

/**
 * JSON lines from pino, wrapped by createSafeLogger: every message is scrubbed with
 * redactText and every object redacted before pino sees it, so a token that reaches a log
 * call by mistake still never reaches the output.
 */
export function createAppLogger(sink?: LogSink): AppLogger {
  const destination =
    sink === undefined
      ? pino.destination({ dest: 1, sync: false })
      : {
          write: (line: string) => {
            sink(line.trimEnd());
          },
        };
  return createSafeLogger(
    pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime }, destination),
  );
}
