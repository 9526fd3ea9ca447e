import { getHashes } from 'node:crypto';
import { checkHeaderName } from '../../headers/validate.js';
import { WEBHOOK_SCHEMES } from './names.js';
import { readHeader } from '../header-value.js';
import type { WebhookScheme } from '../scheme.js';
import { firstHmacKey, hmacMatches, hmacOf } from './hmac.js';
import {
  base64Digest,
  defineScheme,
  hexDigest,
  invalid,
  MAX_ID,
  parsedDelivery,
  required,
  requiredSeconds,
  utf8Key,
} from './shared.js';

/**
 * A signature scheme described as data, for senders bulwark has no built-in scheme for
 * (Zoom, Linear, Paddle-style or a team's own): one HMAC over a template of the delivery
 * id, the timestamp and the body, in one header. Validated when the verifier is created.
 */
export interface CustomWebhookScheme {
  /** A name for messages and verdicts: lower-case letters, digits and dashes, such as `'zoom'`. */
  readonly name: string;
  /** The HMAC digest: `'sha256'`, `'sha1'` or `'sha512'`. Default: `'sha256'`. */
  readonly algorithm?: 'sha256' | 'sha1' | 'sha512';
  /** How the digest is written in the header: `'hex'` or `'base64'`. Default: `'hex'`. */
  readonly encoding?: 'hex' | 'base64';
  /** The header that carries the signature, such as `'x-zm-signature'`. */
  readonly signatureHeader: string;
  /** Text before the digest in the header, such as `'v0='` or `'sha256='`. Default: none. */
  readonly signaturePrefix?: string;
  /**
   * What is signed, as a template over `{id}`, `{timestamp}` and `{body}`; `{body}`
   * appears exactly once. Zoom is `'v0:{timestamp}:{body}'`. Default: `'{body}'`.
   */
  readonly signed?: string;
  /** The header with the signed Unix timestamp in seconds; required when `signed` uses `{timestamp}`. */
  readonly timestampHeader?: string;
  /** The header with the delivery id; required when `signed` uses `{id}`, and the replay key. */
  readonly idHeader?: string;
  /** How a secret string becomes key bytes: `'utf8'`, `'base64'` or `'hex'`. Default: `'utf8'`. */
  readonly secretEncoding?: 'utf8' | 'base64' | 'hex';
}

const KNOWN = [
  'name',
  'algorithm',
  'encoding',
  'signatureHeader',
  'signaturePrefix',
  'signed',
  'timestampHeader',
  'idHeader',
  'secretEncoding',
];
const SIZES: Record<string, number> = { sha1: 20, sha256: 32, sha512: 64 };
const NAME = /^[a-z][a-z0-9-]{0,39}$/;
// A custom scheme may not take a built-in's name: options and messages keyed on the name
// (discord's publicKey, twilio's publicUrl) would apply to the wrong scheme.
const BUILT_IN_NAMES: ReadonlySet<string> = new Set(WEBHOOK_SCHEMES);
const PLACEHOLDER = /\{([^}]*)\}/g;

function fail(option: string, problem: string, instead: string): never {
  throw new TypeError(`bulwark: webhook scheme ${option}: ${problem}; ${instead}.`);
}

function oneOf<T extends string>(
  option: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  return fail(
    option,
    `${JSON.stringify(value)} is not supported`,
    `write one of ${allowed.join(', ')}`,
  );
}

function header(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    return fail(option, 'is not a string', "write a header name such as 'x-signature'");
  try {
    checkHeaderName(value);
  } catch {
    fail(
      option,
      `${JSON.stringify(value)} is not a valid HTTP header name`,
      "write a name such as 'x-signature'",
    );
  }
  return value.toLowerCase();
}

/** The template split around `{body}`, with `{id}` and `{timestamp}` filled per delivery. */
function compileTemplate(
  signed: string,
  hasId: boolean,
  hasTimestamp: boolean,
): {
  before: (id: string, ts: string) => string;
  after: string;
} {
  let bodies = 0;
  for (const match of signed.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (name === 'body') bodies++;
    else if (name === 'id' && !hasId)
      fail('signed', 'uses {id} but no idHeader is set', "set idHeader: 'x-webhook-id'");
    else if (name === 'timestamp' && !hasTimestamp)
      fail(
        'signed',
        'uses {timestamp} but no timestampHeader is set',
        "set timestampHeader: 'x-webhook-timestamp'",
      );
    else if (name !== 'id' && name !== 'timestamp')
      fail('signed', `{${name ?? ''}} is not a placeholder`, 'use {id}, {timestamp} and {body}');
  }
  if (bodies !== 1)
    fail(
      'signed',
      `has {body} ${bodies} times`,
      "write it exactly once, such as '{timestamp}.{body}'",
    );
  const at = signed.indexOf('{body}');
  const head = signed.slice(0, at);
  const after = signed.slice(at + '{body}'.length);
  if (after.includes('{'))
    fail('signed', 'has a placeholder after {body}', 'put {id} and {timestamp} before {body}');
  // The text before {body} compiled once into literal pieces and placeholders, so a delivery
  // is a few concatenations rather than two replaceAll scans.
  const pieces = head.split(/(\{id\}|\{timestamp\})/);
  return {
    before: (id, ts) => {
      let text = '';
      for (const piece of pieces) {
        text += piece === '{id}' ? id : piece === '{timestamp}' ? ts : piece;
      }
      return text;
    },
    after,
  };
}

