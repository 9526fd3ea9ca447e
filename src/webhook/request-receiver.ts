import type { Readable } from 'node:stream';
import type { HeaderBag } from '../body/options.js';
import type { LoggerLike } from '../log/logger-kind.js';
import { reportMisuse } from '../log/misuse.js';
import type { MisuseCode } from '../log/misuse.js';
import { describeError } from '../util/describe-error.js';
import { secretUnavailable, urlUnavailable } from './errors.js';
import { checkKeyOption } from './key-option.js';
import { isAbsoluteUrl } from './url.js';
import { createWebhookReceiver } from './receiver.js';
import type { WebhookReceipt, WebhookReceiverOptions } from './receiver.js';
import type { WebhookSecrets } from './types.js';

/**
 * A webhook secret as the adapters take it: fixed, or a function of the framework's request
 * (per-webhook secrets looked up by id, possibly asynchronously). `undefined` from the
 * function means "no secret for this webhook".
 */
export type RequestWebhookSecret<Req> =
  | WebhookSecrets
  | ((request: Req) => WebhookSecrets | undefined | Promise<WebhookSecrets | undefined>);

/** {@link WebhookReceiverOptions} with a secret that may depend on the request. */
export interface RequestWebhookReceiverOptions<Req> extends Omit<
  WebhookReceiverOptions,
  'secret' | 'publicKey' | 'publicUrl'
> {
  /**
   * The secret (several while rotating), or a function of the request. Required: a
   * middleware that verifies nothing is a wiring mistake (an unset environment variable),
   * so a missing or empty secret is a `TypeError` at creation. For per-webhook secrets give
   * a function; its `undefined` means "no secret for this webhook" (mission-control then
   * does not check, as Mission Control does; the other schemes refuse).
   */
  readonly secret?: RequestWebhookSecret<Req> | undefined;
  /**
   * discord only, instead of `secret`: the application's Ed25519 public key (64 hex
   * digits), several while rotating, or a function of the request. Required for discord.
   */
  readonly publicKey?: RequestWebhookSecret<Req> | undefined;
  /**
   * twilio only, and required for it: the public base URL Twilio posts to (such as
   * `'https://api.example.com'`, joined to the request target), or a function of the
   * request returning the full URL Twilio requested. It is never read from `Host` or
   * forwarding headers, which the client chooses. Default: none.
   */
  readonly publicUrl?: string | ((request: Req) => string) | undefined;
}

/**
 * Receives one delivery: the framework request (for the secret), its body stream and
 * headers, and the request target as received (`/path?query`, for schemes that sign the URL).
 */
export type RequestWebhookReceiver<Req> = (
  request: Req,
  stream: Readable,
  headers: HeaderBag,
  target?: string,
) => Promise<WebhookReceipt>;

function isSecret(value: unknown): boolean {
  return typeof value === 'string' || value instanceof Uint8Array;
}

/** What is wrong with a per-request secret, or undefined when it is one. */
function secretProblem(value: unknown): string | undefined {
  if (value === undefined || isSecret(value)) return undefined;
  if (Array.isArray(value) && (value as readonly unknown[]).every(isSecret)) return undefined;
  if (value === null) return 'returned null';
  if (Array.isArray(value)) return 'returned an array holding something that is not a secret';
  return `returned ${typeof value === 'object' ? 'an object' : `a ${typeof value}`}`;
}

const URL_TO_RETURN =
  "return the full URL the sender requested, such as 'https://api.example.com/sms?x=1'";

const WHAT_TO_RETURN =
  'return a string, a Buffer, an array of them while rotating, or undefined for a webhook without a secret';

function emptySecret(secret: unknown): boolean {
  if (secret === undefined || secret === null || secret === '') return true;
  if (secret instanceof Uint8Array) return secret.length === 0;
  return Array.isArray(secret) && secret.length === 0;
}

/** The public URL option, checked: a function stays per request, a string goes to the core. */
function urlOption<Req>(
  scheme: RequestWebhookReceiverOptions<Req>['scheme'],
  publicUrl: RequestWebhookReceiverOptions<Req>['publicUrl'],
): void {
  const twilio = scheme === 'twilio';
  if (twilio && publicUrl === undefined) {
    throw new TypeError(
      "bulwark: verifyWebhook publicUrl: twilio signs the public URL it posts to, which a server behind a proxy cannot see and must not take from Host; write publicUrl: 'https://api.example.com' (joined to each request's path), or publicUrl: (req) => fullUrl.",
    );
  }
  if (!twilio && typeof publicUrl === 'function') {
    throw new TypeError(
      `bulwark: verifyWebhook publicUrl: ${typeof scheme === 'string' ? scheme : 'this scheme'} does not sign the URL; remove publicUrl.`,
    );
  }
}

