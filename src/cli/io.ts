import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { WEBHOOK_SCHEMES } from '../webhook/schemes/index.js';
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

/**
 * The secrets: every `--secret`, plus `--secret-env NAME` (which keeps the secret out of the
 * shell history and the process list). Several mean rotation.
 */
export function readSecrets(args: ParsedArgs, io: CliIo): string[] {
  const secrets = [...all(args, 'secret')];
  for (const name of all(args, 'secret-env')) {
    const value = io.env[name];
    if (value === undefined || value === '') {
      throw new UsageError(`--secret-env ${name}: the environment variable is not set`);
    }
    secrets.push(value);
  }
  if (secrets.length === 0)
    throw new UsageError('give the secret with --secret S or --secret-env NAME');
  return secrets;
}

export function readScheme(args: ParsedArgs): WebhookSchemeName {
  const scheme = one(args, 'scheme') ?? 'mission-control';
  const hit = WEBHOOK_SCHEMES.find((s) => s === scheme);
  if (hit === undefined) {
    throw new UsageError(`--scheme ${scheme}: write one of ${WEBHOOK_SCHEMES.join(', ')}`);
  }
  return hit;
}

export function readInteger(args: ParsedArgs, name: string): number | undefined {
  const raw = one(args, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} ${raw}: write a whole number`);
  return Number(raw);
}
