import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { schemeFor, WEBHOOK_SCHEMES } from '../webhook/schemes/index.js';
import { withBodyHash } from '../webhook/schemes/twilio.js';
import { signWebhook } from '../webhook/signer.js';
import type { WebhookSchemeName, WebhookVerdict } from '../webhook/types.js';
import { createWebhookVerifier } from '../webhook/verifier.js';
import { UsageError, all, one, parseArgs } from './args.js';
import {
  EXIT,
  InputError,
  hasKeyOption,
  messageOf,
  readBody,
  readInteger,
  readKeyValues,
  readScheme,
  readSecrets,
  schemeList,
  schemeName,
} from './io.js';
import type { CliIo, CliScheme } from './io.js';
import { showValue } from './shell.js';

export const VERIFY_USAGE = `usage: bulwark verify (--secret S | --secret-env NAME | --public-key K | --public-key-env NAME)
                      [--scheme NAME | --scheme-file F] [--file F]
                      (--header 'Name: value')... [--headers-file H] [options]

Checks a delivery (the body from --file F or stdin, the headers as received) the way the
middleware would, and explains a failure: which header was read, which scheme applied,
what was expected. The secret is never printed; expected digests are shortened.

options:
  --secret S           the shared secret; repeat to try several (rotation).
                       standard-webhooks: whsec_<base64>, or whpk_<base64> for v1a
  --secret-env NAME    read the secret from this environment variable instead
  --public-key K       discord: the application's public key (64 hex digits), instead of
                       a secret; repeat to try several
  --public-key-env NAME  read the public key from this environment variable instead
  --scheme NAME        ${schemeList(23)}
                       (default mission-control)
  --scheme-file F      a JSON description of the sender's own scheme (see bulwark sign --help)
  --url URL            twilio: the full public URL Twilio requested, with its query
                       (required: Twilio signs it, and a receiver behind a proxy cannot see it)
  --file F             the body file, byte for byte as received; default: stdin
  --header 'N: V'      one received header; repeat for each
  --headers-file H     a file of received header lines ('Name: value'); other lines are
                       skipped, so a raw request dump works
  --header-name NAME   mission-control: the webhook's custom signature header
  --now SECONDS        judge the timestamp as of this Unix time (default now)
  --tolerance SECONDS  timestamp tolerance (default 300)
  -h, --help           this text

exit codes: 0 the delivery verifies, 1 it does not, 2 usage error,
            3 the body, headers or scheme file could not be read
`;

