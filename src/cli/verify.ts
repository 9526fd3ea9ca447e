import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { schemeFor, WEBHOOK_SCHEMES } from '../webhook/schemes/index.js';
import { signWebhook } from '../webhook/signer.js';
import type { WebhookSchemeName } from '../webhook/types.js';
import { createWebhookVerifier } from '../webhook/verifier.js';
import type { WebhookVerdict } from '../webhook/types.js';
import { UsageError, all, one, parseArgs } from './args.js';
import { EXIT, InputError, readBody, readInteger, readScheme, readSecrets } from './io.js';
import type { CliIo } from './io.js';
import { showValue } from './shell.js';

export const VERIFY_USAGE = `usage: bulwark verify (--secret S | --secret-env NAME) [--scheme NAME] [--file F]
                      (--header 'Name: value')... [--headers-file H] [options]

Checks a delivery (the body from --file F or stdin, the headers as received) the way the
middleware would, and explains a failure: which header was read, which scheme applied,
what was expected. The secret is never printed; expected digests are shortened.

options:
  --secret S           the shared secret; repeat to try several (rotation)
  --secret-env NAME    read the secret from this environment variable instead
  --scheme NAME        mission-control (default), github, standard-webhooks, stripe, slack
  --file F             the body file, byte for byte as received; default: stdin
  --header 'N: V'      one received header; repeat for each
  --headers-file H     a file of received header lines ('Name: value'); other lines are
                       skipped, so a raw request dump works
  --header-name NAME   mission-control: the webhook's custom signature header
  --now SECONDS        judge the timestamp as of this Unix time (default now)
  --tolerance SECONDS  timestamp tolerance (default 300)
  -h, --help           this text

exit codes: 0 the delivery verifies, 1 it does not, 2 usage error,
            3 the body or headers file could not be read
`;

const KNOWN = [
  'secret',
  'secret-env',
  'scheme',
  'file',
  'header',
  'headers-file',
  'header-name',
  'now',
  'tolerance',
];

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

