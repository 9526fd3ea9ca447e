import { signWebhook } from '../webhook/signer.js';
import { UsageError, one, parseArgs } from './args.js';
import { EXIT, readBody, readInteger, readScheme, readSecrets } from './io.js';
import type { CliIo } from './io.js';
import { shellQuote } from './shell.js';

export const SIGN_USAGE = `usage: bulwark sign (--secret S | --secret-env NAME) [--scheme NAME] [--file F] [options]

Signs a webhook body (--file F, or stdin) and prints the headers a sender attaches,
then a ready curl command that sends exactly those bytes.

options:
  --secret S           the shared secret; repeat while rotating (one signature each
                       where the scheme carries several)
  --secret-env NAME    read the secret from this environment variable instead, which keeps
                       it out of the shell history and the process list
  --scheme NAME        mission-control (default), github, standard-webhooks, stripe, slack
  --file F             the body file; default: stdin
  --url URL            where the curl command posts (default http://localhost:8000/webhook)
  --content-type T     the curl command's Content-Type (default application/json)
  --header-name NAME   mission-control: the header to sign into (default X-Webhook-Signature)
  --timestamp SECONDS  the signed Unix timestamp (default now)
  --id ID              the delivery id (default random)
  -h, --help           this text

exit codes: 0 signed, 2 usage error, 3 the body could not be read
`;

const KNOWN = [
  'secret',
  'secret-env',
  'scheme',
  'file',
  'url',
  'content-type',
  'header-name',
  'timestamp',
  'id',
];

const INLINE_BODY_LIMIT = 4096;

export async function runSign(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, KNOWN);
  if (args.help) {
    io.out(SIGN_USAGE);
    return EXIT.ok;
  }
  const scheme = readScheme(args);
  const secrets = readSecrets(args, io);
  const timestamp = readInteger(args, 'timestamp');
  const deliveryId = one(args, 'id');
  const headerName = one(args, 'header-name');
  const body = await readBody(args, io);
  let headers: Record<string, string>;
  try {
    headers = signWebhook(body, secrets, {
      scheme,
      ...(timestamp === undefined ? {} : { timestamp }),
      ...(deliveryId === undefined ? {} : { deliveryId }),
      ...(headerName === undefined ? {} : { headerName }),
    });
  } catch (error: unknown) {
    throw new UsageError(
      error instanceof Error ? error.message.replace(/^bulwark: /, '') : String(error),
    );
  }
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
    shellQuote(one(args, 'url') ?? 'http://localhost:8000/webhook'),
    '-H',
    shellQuote(`Content-Type: ${one(args, 'content-type') ?? 'application/json'}`),
    ...Object.entries(headers).flatMap(([n, v]) => ['-H', shellQuote(`${n}: ${v}`)]),
    '--data-binary',
    data,
  ];
  io.out(`\n${parts.join(' ')}\n`);
  if (file === undefined && inline === undefined) {
    io.out('# the body is large or binary: save the same bytes as body.bin next to this command\n');
  }
  return EXIT.ok;
}