/**
 * The webhook receiver every adapter uses. A fixed secret is decoded once, here; a
 * function secret is called per request and its keys decoded then. A function that throws
 * or returns something that is not a secret refuses the delivery with 500 (the app's fault,
 * never the sender's, and never a pass) and is logged once per process with what to return.
 */
export function createRequestWebhookReceiver<Req>(
  options: RequestWebhookReceiverOptions<Req>,
): RequestWebhookReceiver<Req> {
  const { secret: sharedSecret, publicKey, publicUrl, ...rest } = options;
  const scheme = rest.scheme;
  checkKeyOption(typeof scheme === 'object' ? scheme.name : (scheme ?? 'mission-control'), {
    secret: sharedSecret !== undefined,
    publicKey: publicKey !== undefined,
  });
  urlOption(rest.scheme, publicUrl);
  // discord's key is its public key; the core checks that each scheme gets the right one.
  const keyName = publicKey === undefined ? 'secret' : 'publicKey';
  const secret = publicKey ?? sharedSecret;
  const fixedUrl = typeof publicUrl === 'string' ? { publicUrl } : {};
  const logger: LoggerLike = rest.logger ?? console;
  const refuse = (code: MisuseCode, problem: string, instead: string): WebhookReceipt => {
    reportMisuse(
      logger,
      code,
      problem,
      `${problem}, so the delivery was refused with 500; ${instead}.`,
    );
    return {
      ok: false,
      error: code === 'misuse.webhook_url' ? urlUnavailable() : secretUnavailable(),
    };
  };
  // The URL per request: the target as received (joined to a fixed publicUrl by the core),
  // or the app's function of the request, whose failure refuses the delivery, never passes it.
  const urlOf = (request: Req, target: string | undefined): string | WebhookReceipt | undefined => {
    if (typeof publicUrl !== 'function') return target;
    let url: unknown;
    try {
      url = publicUrl(request);
    } catch (error: unknown) {
      return refuse(
        'misuse.webhook_url',
        `the verifyWebhook publicUrl function threw (${describeError(error)})`,
        URL_TO_RETURN,
      );
    }
    if (typeof url === 'string' && isAbsoluteUrl(url)) return url;
    return refuse(
      'misuse.webhook_url',
      `the verifyWebhook publicUrl function returned ${typeof url === 'string' ? 'a URL that is not absolute' : url === undefined ? 'undefined' : `a value of type ${typeof url}`}`,
      URL_TO_RETURN,
    );
  };
  if (typeof secret !== 'function') {
    if (emptySecret(secret)) {
      throw new TypeError(
        rest.scheme === 'discord'
          ? `bulwark: verifyWebhook publicKey: ${secret === '' ? 'the key is an empty string' : 'no public key is given'}, so nothing would be verified; write publicKey: process.env.DISCORD_PUBLIC_KEY (and make sure it is set).`
          : `bulwark: verifyWebhook secret: ${secret === '' ? 'the secret is an empty string' : 'no secret is given'}, so nothing would be verified; write secret: process.env.WEBHOOK_SECRET (and make sure it is set), or secret: (req) => lookUpSecret(req) for per-webhook secrets; for a size limit alone use payloadLimit.`,
      );
    }
    const receiver = createWebhookReceiver({ ...rest, ...fixedUrl, [keyName]: secret });
    return async (request, stream, headers, target) => {
      const url = urlOf(request, target);
      if (typeof url === 'object') return url;
      return receiver.receive(stream, headers, undefined, url);
    };
  }
  const receiver = createWebhookReceiver({ ...rest, ...fixedUrl });
  return async (request, stream, headers, target) => {
    let found: unknown;
    try {
      found = await secret(request);
    } catch (error: unknown) {
      return refuse(
        'misuse.webhook_secret',
        `the verifyWebhook secret function threw (${describeError(error)})`,
        WHAT_TO_RETURN,
      );
    }
    const problem = secretProblem(found);
    if (problem !== undefined) {
      return refuse(
        'misuse.webhook_secret',
        `the verifyWebhook secret function ${problem}`,
        WHAT_TO_RETURN,
      );
    }
    const url = urlOf(request, target);
    if (typeof url === 'object') return url;
    return receiver.receive(stream, headers, (found as WebhookSecrets) ?? [], url);
  };
}
