import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { CustomWebhookScheme } from '../webhook/schemes/custom.js';
import { schemeFor, WEBHOOK_SCHEMES } from '../webhook/schemes/index.js';
import type { WebhookSchemeName } from '../webhook/types.js';
import { UsageError, all, one } from './args.js';
import type { ParsedArgs } from './args.js';

/** Where a command reads and writes: the process in the binary, buffers in tests. */
export interface CliIo {
  readonly stdin: Readable;
  readonly env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
  err(text: string): void;
}

/** Exit codes of `bulwark`, documented in `--help` and the guide. */
export const EXIT = {
  /** Signed, or the delivery verifies. */
  ok: 0,
  /** `verify`: the delivery does not verify. */
  rejected: 1,
  /** Bad usage: unknown command or option, missing secret, bad value. */
  usage: 2,
  /** The body file or stdin could not be read. */
  input: 3,
} as const;

/** A file or stdin that could not be read. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** The body: `--file F`, else stdin. Read as bytes, never re-encoded. */
export async function readBody(args: ParsedArgs, io: CliIo): Promise<Buffer> {
  const file = one(args, 'file');
  if (file !== undefined) {
    try {
      return await readFile(file);
    } catch (error: unknown) {
      throw new InputError(
        `cannot read --file ${JSON.stringify(file)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks);
}

/** The text of a library TypeError, without its `bulwark: ` prefix (main adds its own). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.replace(/^bulwark: /, '') : String(error);
}

/**
 * Every value of `--NAME`, plus `--NAME-env VAR` (which keeps a secret out of the shell
 * history and the process list). Empty when neither was given.
 */
export function readKeyValues(args: ParsedArgs, io: CliIo, name: string): string[] {
  const values = [...all(args, name)];
  for (const variable of all(args, `${name}-env`)) {
    const value = io.env[variable];
    if (value === undefined || value === '') {
      throw new UsageError(`--${name}-env ${variable}: the environment variable is not set`);
    }
    values.push(value);
  }
  return values;
}

/** True when `--NAME` or `--NAME-env` was given. */
export function hasKeyOption(args: ParsedArgs, name: string): boolean {
  return all(args, name).length > 0 || all(args, `${name}-env`).length > 0;
}

/**
 * The secrets: every `--secret`, plus `--secret-env NAME` (which keeps the secret out of the
 * shell history and the process list). Several mean rotation.
 */
export function readSecrets(args: ParsedArgs, io: CliIo): string[] {
  const secrets = readKeyValues(args, io, 'secret');
  if (secrets.length === 0)
    throw new UsageError('give the secret with --secret S or --secret-env NAME');
  return secrets;
}

/** A scheme given on the command line: a built-in name, or a custom description from a file. */
export type CliScheme = WebhookSchemeName | CustomWebhookScheme;

/** The name a scheme is known by in messages: a built-in name or the custom scheme's `name`. */
export function schemeName(scheme: CliScheme): string {
  return typeof scheme === 'string' ? scheme : scheme.name;
}

/** The built-in names, comma-separated and wrapped to fit a usage text at `indent` columns. */
export function schemeList(indent: number, width = 90): string {
  const lines: string[] = [];
  let line = '';
  for (const [i, name] of WEBHOOK_SCHEMES.entries()) {
    const word = i === WEBHOOK_SCHEMES.length - 1 ? name : `${name},`;
    if (line !== '' && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/**
 * `--scheme NAME` (default mission-control), or `--scheme-file F`: a JSON description of a
 * custom scheme, validated here by the library so a mistake is a usage error naming the
 * field, not a failed verification later.
 */
export async function readScheme(args: ParsedArgs): Promise<CliScheme> {
  const file = one(args, 'scheme-file');
  const named = one(args, 'scheme');
  if (file !== undefined && named !== undefined) {
    throw new UsageError(
      '--scheme and --scheme-file together: give --scheme NAME for a built-in scheme or --scheme-file F for a custom one',
    );
  }
  if (file !== undefined) return readSchemeFile(file);
  const scheme = named ?? 'mission-control';
  const hit = WEBHOOK_SCHEMES.find((s) => s === scheme);
  if (hit === undefined) {
    throw new UsageError(
      `--scheme ${scheme}: write one of ${WEBHOOK_SCHEMES.join(', ')}, or describe the sender's scheme in a JSON file given with --scheme-file`,
    );
  }
  return hit;
}

async function readSchemeFile(file: string): Promise<CustomWebhookScheme> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    throw new InputError(`cannot read --scheme-file ${JSON.stringify(file)}: ${messageOf(error)}`);
  }
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (error: unknown) {
    throw new UsageError(`--scheme-file ${JSON.stringify(file)} is not JSON: ${messageOf(error)}`);
  }
  // A bare string would otherwise be read as a built-in name: the file describes a scheme.
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new UsageError(
      `--scheme-file ${JSON.stringify(file)}: write a JSON object such as {"name": "zoom", "signatureHeader": "x-zm-signature", "signaturePrefix": "v0=", "signed": "v0:{timestamp}:{body}", "timestampHeader": "x-zm-request-timestamp"}`,
    );
  }
  const custom = spec as CustomWebhookScheme;
  try {
    schemeFor(custom, undefined);
  } catch (error: unknown) {
    throw new UsageError(messageOf(error));
  }
  return custom;
}

export function readInteger(args: ParsedArgs, name: string): number | undefined {
  const raw = one(args, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} ${raw}: write a whole number`);
  return Number(raw);
}
