import { createHash } from 'node:crypto';
import { BulwarkError } from '../errors.js';
import { signatureInvalid, signatureMissing, timestampOutOfRange } from './errors.js';
import { MAX_HEADER_LENGTH } from './header-value.js';
import { SecretCache, compileSecrets } from './keys.js';
import { ReplayGuard } from './replay-guard.js';
import { MemoryReplayStore } from './replay-store.js';
import type { ReplayOptions } from './replay-guard.js';
import type { WebhookKey, WebhookScheme } from './scheme.js';
import { schemeFor } from './schemes/index.js';
import type { CustomWebhookScheme } from './schemes/custom.js';
import type {
  WebhookAccepted,
  WebhookRejected,
  WebhookRequestParts,
  WebhookSchemeName,
  WebhookSecrets,
  WebhookVerdict,
} from './types.js';
import { failOption } from '../util/options.js';
import { checkKeyOption } from './key-option.js';
import { isAbsoluteUrl } from './url.js';

/** Options for {@link createWebhookVerifier} (and the webhook middleware of each adapter). */
export interface WebhookVerifierOptions {
  /**
   * The signature scheme the sender uses: a built-in name, or a description of the
   * sender's own HMAC scheme ({@link CustomWebhookScheme}). Default: `'mission-control'`.
   */
  readonly scheme?: WebhookSchemeName | CustomWebhookScheme;
  /**
   * The shared secret, or several while rotating (a delivery signed with any of them
   * passes). Strings are read as each scheme's sender shows them: `whsec_<base64>` (HMAC)
   * or `whpk_<base64>` (Ed25519 public key, `v1a`) for Standard Webhooks, mixed freely
   * while rotating; the text itself (UTF-8) for the others; a Buffer is the raw key. With
   * no secret, mission-control deliveries are not checked (Mission Control's rule) and
   * every other scheme refuses them. Default: none.
   */
  readonly secret?: WebhookSecrets;
  /**
   * discord only, instead of `secret`: the application's Ed25519 public key as 64 hex
   * digits, as the Discord developer portal shows it (several while rotating; a Buffer is
   * the raw 32 bytes). Default: none.
   */
  readonly publicKey?: WebhookSecrets;
  /**
   * twilio only: the public base URL Twilio posts to, such as `'https://api.example.com'`,
   * joined to each request's target (`/sms?x=1`). Twilio signs the URL it requested, which
   * a server behind a proxy or TLS terminator cannot see, and `Host` or forwarding headers
   * are the client's to choose, so the URL is configured, never read from the request.
   * Default: none (each call passes an absolute `url`).
   */
  readonly publicUrl?: string;
  /**
   * mission-control only: the one header that carries this webhook's signature, instead of
   * `X-Hub-Signature-256` then `X-Webhook-Signature`. Default: those two.
   */
  readonly headerName?: string;
  /**
   * How far a signed timestamp may be from now, in seconds, in both directions (late
   * deliveries and clocks running ahead). Default: 300.
   */
  readonly toleranceSeconds?: number;
  /**
   * Replay protection: `true`, `false`, or options (store, failure policy, TTL). On by
   * default for schemes that carry both a delivery id and a timestamp (standard-webhooks);
   * opt-in for github (keyed on X-GitHub-Delivery), stripe and slack (keyed on the
   * timestamp and a hash of the body). Default: on for standard-webhooks, off otherwise.
   */
  readonly replay?: boolean | ReplayOptions;
  /** Longest accepted signature header, in characters. Default: 4096. */
  readonly maxHeaderLength?: number;
  /** The clock, in milliseconds since the epoch (tests and `bulwark verify --now`). Default: `Date.now`. */
  readonly now?: () => number;
}

