import { readFile } from 'node:fs/promises';
import { InputError } from './io.js';
import { UsageError } from './args.js';

/** Received headers as the CLI reads them: lower-case names, repeated ones as arrays. */
export type Headers = Record<string, string | string[]>;

const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;

function addHeader(
  headers: Record<string, string | string[]>,
  line: string,
  strict: boolean,
): void {
  const m = HEADER_LINE.exec(line);
  if (m === null) {
    if (strict) throw new UsageError(`--header ${JSON.stringify(line)}: write 'Name: value'`);
    return;
  }
  const name = (m[1] ?? '').toLowerCase();
  const value = m[2] ?? '';
  const had = headers[name];
  headers[name] = had === undefined ? value : [...(typeof had === 'string' ? [had] : had), value];
}

/** The headers from --headers-file (other lines skipped) and each --header (strict). */
export async function readHeaders(
  lines: readonly string[],
  file: string | undefined,
): Promise<Headers> {
  const headers: Headers = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'latin1');
    } catch (error: unknown) {
      throw new InputError(
        `cannot read --headers-file ${JSON.stringify(file)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    for (const line of text.split(/\r?\n/)) addHeader(headers, line.replace(/^[<>] /, ''), false);
  }
  for (const line of lines) addHeader(headers, line, true);
  return headers;
}