async function readHeaders(
  lines: readonly string[],
  file: string | undefined,
): Promise<Record<string, string | string[]>> {
  const headers: Record<string, string | string[]> = {};
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

function first(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : v?.[0];
}

/** The timestamp and id the sender signed, read loosely so the expected value can be shown. */
function signedParts(
  scheme: WebhookSchemeName,
  headers: Record<string, string | string[]>,
  now: number,
): { timestamp: number; deliveryId: string } {
  let ts: string | undefined;
  if (scheme === 'standard-webhooks') ts = first(headers['webhook-timestamp']);
  if (scheme === 'slack') ts = first(headers['x-slack-request-timestamp']);
  if (scheme === 'stripe')
    ts = /(?:^|,)\s*t=(\d+)/.exec(first(headers['stripe-signature']) ?? '')?.[1];
  const timestamp = ts !== undefined && /^\d{1,12}$/.test(ts.trim()) ? Number(ts.trim()) : now;
  const deliveryId =
    first(headers['webhook-id']) ?? first(headers['x-github-delivery']) ?? 'unknown-delivery';
  return { timestamp, deliveryId };
}

export async function runVerify(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, KNOWN);
  if (args.help) {
    io.out(VERIFY_USAGE);
    return EXIT.ok;
  }
  const scheme = readScheme(args);
  const secrets = readSecrets(args, io);
  const nowSeconds = readInteger(args, 'now') ?? Math.floor(Date.now() / 1000);
  const tolerance = readInteger(args, 'tolerance');
  const headerName = one(args, 'header-name');
  const headers = await readHeaders(all(args, 'header'), one(args, 'headers-file'));
  const body = await readBody(args, io);

  const make = (now: number) => {
    try {
      return createWebhookVerifier({
        scheme,
        secret: secrets,
        replay: false,
        now: () => now * 1000,
        ...(tolerance === undefined ? {} : { toleranceSeconds: tolerance }),
        ...(headerName === undefined ? {} : { headerName }),
      });
    } catch (error: unknown) {
      throw new UsageError(
        error instanceof Error ? error.message.replace(/^bulwark: /, '') : String(error),
      );
    }
  };
  const verdict: WebhookVerdict = make(nowSeconds).verifySignature({ body, headers });
  const info = schemeFor(scheme, headerName);

  io.out(`scheme:   ${scheme}\n`);
  io.out(
    `body:     ${body.length} bytes, sha256 ${createHash('sha256').update(body).digest('hex').slice(0, 16)}…\n`,
  );
  io.out(`secrets:  ${secrets.length} given (never printed)\n`);
  io.out('headers read:\n');
  for (const name of info.headerNames) {
    const v = headers[name];
    const shown =
      v === undefined
        ? '(not sent)'
        : typeof v === 'string'
          ? showValue(v)
          : `(sent ${v.length} times) ${v.map(showValue).join(' | ')}`;
    io.out(`  ${name}: ${shown}\n`);
  }
  if (verdict.ok) {
    io.out('result:   OK, the signature verifies\n');
    return EXIT.ok;
  }
  io.out(`result:   ${verdict.error.status} ${JSON.stringify({ detail: verdict.error.detail })}\n`);
  io.out(`why:      ${verdict.reason}\n`);
  io.out(`expected: ${info.expects}\n`);
  const parts = signedParts(scheme, headers, nowSeconds);
  const expected = signWebhook(body, secrets, {
    scheme,
    ...parts,
    ...(headerName === undefined ? {} : { headerName }),
  });
  io.out('for this body and secret, the sender should have sent:\n');
  for (const [name, value] of Object.entries(expected)) io.out(`  ${name}: ${showValue(value)}\n`);
  for (const hint of hints(verdict, { scheme, headers, body, make, nowSeconds, parts })) {
    io.out(`hint:     ${hint}\n`);
  }
  return EXIT.rejected;
}

interface HintContext {
  readonly scheme: WebhookSchemeName;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
  readonly make: (now: number) => ReturnType<typeof createWebhookVerifier>;
  readonly nowSeconds: number;
  readonly parts: { timestamp: number };
}

function hints(verdict: WebhookVerdict & { ok: false }, c: HintContext): string[] {
  const out: string[] = [];
  const code = verdict.error.code;
  if (code === 'timestamp_out_of_range') {
    const atSend = c.make(c.parts.timestamp).verifySignature({ body: c.body, headers: c.headers });
    out.push(
      atSend.ok
        ? 'the signature itself is valid: only the timestamp is too far from now (clock skew, or an old capture: pass --now)'
        : 'the signature is also wrong for this body and secret',
    );
  }
  if (code === 'signature_invalid' && c.body.toString('latin1').endsWith('\n')) {
    const trimmed = c.body.subarray(0, c.body.length - (c.body.at(-2) === 0x0d ? 2 : 1));
    if (c.make(c.nowSeconds).verifySignature({ body: trimmed, headers: c.headers }).ok) {
      out.push(
        'the signature matches the body WITHOUT its trailing newline: the file gained one (an editor or echo); send the bytes exactly as signed',
      );
    }
  }
  if (code === 'signature_missing' || code === 'signature_invalid') {
    for (const other of WEBHOOK_SCHEMES) {
      if (other === c.scheme) continue;
      const sig = schemeFor(other, undefined).headerNames.find(
        (n) =>
          c.headers[n] !== undefined && !schemeFor(c.scheme, undefined).headerNames.includes(n),
      );
      if (sig !== undefined) out.push(`a ${sig} header was sent: is this --scheme ${other}?`);
    }
  }
  if (code === 'signature_invalid' && out.length === 0) {
    out.push(
      'check that the body is byte-for-byte what was signed (not re-serialized JSON, same encoding) and that both sides use the same secret',
    );
  }
  return out;
}