/** A verifier with its scheme, secrets and replay store prepared once. */
export interface WebhookVerifier {
  /** The scheme this verifier applies: a built-in name, or a custom scheme's `name`. */
  readonly scheme: string;
  /** True when accepted deliveries are also checked against the replay store. */
  readonly replayProtected: boolean;
  /**
   * Signature, timestamp and replay checks. Resolves a verdict for any client input and
   * never rejects because of it (a bad per-request `secret` from the app is a TypeError).
   */
  verify(parts: WebhookRequestParts): Promise<WebhookVerdict>;
  /** Signature and timestamp only, synchronously: no replay check. */
  verifySignature(parts: WebhookRequestParts): WebhookVerdict;
}

const DEFAULT_TOLERANCE_SECONDS = 300;

function fail(option: string, problem: string, instead: string): never {
  return failOption('webhook', option, problem, instead);
}

function rejected(verdict: { error: WebhookRejected['error']; reason: string }): WebhookRejected {
  return { ok: false, error: verdict.error, reason: verdict.reason };
}

/** The same refusal with 401 instead of 403, for senders that require it (Discord). */
function as401(verdict: WebhookRejected): WebhookRejected {
  if (verdict.error.status !== 403) return verdict;
  const e = verdict.error;
  return {
    ok: false,
    error: new BulwarkError({ status: 401, code: e.code, detail: e.detail, headers: e.headers }),
    reason: verdict.reason,
  };
}

/** The base URL without trailing slashes; a TypeError for anything but an http(s) URL. */
function checkPublicUrl(value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' && isAbsoluteUrl(value) ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url?.search !== '' || url.hash !== '') {
    return fail(
      'publicUrl',
      `${JSON.stringify(value)} is not an http(s) base URL without a query`,
      "write the scheme and host Twilio posts to, such as 'https://api.example.com'",
    );
  }
  return (value as string).replace(/\/+$/, '');
}

/** The secret or public key given, after checking it is the right option for the scheme. */
function secretsOf(scheme: WebhookScheme, options: WebhookVerifierOptions): WebhookSecrets {
  const { secret, publicKey } = options;
  checkKeyOption(scheme.name, { secret: secret !== undefined, publicKey: publicKey !== undefined });
  return publicKey ?? secret;
}

class Verifier implements WebhookVerifier {
  readonly scheme: string;
  readonly replayProtected: boolean;
  readonly #scheme: WebhookScheme;
  readonly #keys: readonly WebhookKey[];
  readonly #publicUrl: string | undefined;
  readonly #refuse: (verdict: WebhookRejected) => WebhookRejected;
  readonly #cache: SecretCache;
  readonly #tolerance: number;
  readonly #maxHeaderLength: number;
  readonly #now: () => number;
  readonly #guard: ReplayGuard | undefined;
  // The verdict for schemes that carry neither an id nor a timestamp never varies: one
  // frozen object instead of an allocation per request.
  readonly #plainAccepted: WebhookAccepted;

