import { createPublicKey } from 'node:crypto';
import { ed25519PrivateKey, rawPublicKey } from '../webhook/schemes/ed25519.js';
import { twilioDeliveryUrl } from '../webhook/schemes/twilio.js';
import { signWebhook } from '../webhook/signer.js';
import { UsageError, one, parseArgs } from './args.js';
import {
  EXIT,
  messageOf,
  readBody,
  readInteger,
  readScheme,
  readSecrets,
  schemeList,
} from './io.js';
import type { CliIo } from './io.js';
import { shellQuote } from './shell.js';
import { isAbsoluteUrl } from '../webhook/url.js';

export const SIGN_USAGE = `usage: bulwark sign (--secret S | --secret-env NAME) [--scheme NAME | --scheme-file F]
                    [--file F] [options]

Signs a webhook body (--file F, or stdin) and prints the headers a sender attaches,
then a ready curl command that sends exactly those bytes.

options:
  --secret S           the shared secret; repeat while rotating (one signature each
                       where the scheme carries several). discord: the 64-hex-digit
                       Ed25519 private key seed (the receiver holds its public key);
                       standard-webhooks: whsec_<base64>, or whsk_<base64> to sign v1a
  --secret-env NAME    read the secret from this environment variable instead, which keeps
                       it out of the shell history and the process list
  --scheme NAME        ${schemeList(23)}
                       (default mission-control)
  --scheme-file F      a JSON description of the sender's own scheme: {"name",
                       "signatureHeader", "signaturePrefix", "signed", "algorithm",
                       "encoding", "timestampHeader", "idHeader", "secretEncoding"}
  --file F             the body file; default: stdin
  --url URL            where the curl command posts (default http://localhost:8000/webhook);
                       twilio signs this URL: give the full public URL Twilio requests
  --content-type T     the curl command's Content-Type (default application/json);
                       twilio signs the parameters of application/x-www-form-urlencoded,
                       and binds any other body by bodySHA256=<hex> added to the URL
  --header-name NAME   mission-control: the header to sign into (default X-Webhook-Signature)
  --timestamp SECONDS  the signed Unix timestamp (default now)
  --id ID              the delivery id (default random)
  -h, --help           this text

exit codes: 0 signed, 2 usage error, 3 the body or scheme file could not be read
`;

const KNOWN = [
  'secret',
  'secret-env',
  'scheme',
  'scheme-file',
  'file',
  'url',
  'content-type',
  'header-name',
  'timestamp',
  'id',
];

const INLINE_BODY_LIMIT = 4096;
const DEFAULT_URL = 'http://localhost:8000/webhook';

/** The hex public key of a Discord seed, for the receiver's --public-key; undefined if not one. */
function discordPublicKey(seed: string): string | undefined {
  const key = ed25519PrivateKey(Buffer.from(seed.trim(), 'hex'));
  return key === undefined ? undefined : rawPublicKey(createPublicKey(key)).toString('hex');
}

export async function runSign(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, KNOWN);
  if (args.help) {
    io.out(SIGN_USAGE);
    return EXIT.ok;
  }
  const scheme = await readScheme(args);
  const secrets = readSecrets(args, io);
  const timestamp = readInteger(args, 'timestamp');
  const deliveryId = one(args, 'id');
  const headerName = one(args, 'header-name');
  const contentType = one(args, 'content-type') ?? 'application/json';
  let url = one(args, 'url') ?? DEFAULT_URL;
  const body = await readBody(args, io);
  const twilio = scheme === 'twilio';
  if (twilio) {
    if (!isAbsoluteUrl(url)) {
      throw new UsageError(
        `--url ${url}: twilio signs the full public URL it requests; write --url https://api.example.com/sms`,
      );
    }
    // Twilio signs the URL, not a JSON body: the body is bound by its SHA-256 in the query,
    // so the delivery must be posted to the URL carrying it.
    url = twilioDeliveryUrl(url, body, contentType);
  }
  let signed: Record<string, string>;
  try {
    signed = signWebhook(body, secrets, {
      scheme,
      ...(timestamp === undefined ? {} : { timestamp }),
      ...(deliveryId === undefined ? {} : { deliveryId }),
      ...(headerName === undefined ? {} : { headerName }),
      ...(twilio ? { url, contentType } : {}),
    });
  } catch (error: unknown) {
    throw new UsageError(messageOf(error));
  }
  // For twilio the Content-Type decides what the signature covers (form parameters or the
  // URL alone), so it belongs with the signed headers a receiver is checked against.
  const headers = twilio ? { 'Content-Type': contentType, ...signed } : signed;
  for (const [name, value] of Object.entries(headers)) io.out(`${name}: ${value}\n`);
  const file = one(args, 'file');
  const text = body.toString('utf8');
  // The exact bytes must reach the receiver: --data-binary never strips newlines; a body is
  // inlined only when it round-trips through UTF-8 unchanged and does not start with '@'
  // (which curl would read as a file name).
  const inline =
    file === undefined &&
    body.length <= INLINE_BODY_LIMIT &&
    !text.startsWith('@') &&
    Buffer.from(text, 'utf8').equals(body)
      ? text
      : undefined;
  const data =
    file !== undefined
      ? shellQuote(`@${file}`)
      : inline !== undefined
        ? shellQuote(inline)
        : '@body.bin';
  const parts = [
    'curl',
    '-X',
    'POST',
    shellQuote(url),
    ...(twilio ? [] : ['-H', shellQuote(`Content-Type: ${contentType}`)]),
    ...Object.entries(headers).flatMap(([n, v]) => ['-H', shellQuote(`${n}: ${v}`)]),
    '--data-binary',
    data,
  ];
  io.out(`\n${parts.join(' ')}\n`);
  if (file === undefined && inline === undefined) {
    io.out('# the body is large or binary: save the same bytes as body.bin next to this command\n');
  }
  if (twilio) {
    io.out(`# twilio signed this URL; verify with --url ${shellQuote(url)}\n`);
  }
  if (scheme === 'discord') {
    const publicKey = discordPublicKey(secrets[0] ?? '');
    if (publicKey !== undefined) {
      io.out(`# the receiver verifies with --public-key ${publicKey}\n`);
    }
  }
  return EXIT.ok;
}
