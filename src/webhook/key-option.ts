import { failOption } from '../util/options.js';

/**
 * Which option carries a scheme's key: discord verifies with the sender's Ed25519 public
 * key (`publicKey`), every other scheme with `secret`. Checked at creation from which
 * options are given, so a function-valued key (a per-request lookup) is checked as
 * strictly as a fixed one: the wrong option would otherwise be read as the wrong kind of key.
 */
export function checkKeyOption(
  scheme: string,
  given: { readonly secret: boolean; readonly publicKey: boolean },
): void {
  if (given.publicKey && given.secret) {
    failOption(
      'webhook',
      'publicKey',
      'both secret and publicKey are given',
      'discord verifies with publicKey alone, every other scheme with secret',
    );
  }
  if (given.publicKey && scheme !== 'discord') {
    failOption(
      'webhook',
      'publicKey',
      `${scheme} does not verify with publicKey`,
      scheme === 'standard-webhooks'
        ? 'put the whpk_ key in secret (mixed with whsec_ secrets while rotating)'
        : 'put the shared secret in secret',
    );
  }
  if (given.secret && scheme === 'discord') {
    failOption(
      'webhook',
      'secret',
      'discord signs with Ed25519 and the receiver verifies with the public key',
      'write publicKey: process.env.DISCORD_PUBLIC_KEY (the PUBLIC KEY of your Discord application), or publicKey: (req) => lookUpKey(req)',
    );
  }
}