  constructor(options: WebhookVerifierOptions, sharedStore?: ReplayOptions['store']) {
    // Only a missing scheme is the default: a null from a configuration file is a mistake.
    const named: unknown = options.scheme;
    const scheme = schemeFor(
      named === undefined ? 'mission-control' : (named as WebhookVerifierOptions['scheme']),
      options.headerName,
    );
    const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    if (!Number.isSafeInteger(tolerance) || tolerance < 1) {
      fail(
        'toleranceSeconds',
        `${String(tolerance)} is not a whole number of seconds`,
        'write a number such as 300',
      );
    }
    const maxHeaderLength = options.maxHeaderLength ?? MAX_HEADER_LENGTH;
    if (!Number.isSafeInteger(maxHeaderLength) || maxHeaderLength < 64) {
      fail('maxHeaderLength', `${String(maxHeaderLength)} is too small`, 'write 4096');
    }
    const replay = options.replay ?? (scheme.hasTimestamp && scheme.hasDeliveryId);
    if (replay !== false && !scheme.hasTimestamp && !scheme.hasDeliveryId) {
      fail(
        'replay',
        `${scheme.name} deliveries carry neither a delivery id nor a timestamp, so a replay cannot be told from a repeated payload`,
        'remove replay, or use a scheme with a delivery id such as standard-webhooks',
      );
    }
    this.scheme = scheme.name;
    this.#scheme = scheme;
    this.#keys = compileSecrets(scheme, secretsOf(scheme, options));
    if (options.publicUrl !== undefined && !scheme.needsUrl) {
      fail('publicUrl', `${scheme.name} does not sign the URL`, 'remove publicUrl');
    }
    this.#publicUrl =
      options.publicUrl === undefined ? undefined : checkPublicUrl(options.publicUrl);
    this.#refuse = scheme.failureStatus === 401 ? as401 : (verdict) => verdict;
    this.#cache = new SecretCache(scheme);
    this.#tolerance = tolerance;
    this.#maxHeaderLength = maxHeaderLength;
    this.#now = options.now ?? Date.now;
    const replayOptions: ReplayOptions = typeof replay === 'boolean' ? {} : replay;
    this.#guard =
      replay === false
        ? undefined
        : new ReplayGuard(
            replayOptions.store === undefined && sharedStore !== undefined
              ? { ...replayOptions, store: sharedStore }
              : replayOptions,
            scheme.name,
            tolerance * 2000,
          );
    this.replayProtected = this.#guard !== undefined;
    this.#plainAccepted = Object.freeze({
      ok: true,
      scheme: scheme.name,
      verified: true,
      deliveryId: undefined,
      timestamp: undefined,
    });
  }

  verifySignature(parts: WebhookRequestParts): WebhookVerdict {
    const verdict = this.#verifySignature(parts);
    return verdict.ok ? verdict : this.#refuse(verdict);
  }

  #url(target: string | undefined): string | undefined {
    if (target === undefined || isAbsoluteUrl(target)) return target;
    return this.#publicUrl === undefined ? undefined : this.#publicUrl + target;
  }

  #verifySignature(parts: WebhookRequestParts): WebhookVerdict {
    const scheme = this.#scheme;
    const keys = parts.secret === undefined ? this.#keys : this.#cache.get(parts.secret);
    if (keys.length === 0) {
      if (scheme.unsignedWhenNoSecret) {
        return {
          ok: true,
          scheme: scheme.name,
          verified: false,
          deliveryId: undefined,
          timestamp: undefined,
        };
      }
      return rejected({
        error: signatureInvalid(),
        reason: `no secret is configured for this ${scheme.name} webhook, so nothing can be verified`,
      });
    }
    const parsed = scheme.parse(
      parts.headers,
      this.#maxHeaderLength,
      parts.body,
      scheme.needsUrl ? this.#url(parts.url) : undefined,
    );
    if (!parsed.ok) return rejected(parsed);
    const delivery = parsed.delivery;
    if (delivery.timestamp !== undefined) {
      const skew = Math.floor(this.#now() / 1000) - delivery.timestamp;
      if (skew > this.#tolerance || skew < -this.#tolerance) {
        return rejected({
          error: timestampOutOfRange(),
          reason: `the signed timestamp ${delivery.timestamp} is ${Math.abs(skew)} s ${skew > 0 ? 'in the past' : 'in the future'}; the tolerance is ${this.#tolerance} s either way`,
        });
      }
    }
    if (this.#guard !== undefined && scheme.hasDeliveryId && delivery.deliveryId === undefined) {
      return rejected({
        error: signatureMissing('Missing webhook id header.'),
        reason: 'replay protection is on and the delivery id header is missing',
      });
    }
    const body = parts.body;
    for (const key of keys) {
      if (scheme.matches(key, delivery, body)) {
        if (delivery.deliveryId === undefined && delivery.timestamp === undefined) {
          return this.#plainAccepted;
        }
        return {
          ok: true,
          scheme: scheme.name,
          verified: true,
          deliveryId: delivery.deliveryId,
          timestamp: delivery.timestamp,
        };
      }
    }
    return rejected({
      error: signatureInvalid(),
      reason: `${delivery.header} carries ${delivery.signatures.length + (delivery.asymmetric?.length ?? 0)} signature(s) or token(s) and none verifies with the ${keys.length} configured key(s)`,
    });
  }

  verify(parts: WebhookRequestParts): Promise<WebhookVerdict> {
    const verdict = this.verifySignature(parts);
    if (this.#guard === undefined || !verdict.ok || !verdict.verified) {
      return Promise.resolve(verdict);
    }
    return this.#claim(this.#guard, verdict, parts);
  }

  async #claim(
    guard: ReplayGuard,
    verdict: WebhookAccepted,
    parts: WebhookRequestParts,
  ): Promise<WebhookVerdict> {
    // Without a delivery id, an exact replay is the same timestamp and the same body; the
    // body hash (not a signature) is the key, so stripping one of several signatures
    // cannot make a replay look new.
    const key =
      verdict.deliveryId ??
      `${verdict.timestamp ?? 0}:${createHash('sha256').update(parts.body).digest('base64url')}`;
    const refusal = await guard.claim(key);
    return refusal === undefined ? verdict : this.#refuse(rejected(refusal));
  }
}

