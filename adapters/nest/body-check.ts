import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import {
  createBodyReceiver,
  createRequestWebhookReceiver,
  rememberBody,
  rememberedBody,
  reportBodyConsumed,
} from 'bulwark';
import type { BodyReceipt, BulwarkError, HeaderBag, LoggerLike } from 'bulwark';
import { requestHeaders } from '../shared/node-headers.js';
import type { NestPayloadLimitOptions, NestVerifyWebhookOptions } from './options.js';
import { hasParsedBody, nodeRequest, platformRawBody, requestTarget, setBody } from './platform.js';
import type { NestRequest } from './platform.js';

/** One compiled body check of a route: a payload limit, or a webhook verification. */
export interface BodyCheck {
  /** Whether the check runs on requests without a body (a webhook route refuses them unsigned). */
  readonly bodyless: boolean;
  /** Where a body read before bulwark is reported, once per process. */
  readonly logger: LoggerLike;
  /** Reads, limits (and verifies) one body: the bytes and the parsed body, or the rejection. */
  readonly receive: (
    request: NestRequest,
    stream: Readable,
    headers: HeaderBag,
    target: string,
  ) => Promise<BodyReceipt>;
}

/** Compiles `@PayloadLimit(...)` (or the module's `payloadLimit`) once; bad options throw here. */
export function payloadCheck(options: NestPayloadLimitOptions = {}): BodyCheck {
  const receiver = createBodyReceiver(options);
  return {
    bodyless: false,
    logger: options.logger ?? console,
    receive: (_request, stream, headers) => receiver.receive(stream, headers),
  };
}

/** Compiles `@VerifyWebhook(...)` once; a missing secret and bad options throw here. */
export function webhookCheck(options: NestVerifyWebhookOptions = {}): BodyCheck {
  const logger = options.logger ?? console;
  const receive = createRequestWebhookReceiver<NestRequest>({ ...options, logger });
  return { bodyless: true, logger, receive };
}

/**
 * True when the request carries a body (RFC 9112 section 6.3: a request without
 * Content-Length or Transfer-Encoding has none), so bodyless requests skip a payload limit.
 */
export function hasBody(req: IncomingMessage): boolean {
  const { headers } = req;
  return headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined;
}

const MOUNT =
  "bulwark reads a checked route's body before Nest's own parsers, so this one ran earlier: remove it, or create the app with NestFactory.create(AppModule, { rawBody: true }) so the bytes are kept for bulwark";

/** Which reader took the body first, from what it left on the request. */
function readerOf(request: NestRequest): string {
  return hasParsedBody(request)
    ? "a body parser that ran before bulwark (Nest's own without rawBody: true, or one the app registered on the Express instance or with app.use())"
    : 'a middleware that read the request stream before bulwark';
}

/**
 * Where the bytes come from, most trusted first: a body bulwark already read (a payload
 * limit before a webhook check), the bytes Nest's parser kept (`rawBody: true`), handed to
 * the core as a fresh stream with the request's own headers so the framing, encoding and
 * size checks all apply to them, or Node's request stream when no parser read it (a content
 * type Nest does not parse, or `bodyParser: false`). A stream someone else read without
 * keeping the bytes is refused by the core as consumed.
 */
function bodySource(request: NestRequest, req: IncomingMessage): Readable {
  if (rememberedBody(req) !== undefined) return req;
  const raw = platformRawBody(request);
  if (raw !== undefined) return Readable.from(raw.length === 0 ? [] : [raw]);
  return req;
}

// The checks a request has passed: the Fastify hook runs them before Nest parses, and a
// guard applied on a controller and on its handler runs twice; each check runs once.
const passed = new WeakMap<IncomingMessage, Set<BodyCheck>>();

/** The outcome of a route's body checks: the first rejection, or undefined when all passed. */
export type BodyVerdict = BulwarkError | undefined;

/**
 * Runs body checks in order on one body, read once: each accepted body is remembered on
 * Node's request, so the next check reads the same bytes under its own limit. Accepted
 * bytes become `rawBody` (Buffer) and the parsed `body` on the platform request.
 */
export async function runBodyChecks(
  checks: readonly BodyCheck[],
  request: NestRequest,
  stream?: Readable,
): Promise<BodyVerdict> {
  const req = nodeRequest(request);
  const headers = requestHeaders(req);
  const target = requestTarget(req);
  const withBody = hasBody(req);
  let done = passed.get(req);
  for (const check of checks) {
    if (done?.has(check) === true || (!withBody && !check.bodyless)) continue;
    const receipt = await check.receive(
      request,
      stream ?? bodySource(request, req),
      headers,
      target,
    );
    if (!receipt.ok) {
      if (receipt.error.code === 'body_consumed') {
        reportBodyConsumed(check.logger, readerOf(request), MOUNT);
      }
      return receipt.error;
    }
    rememberBody(req, receipt.rawBody);
    setBody(request, receipt.rawBody, receipt.body);
    if (done === undefined) {
      done = new Set();
      passed.set(req, done);
    }
    done.add(check);
  }
  return undefined;
}
