import { signWebhook } from '../webhook/signer.js';
import { schemeFor, WEBHOOK_SCHEMES } from '../webhook/schemes/index.js';
import { FORM_TYPE as FORM, twilioDeliveryUrl } from '../webhook/schemes/twilio.js';
import type { WebhookSchemeName, WebhookVerdict } from '../webhook/types.js';
import type { Headers } from './headers.js';
import { messageOf } from './io.js';
import type { CliScheme } from './io.js';
import { showValue } from './shell.js';

// How `bulwark verify` explains a refusal: what the sender should have sent, as far as it
// can be shown without revealing a secret, and hints for the usual mistakes.

function first(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : v?.[0];
}

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

export const GITLAB_TOKEN = 'x-gitlab-token';

/** The timestamp and id the sender signed, read loosely so the expected value can be shown. */
export function signedParts(
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
export function show(value: string): string {
  return showValue(
    value.replace(/[A-Za-z0-9+/]{26,}={1,2}|[0-9a-fA-F]{40,}/g, (d) => `${d.slice(0, 12)}…`),
  );
}

/** The first 8 hex digits of a public key given as hex (discord) or whpk_<base64>. */
export function fingerprint(key: string): string {
  const hex = key.startsWith('whpk_')
    ? Buffer.from(key.slice('whpk_'.length), 'base64').toString('hex')
    : key.trim().toLowerCase();
  return `${hex.slice(0, 8)}…`;
}

/** The keys, the verifier built from them, and what a check reads besides the headers. */
export interface Check {
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

/**
 * What the sender should have sent, as far as it can be shown without revealing a secret:
 * the recomputed HMAC headers (digests shortened); for GitLab only whether the token
 * matched (the token is the secret); for Ed25519 keys only which public keys were tried
 * (a signature cannot be recomputed without the sender's private key).
 */
export function expectation(c: Check): string[] {
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
    const deliveryUrl = twilioDeliveryUrl(url, c.body, contentType);
    if (deliveryUrl !== url) {
      return [
        `note:     twilio binds a body that is not a form by bodySHA256=<hex SHA-256> in the URL, and --url has none: a sender would have posted this body to ${deliveryUrl}`,
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

export function hints(verdict: WebhookVerdict & { ok: false }, c: Check): string[] {
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
