import type { KeyPurpose, WebhookKey, WebhookScheme } from './scheme.js';
import type { WebhookSecrets } from './types.js';

function fail(problem: string, instead: string): never {
  throw new TypeError(`bulwark: webhook secret: ${problem}; ${instead}.`);
}

// HMAC keys are kept as private Buffer copies, not KeyObjects: createHmac takes a Buffer key
// faster (about 5% of a whole 1 KiB verification), and the copies live only in the
// verifier's private fields, which util.inspect and JSON.stringify do not show. Ed25519
// keys are imported once as KeyObjects.
function keyFor(scheme: WebhookScheme, secret: unknown, purpose: KeyPurpose): WebhookKey {
  if (typeof secret === 'string') return scheme.keyFor(secret, purpose);
  if (secret instanceof Uint8Array) {
    if (secret.length === 0)
      fail('the key bytes are empty', 'give the secret the sender signs with');
    return scheme.keyFor(Buffer.from(secret), purpose);
  }
  return fail(
    `${typeof secret} is not a secret`,
    'give a string, a Buffer, or an array of them while rotating',
  );
}

/**
 * Secrets decoded into keys once (base64 for Standard Webhooks, hex Ed25519 keys for
 * Discord, UTF-8 for the others), so a request only hashes or verifies. An empty list
 * means "no secret configured".
 */
export function compileSecrets(
  scheme: WebhookScheme,
  secrets: WebhookSecrets,
  purpose: KeyPurpose = 'verify',
): WebhookKey[] {
  if (secrets === undefined) return [];
  if (typeof secrets === 'string' || secrets instanceof Uint8Array) {
    return secrets === '' ? [] : [keyFor(scheme, secrets, purpose)];
  }
  if (!Array.isArray(secrets)) {
    return fail(
      `${typeof secrets} is not a secret`,
      'give a string, a Buffer, or an array of them while rotating',
    );
  }
  return (secrets as readonly unknown[]).map((s) => keyFor(scheme, s, purpose));
}

const CACHE_LIMIT = 1000;

/**
 * Per-request secrets (looked up by webhook id) are usually the same few strings: their
 * decoded keys are cached, bounded, so a lookup does not re-decode base64 on every request.
 */
export class SecretCache {
  readonly #scheme: WebhookScheme;
  readonly #keys = new Map<string, WebhookKey[]>();

  constructor(scheme: WebhookScheme) {
    this.#scheme = scheme;
  }

  get(secrets: WebhookSecrets): WebhookKey[] {
    const id =
      typeof secrets === 'string'
        ? secrets
        : Array.isArray(secrets) && secrets.every((s) => typeof s === 'string')
          ? `\0${secrets.join('\0')}`
          : undefined;
    if (id === undefined) return compileSecrets(this.#scheme, secrets);
    let keys = this.#keys.get(id);
    if (keys === undefined) {
      keys = compileSecrets(this.#scheme, secrets);
      if (this.#keys.size >= CACHE_LIMIT) this.#keys.clear();
      this.#keys.set(id, keys);
    }
    return keys;
  }
}