const KNOWN = [
  'secret',
  'secret-env',
  'public-key',
  'public-key-env',
  'scheme',
  'scheme-file',
  'url',
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

type Headers = Record<string, string | string[]>;

/** Where each built-in scheme carries the signed timestamp and the delivery id. */
const SIGNED_PARTS: Readonly<
  Record<WebhookSchemeName, { readonly timestamp?: string; readonly id?: string }>
> = {
  'mission-control': {},
  github: { id: 'x-github-delivery' },
  'standard-webhooks': { timestamp: 'webhook-timestamp', id: 'webhook-id' },
  // Stripe's timestamp is the t= field inside Stripe-Signature, read below.
  stripe: {},
  slack: { timestamp: 'x-slack-request-timestamp' },
  discord: { timestamp: 'x-signature-timestamp' },
  shopify: { id: 'x-shopify-webhook-id' },
  twilio: { id: 'i-twilio-idempotency-token' },
  gitlab: { id: 'x-gitlab-event-uuid' },
};

const ABSOLUTE = /^https?:\/\/[^/?#]/i;
const FORM = 'application/x-www-form-urlencoded';
const GITLAB_TOKEN = 'x-gitlab-token';

/** The timestamp and id the sender signed, read loosely so the expected value can be shown. */
function signedParts(
  scheme: CliScheme,
  headers: Headers,
  now: number,
): { timestamp: number; deliveryId: string } {
  const where =
    typeof scheme === 'string'
      ? SIGNED_PARTS[scheme]
      : { timestamp: scheme.timestampHeader?.toLowerCase(), id: scheme.idHeader?.toLowerCase() };
  let ts = where.timestamp === undefined ? undefined : first(headers[where.timestamp]);
  if (scheme === 'stripe')
    ts = /(?:^|,)\s*t=(\d+)/.exec(first(headers['stripe-signature']) ?? '')?.[1];
  const timestamp = ts !== undefined && /^\d{1,12}$/.test(ts.trim()) ? Number(ts.trim()) : now;
  const id = where.id === undefined ? undefined : first(headers[where.id]);
  return { timestamp, deliveryId: id ?? 'unknown-delivery' };
}

/**
 * A value shown for explanation. Besides the SHA-256 digests showValue shortens, SHA-1 and
 * SHA-512 digests (Twilio, custom schemes) are cut to 12 characters: enough to compare,
 * useless to replay.
 */
function show(value: string): string {
  return showValue(
    value.replace(/[A-Za-z0-9+/]{26,}={1,2}|[0-9a-fA-F]{40,}/g, (d) => `${d.slice(0, 12)}…`),
  );
}

/** The first 8 hex digits of a public key given as hex (discord) or whpk_<base64>. */
function fingerprint(key: string): string {
  const hex = key.startsWith('whpk_')
    ? Buffer.from(key.slice('whpk_'.length), 'base64').toString('hex')
    : key.trim().toLowerCase();
  return `${hex.slice(0, 8)}…`;
}

/** The keys, the verifier built from them, and what a check reads besides the headers. */
interface Check {
  readonly scheme: CliScheme;
  readonly name: string;
  /** The secrets, or discord's public keys. */
  readonly keys: readonly string[];
  readonly headerName: string | undefined;
  readonly url: string | undefined;
  readonly headers: Headers;
  readonly body: Buffer;
  readonly nowSeconds: number;
  readonly parts: { timestamp: number; deliveryId: string };
  /** The signature and timestamp checks as of `now`, for `body` and `headers`. */
  readonly run: (now: number, body?: Buffer, headers?: Headers) => WebhookVerdict;
}

/** The secrets, or for discord the public keys; the wrong kind of key is a usage error. */
function readKeys(args: ReturnType<typeof parseArgs>, io: CliIo, scheme: CliScheme): string[] {
  if (scheme === 'discord') {
    if (hasKeyOption(args, 'secret')) {
      throw new UsageError(
        "discord signs with Ed25519 and is verified with the application's public key, not a secret: write --public-key <64 hex digits> (the PUBLIC KEY on the Discord developer portal, General Information) or --public-key-env NAME",
      );
    }
    const keys = readKeyValues(args, io, 'public-key');
    if (keys.length === 0) {
      throw new UsageError(
        "give the Discord application's public key with --public-key HEX or --public-key-env NAME",
      );
    }
    return keys;
  }
  if (hasKeyOption(args, 'public-key')) {
    throw new UsageError(
      `--public-key is for --scheme discord; ${
        scheme === 'standard-webhooks'
          ? 'give a whpk_ key with --secret (mixed with whsec_ secrets while rotating)'
          : `${schemeName(scheme)} is verified with the shared secret: give it with --secret S or --secret-env NAME`
      }`,
    );
  }
  return readSecrets(args, io);
}

/** Twilio signs the URL it requested: required and absolute for twilio, refused elsewhere. */
function readUrl(args: ReturnType<typeof parseArgs>, scheme: CliScheme): string | undefined {
  const url = one(args, 'url');
  if (scheme !== 'twilio') {
    if (url !== undefined) {
      throw new UsageError(
        `--url: ${schemeName(scheme)} does not sign the URL (only twilio does); remove --url`,
      );
    }
    return undefined;
  }
  if (url === undefined) {
    throw new UsageError(
      "twilio signs the full public URL it requested: write --url 'https://api.example.com/sms?x=1', the webhook URL configured at Twilio with its query (and bodySHA256=... for a JSON body)",
    );
  }
  if (!ABSOLUTE.test(url)) {
    throw new UsageError(
      `--url ${url}: write the full URL Twilio requested, with its scheme and host, such as https://api.example.com/sms`,
    );
  }
  return url;
}

export async function runVerify(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, KNOWN);
  if (args.help) {
    io.out(VERIFY_USAGE);
    return EXIT.ok;
  }
  const scheme = await readScheme(args);
  const name = schemeName(scheme);
  const keys = readKeys(args, io, scheme);
  const url = readUrl(args, scheme);
  const nowSeconds = readInteger(args, 'now') ?? Math.floor(Date.now() / 1000);
  const tolerance = readInteger(args, 'tolerance');
  const headerName = one(args, 'header-name');
  const headers = await readHeaders(all(args, 'header'), one(args, 'headers-file'));
  const body = await readBody(args, io);

  const make = (now: number) => {
    try {
      return createWebhookVerifier({
        scheme,
        ...(scheme === 'discord' ? { publicKey: keys } : { secret: keys }),
        replay: false,
        now: () => now * 1000,
        ...(tolerance === undefined ? {} : { toleranceSeconds: tolerance }),
        ...(headerName === undefined ? {} : { headerName }),
      });
    } catch (error: unknown) {
      throw new UsageError(messageOf(error));
    }
  };
  const run = (now: number, b: Buffer = body, h: Headers = headers): WebhookVerdict =>
    make(now).verifySignature({ body: b, headers: h, ...(url === undefined ? {} : { url }) });
  const verdict = run(nowSeconds);
  const info = schemeFor(scheme, headerName);

  io.out(`scheme:   ${name}${typeof scheme === 'string' ? '' : ` (custom, from --scheme-file)`}\n`);
  io.out(
    `body:     ${body.length} bytes, sha256 ${createHash('sha256').update(body).digest('hex').slice(0, 16)}…\n`,
  );
  if (scheme === 'discord') {
    io.out(`keys:     ${keys.length} public key(s): ${keys.map(fingerprint).join(', ')}\n`);
  } else {
    io.out(`secrets:  ${keys.length} given (never printed)\n`);
  }
  if (url !== undefined) io.out(`url:      ${url}\n`);
  io.out('headers read:\n');
  // Twilio signs the form parameters only when the delivery says it is a form.
  const shownHeaders =
    scheme === 'twilio' ? [...info.headerNames, 'content-type'] : info.headerNames;
  for (const header of shownHeaders) {
    const v = headers[header];
    const shown =
      v === undefined
        ? '(not sent)'
        : scheme === 'gitlab' && header === GITLAB_TOKEN
          ? // A GitLab token is the secret itself, not a signature: never echoed.
            `(sent${typeof v === 'string' ? '' : ` ${v.length} times`}; not shown: a GitLab token is the secret itself)`
          : typeof v === 'string'
            ? show(v)
            : `(sent ${v.length} times) ${v.map(show).join(' | ')}`;
    io.out(`  ${header}: ${shown}\n`);
  }
  if (verdict.ok) {
    io.out('result:   OK, the signature verifies\n');
    return EXIT.ok;
  }
  io.out(`result:   ${verdict.error.status} ${JSON.stringify({ detail: verdict.error.detail })}\n`);
  io.out(`why:      ${verdict.reason}\n`);
  io.out(`expected: ${info.expects}\n`);
  const check: Check = {
    scheme,
    name,
    keys,
    headerName,
    url,
    headers,
    body,
    nowSeconds,
    parts: signedParts(scheme, headers, nowSeconds),
    run,
  };
  for (const line of expectation(check)) io.out(`${line}\n`);
  for (const hint of hints(verdict, check)) io.out(`hint:     ${hint}\n`);
  return EXIT.rejected;
}

/**
 * What the sender should have sent, as far as it can be shown without revealing a secret:
 * the recomputed HMAC headers (digests shortened); for GitLab only whether the token
 * matched (the token is the secret); for Ed25519 keys only which public keys were tried
 * (a signature cannot be recomputed without the sender's private key).
 */
function expectation(c: Check): string[] {
  if (c.scheme === 'gitlab') return gitlabExpectation(c);
  const standard = c.scheme === 'standard-webhooks';
  const publicKeys =
    c.scheme === 'discord' ? c.keys : standard ? c.keys.filter((k) => k.startsWith('whpk_')) : [];
  const signing = c.scheme === 'discord' ? [] : c.keys.filter((k) => !publicKeys.includes(k));
  const out: string[] = [];
  if (signing.length > 0) out.push(...hmacExpectation(c, signing, publicKeys.length > 0));
  if (publicKeys.length > 0) {
    out.push(
      `tried:    the Ed25519 public key(s) ${publicKeys.map(fingerprint).join(', ')}; the expected signature cannot be shown: only the sender's private key makes one`,
    );
  }
  return out;
}

function hmacExpectation(c: Check, secrets: readonly string[], someAreKeys: boolean): string[] {
  const twilio = c.scheme === 'twilio';
  const url = c.url ?? '';
  const contentType = first(c.headers['content-type']) ?? '';
  if (twilio) {
    const settings = first(c.headers['x-twilio-webhooks-signature-settings']) ?? '';
    if (/algorithm\s*=\s*HMAC_SHA256/i.test(settings)) {
      return [
        'note:     the sender names HMAC-SHA256 in X-Twilio-Webhooks-Signature-Settings; bulwark sign makes HMAC-SHA1 signatures only, so no expected value is shown',
      ];
    }
    if (
      !contentType.toLowerCase().startsWith(FORM) &&
      c.body.length > 0 &&
      !/[?&]bodySHA256=/.test(url)
    ) {
      return [
        `note:     twilio binds a body that is not a form by bodySHA256=<hex SHA-256> in the URL, and --url has none: a sender would have posted this body to ${withBodyHash(url, c.body)}`,
      ];
    }
  }
  let expected: Record<string, string>;
  try {
    expected = signWebhook(c.body, [...secrets], {
      scheme: c.scheme,
      ...c.parts,
      ...(c.headerName === undefined ? {} : { headerName: c.headerName }),
      ...(twilio ? { url, contentType } : {}),
    });
  } catch (error: unknown) {
    return [`note:     no expected value: ${messageOf(error)}`];
  }
  const out = [
    someAreKeys
      ? 'for this body and the given whsec_/whsk_ secrets, the sender should have sent:'
      : 'for this body and secret, the sender should have sent:',
  ];
  for (const [name, value] of Object.entries(expected)) out.push(`  ${name}: ${show(value)}`);
  return out;
}

/** Never the expected token, which is the secret itself: only whether the sent one matched. */
function gitlabExpectation(c: Check): string[] {
  if (c.headers[GITLAB_TOKEN] === undefined) return [];
  // Checked once more without the id header, so a refused id is told from a wrong token.
  const withoutId = { ...c.headers };
  delete withoutId['x-gitlab-event-uuid'];
  const tokenMatches = c.run(c.nowSeconds, c.body, withoutId).ok;
  return [
    tokenMatches
      ? 'token:    the token matches; the X-Gitlab-Event-UUID header is what was refused'
      : `token:    the token does not match the ${c.keys.length} given secret(s) (it is the secret itself, so it is never shown)`,
  ];
}

function hints(verdict: WebhookVerdict & { ok: false }, c: Check): string[] {
  const out: string[] = [];
  const code = verdict.error.code;
  if (code === 'timestamp_out_of_range') {
    const atSend = c.run(c.parts.timestamp);
    out.push(
      atSend.ok
        ? 'the signature itself is valid: only the timestamp is too far from now (clock skew, or an old capture: pass --now)'
        : `the signature is also wrong for this body and ${c.scheme === 'discord' ? 'public key' : 'secret'}`,
    );
  }
  if (code === 'signature_invalid' && c.body.toString('latin1').endsWith('\n')) {
    const trimmed = c.body.subarray(0, c.body.length - (c.body.at(-2) === 0x0d ? 2 : 1));
    if (c.run(c.nowSeconds, trimmed).ok) {
      out.push(
        'the signature matches the body WITHOUT its trailing newline: the file gained one (an editor or echo); send the bytes exactly as signed',
      );
    }
  }
  if (
    c.scheme === 'twilio' &&
    c.headers['content-type'] === undefined &&
    /^[^=&\s]+=[^&]*(&[^=&\s]+=[^&]*)*$/.test(c.body.toString('utf8'))
  ) {
    out.push(
      `the body looks like a form but no Content-Type header was given: twilio signs the form parameters only of a delivery sent as ${FORM}; add --header 'Content-Type: ${FORM}'`,
    );
  }
  if (code === 'signature_missing' || code === 'signature_invalid') {
    const own = schemeFor(c.scheme, undefined).headerNames;
    for (const other of WEBHOOK_SCHEMES) {
      if (other === c.scheme) continue;
      const sig = schemeFor(other, undefined).headerNames.find(
        (n) => c.headers[n] !== undefined && !own.includes(n),
      );
      if (sig !== undefined) out.push(`a ${sig} header was sent: is this --scheme ${other}?`);
    }
  }
  if (code === 'signature_invalid' && out.length === 0) {
    out.push(
      c.scheme === 'gitlab'
        ? 'check that the secret token configured at GitLab is the secret given here'
        : c.scheme === 'twilio'
          ? "Twilio signs the exact URL it requested (scheme, host, port, path and query) and a form's parameters: check --url against the webhook URL configured at Twilio, and that the secret is the account's auth token"
          : c.scheme === 'discord'
            ? "check that the body is byte-for-byte what was signed and that the public key is this Discord application's"
            : 'check that the body is byte-for-byte what was signed (not re-serialized JSON, same encoding) and that both sides use the same secret',
    );
  }
  return out;
}
