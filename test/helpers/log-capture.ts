import { resetMisuseReports } from '../../src/log/misuse.js';

/** A console-shaped logger that keeps every line, for tests that check what bulwark logs. */
export interface CapturedLog {
  readonly logger: { warn: (line: string) => void; error: (line: string) => void };
  /** Every line logged, as `level: text`. */
  readonly lines: string[];
  /** The lines that carry a misuse code (`misuse.*`). */
  misuse(): string[];
}

/** A console-shaped logger that keeps every line as `level: text`. */
export function lineLogger(): Pick<CapturedLog, 'logger' | 'lines'> {
  const lines: string[] = [];
  return {
    logger: {
      warn: (line) => lines.push(`warn: ${line}`),
      error: (line) => lines.push(`error: ${line}`),
    },
    lines,
  };
}

/**
 * A fresh capturing logger. Misuse is logged once per process; this also forgets what was
 * reported, so each test sees its own first report.
 */
export function captureLog(): CapturedLog {
  resetMisuseReports();
  const { logger, lines } = lineLogger();
  return { logger, lines, misuse: () => lines.filter((l) => l.includes('misuse.')) };
}
