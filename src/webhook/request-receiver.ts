import type { Readable } from 'node:stream';
import type { HeaderBag } from '../body/options.js';
import type { LoggerLike } from '../log/logger-kind.js';
import { reportMisuse } from '../log/misuse.js';
import { describeError } from '../util/describe-error.js';
import { secretUnavailable } from './errors.js';
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
export interface RequestWebhookReceiverOptions<Req> extends Omit<WebhookReceiverOptions, 'secret'> {
  /**
   * The secret (several while rotating), or a function of the request. Required: a
   * middleware that verifies nothing is a wiring mistake (an unset environment variable),
   * so a missing or empty secret is a `TypeError` at creation. For per-webhook secrets give
   * a function; its `undefined` means "no secret for this webhook" (mission-control then
   * does not check, as Mission Control does; the other schemes refuse).
   */
  readonly secret?: RequestWebhookSecret<Req> | undefined;
}

/** Receives one delivery: the framework request (for the secret), its body stream and headers. */
export type RequestWebhookReceiver<Req> = (
  request: Req,
  stream: Readable,
  headers: HeaderBag,
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

const WHAT_TO_RETURN =
  'return a string, a Buffer, an array of them while rotating, or undefined for a webhook without a secret';

function emptySecret(secret: unknown): boolean {
  if (secret === undefined || secret === null || secret === '') return true;
  if (secret instanceof Uint8Array) return secret.length === 0;
  return Array.isArray(secret) && secret.length === 0;
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
  const { secret, ...rest } = options;
  if (typeof secret !== 'function') {
    if (emptySecret(secret)) {
      throw new TypeError(
        `bulwark: verifyWebhook secret: ${secret === '' ? 'the secret is an empty string' : 'no secret is given'}, so nothing would be verified; write secret: process.env.WEBHOOK_SECRET (and make sure it is set), or secret: (req) => lookUpSecret(req) for per-webhook secrets; for a size limit alone use payloadLimit.`,
      );
    }
    const receiver = createWebhookReceiver({ ...rest, secret });
    return (_request, stream, headers) => receiver.receive(stream, headers);
  }
  const receiver = createWebhookReceiver(rest);
  const logger: LoggerLike = rest.logger ?? console;
  const refuse = (problem: string): WebhookReceipt => {
    reportMisuse(
      logger,
      'misuse.webhook_secret',
      problem,
      `the verifyWebhook secret function ${problem}, so the delivery was refused with 500; ${WHAT_TO_RETURN}.`,
    );
    return { ok: false, error: secretUnavailable() };
  };
  return async (request, stream, headers) => {
    let found: unknown;
    try {
      found = await secret(request);
    } catch (error: unknown) {
      return refuse(`threw (${describeError(error)})`);
    }
    const problem = secretProblem(found);
    if (problem !== undefined) return refuse(problem);
    return receiver.receive(stream, headers, (found as WebhookSecrets) ?? []);
  };
}