/**
 * A webhook verifier with everything that can be prepared once prepared: the scheme, the
 * decoded secrets as key objects, the replay store. A bad option throws a TypeError here.
 */
export function createWebhookVerifier(options: WebhookVerifierOptions = {}): WebhookVerifier {
  return new Verifier(options);
}

/** Input of the one-shot {@link verifyWebhook}: the request parts and the verifier options. */
export interface VerifyWebhookInput extends WebhookVerifierOptions {
  /** The raw body bytes exactly as received (a string is read as UTF-8). */
  readonly body: WebhookRequestParts['body'];
  /** Request headers with lower-case names, as Node gives them. */
  readonly headers: WebhookRequestParts['headers'];
  /** The URL the sender requested (twilio): absolute, or the target joined to `publicUrl`. */
  readonly url?: string;
}

let sharedStore: ReplayOptions['store'];

// Prepared verifiers of the one-shot call, by their options. Most callers pass the same
// scheme and secret on every call, in a fresh object: decoding the secret and compiling the
// scheme each time cost a quarter of a 1 KiB verification. Only options that are plain
// text, numbers and booleans form a key; anything else (a clock, a replay store, key
// bytes, a custom scheme) is prepared per call, as before. Bounded, so a stream of
// distinct secrets cannot grow memory; the keys hold secrets exactly as the prepared
// verifiers do, in module-private memory.
const ONE_SHOT_LIMIT = 64;
const oneShot = new Map<string, Verifier>();