/** Compiles a custom scheme; every mistake is a TypeError saying what to write. */
export function customScheme(spec: CustomWebhookScheme): WebhookScheme {
  // Options arrive from JavaScript and configuration files too: check the shape itself.
  if (typeof (spec as unknown) !== 'object' || (spec as unknown) === null) {
    fail(
      '',
      'is not a scheme name or description',
      "write scheme: 'github', or a description such as { name: 'zoom', signatureHeader: 'x-zm-signature', ... }",
    );
  }
  for (const key of Object.keys(spec)) {
    if (!KNOWN.includes(key))
      fail(key, 'is not an option of a custom scheme', `use ${KNOWN.join(', ')}`);
  }
  if (typeof spec.name !== 'string' || !NAME.test(spec.name)) {
    fail(
      'name',
      `${JSON.stringify(spec.name)} is not a name`,
      "write lower-case letters, digits and dashes, such as 'zoom'",
    );
  }
  if (BUILT_IN_NAMES.has(spec.name)) {
    fail(
      'name',
      `${spec.name} is a built-in scheme`,
      `write scheme: '${spec.name}', or give your scheme another name`,
    );
  }
  const algorithm = oneOf('algorithm', spec.algorithm, ['sha256', 'sha1', 'sha512'], 'sha256');
  if (!getHashes().includes(algorithm))
    fail('algorithm', `${algorithm} is not available in this Node.js`, "write 'sha256'");
  const encoding = oneOf('encoding', spec.encoding, ['hex', 'base64'], 'hex');
  const secretEncoding = oneOf(
    'secretEncoding',
    spec.secretEncoding,
    ['utf8', 'base64', 'hex'],
    'utf8',
  );
  const signatureHeader = header('signatureHeader', spec.signatureHeader);
  if (signatureHeader === undefined)
    fail(
      'signatureHeader',
      'is missing',
      "write the header the sender signs into, such as 'x-zm-signature'",
    );
  const timestampHeader = header('timestampHeader', spec.timestampHeader);
  const idHeader = header('idHeader', spec.idHeader);
  const prefix = spec.signaturePrefix ?? '';
  if (typeof prefix !== 'string' || !/^[\x21-\x7e]{0,32}$/.test(prefix)) {
    fail(
      'signaturePrefix',
      `${JSON.stringify(prefix)} is not printable text of at most 32 characters`,
      "write such as 'v0='",
    );
  }
  const signed = spec.signed ?? '{body}';
  if (typeof signed !== 'string')
    fail('signed', 'is not a string', "write a template such as '{timestamp}.{body}'");
  const template = compileTemplate(signed, idHeader !== undefined, timestampHeader !== undefined);
  const size = SIZES[algorithm] ?? 32;
  const decode =
    encoding === 'hex' ? (t: string) => hexDigest(t, size) : (t: string) => base64Digest(t, size);
  const name = spec.name;
  const display = spec.signatureHeader;
  return defineScheme({
    name,
    hasTimestamp: timestampHeader !== undefined,
    hasDeliveryId: idHeader !== undefined,
    unsignedWhenNoSecret: false,
    failureStatus: 403,
    needsUrl: false,
    signsWithEveryKey: false,
    expects: `${display}: ${prefix}<${encoding} HMAC-${algorithm.toUpperCase()} of "${signed}">`,
    headerNames: [
      signatureHeader,
      ...(timestampHeader === undefined ? [] : [timestampHeader]),
      ...(idHeader === undefined ? [] : [idHeader]),
    ],
    keyFor: (secret) => {
      if (typeof secret !== 'string' || secretEncoding === 'utf8') return utf8Key(name, secret);
      const bytes = Buffer.from(secret, secretEncoding);
      if (
        bytes.length === 0 ||
        bytes.toString(secretEncoding).replace(/=+$/, '') !== secret.replace(/=+$/, '')
      ) {
        fail(
          'secretEncoding',
          `the secret is not ${secretEncoding}`,
          `give the secret as ${secretEncoding}, or set secretEncoding: 'utf8'`,
        );
      }
      return bytes;
    },
    parse(headers, maxHeaderLength) {
      let ts = '';
      if (timestampHeader !== undefined) {
        const read = requiredSeconds(headers, timestampHeader);
        if (typeof read !== 'string') return read;
        ts = read;
      }
      let id: string | undefined;
      if (idHeader !== undefined) {
        const read = readHeader(headers, idHeader, MAX_ID);
        if (typeof read !== 'string' && read.kind === 'bad') return invalid(read.why);
        id = typeof read === 'string' ? read : undefined;
      }
      const value = required(
        readHeader(headers, signatureHeader, maxHeaderLength),
        signatureHeader,
      );
      if (typeof value !== 'string') return value;
      if (!value.startsWith(prefix))
        return invalid(`${signatureHeader} does not start with ${prefix}`);
      const digest = decode(value.slice(prefix.length));
      if (digest === undefined)
        return invalid(
          `${signatureHeader} is not ${prefix}and a ${encoding} HMAC-${algorithm.toUpperCase()}`,
        );
      if (id === undefined && signed.includes('{id}'))
        return invalid(`no ${idHeader ?? 'id'} header was sent`);
      return parsedDelivery(
        [digest],
        timestampHeader === undefined ? undefined : Number(ts),
        id,
        signatureHeader,
        template.before(id ?? '', ts),
        { signedSuffix: template.after },
      );
    },
    matches: hmacMatches(algorithm),
    sign(keys, body, parts) {
      const ts = String(parts.timestamp);
      const digest = hmacOf(
        algorithm,
        firstHmacKey(keys, name),
        template.before(parts.deliveryId, ts),
        body,
        template.after,
      );
      return {
        [display]: prefix + digest.toString(encoding),
        ...(timestampHeader === undefined ? {} : { [spec.timestampHeader ?? timestampHeader]: ts }),
        ...(idHeader === undefined ? {} : { [spec.idHeader ?? idHeader]: parts.deliveryId }),
      };
    },
  });
}
