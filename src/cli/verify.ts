import { createHash } from 'node:crypto';
import { schemeFor } from '../webhook/schemes/index.js';
import type { WebhookVerdict } from '../webhook/types.js';
import { isAbsoluteUrl } from '../webhook/url.js';
import { createWebhookVerifier } from '../webhook/verifier.js';
import { UsageError, all, one, parseArgs } from './args.js';
import {
  EXIT,
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
import { GITLAB_TOKEN, expectation, fingerprint, hints, show, signedParts } from './explain.js';
import type { Check } from './explain.js';
import { readHeaders } from './headers.js';
import type { Headers } from './headers.js';

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
  if (!isAbsoluteUrl(url)) {
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