// One option as key text: a type tag, the length and the value, or undefined when it has no
// value key. The length makes the key unambiguous whatever characters a secret contains.
function textOf(value: unknown): string | undefined {
  if (value === undefined) return 'u';
  if (typeof value === 'string') return `s${value.length}:${value}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `p${String(value)};`;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    let text = `a${value.length}:`;
    for (const v of value as readonly string[]) text += `${v.length}:${v}`;
    return text;
  }
  return undefined;
}

/** The cache key of one-shot options, or undefined when they cannot be keyed by value. */
function oneShotKey(input: VerifyWebhookInput): string | undefined {
  if (input.now !== undefined) return undefined;
  // Written out rather than looped over an array: this runs on every one-shot call.
  const scheme = textOf(input.scheme);
  const secret = textOf(input.secret);
  if (scheme === undefined || secret === undefined) return undefined;
  if (
    input.publicKey === undefined &&
    input.publicUrl === undefined &&
    input.headerName === undefined &&
    input.toleranceSeconds === undefined &&
    input.maxHeaderLength === undefined &&
    input.replay === undefined
  ) {
    return scheme + secret;
  }
  let key = scheme + secret;
  for (const value of [
    input.publicKey,
    input.publicUrl,
    input.headerName,
    input.toleranceSeconds,
    input.maxHeaderLength,
    input.replay,
  ]) {
    const text = textOf(value);
    if (text === undefined) return undefined;
    key += text;
  }
  return key;
}

// The usual call, `{ body, headers, scheme, secret }` with a string secret, is looked up by
// the secret and the scheme themselves: no key text is built, and strings keep their hash.
// One table per `replay` value (unset, true, false), the one option besides the scheme that
// a plain call commonly gives.
type SimpleTable = Map<string, Map<string | undefined, Verifier>>;
const simple: Record<'unset' | 'on' | 'off', SimpleTable> = {
  unset: new Map(),
  on: new Map(),
  off: new Map(),
};

function simpleTable(replay: boolean | undefined): SimpleTable {
  return replay === undefined ? simple.unset : replay ? simple.on : simple.off;
}

/** True when the scheme, a string secret and `replay: boolean` are the only options given. */
function isSimple(
  input: VerifyWebhookInput,
): input is VerifyWebhookInput & { secret: string; replay?: boolean } {
  return (
    typeof input.secret === 'string' &&
    (input.scheme === undefined || typeof input.scheme === 'string') &&
    input.now === undefined &&
    input.publicKey === undefined &&
    input.publicUrl === undefined &&
    input.headerName === undefined &&
    input.toleranceSeconds === undefined &&
    input.maxHeaderLength === undefined &&
    (input.replay === undefined || typeof input.replay === 'boolean')
  );
}

function remember(set: () => void): void {
  if (oneShot.size + simple.unset.size + simple.on.size + simple.off.size >= ONE_SHOT_LIMIT) {
    oneShot.clear();
    simple.unset.clear();
    simple.on.clear();
    simple.off.clear();
  }
  set();
}

function oneShotVerifier(input: VerifyWebhookInput): Verifier {
  if (isSimple(input)) {
    const scheme = input.scheme as string | undefined;
    const table = simpleTable(input.replay);
    let verifier = table.get(input.secret)?.get(scheme);
    if (verifier === undefined) {
      verifier = new Verifier(input, (sharedStore ??= new MemoryReplayStore()));
      const made = verifier;
      remember(() => {
        let byScheme = table.get(input.secret);
        if (byScheme === undefined) {
          byScheme = new Map<string | undefined, Verifier>();
          table.set(input.secret, byScheme);
        }
        byScheme.set(scheme, made);
      });
    }
    return verifier;
  }
  const key = oneShotKey(input);
  let verifier = key === undefined ? undefined : oneShot.get(key);
  if (verifier === undefined) {
    // The verifier reads its options and keeps none of them, body and headers included.
    verifier = new Verifier(input, (sharedStore ??= new MemoryReplayStore()));
    const made = verifier;
    if (key !== undefined) remember(() => oneShot.set(key, made));
  }
  return verifier;
}

/**
 * Verifies one delivery: signature, timestamp tolerance and (where on) replay. Resolves
 * `{ ok: true, ... }` or `{ ok: false, error, reason }` for any client input; never
 * throws because of it. Options given as text, numbers and booleans are prepared once
 * and reused by later calls with the same values; for a server, still prefer one verifier
 * from {@link createWebhookVerifier}. Replay protection here uses one process-wide memory
 * store unless `replay.store` is given.
 */
export function verifyWebhook(input: VerifyWebhookInput): Promise<WebhookVerdict> {
  let verifier: Verifier;
  try {
    verifier = oneShotVerifier(input);
  } catch (error: unknown) {
    // A bad option rejects the promise, as it did when this function was async.
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  return verifier.verify(
    input.url === undefined
      ? { body: input.body, headers: input.headers }
      : { body: input.body, headers: input.headers, url: input.url },
  );
}
