import { PROTECT_PARTS, checkProtectOptions } from '../shared/protect-options.js';

/**
 * The parts a Fetch `protect` guard applies, in the order it applies them: the shared three,
 * then one body guard, since over Fetch the guard is the one place a request passes through.
 */
export const FETCH_PROTECT_PARTS = [...PROTECT_PARTS, 'payloadLimit', 'verifyWebhook'] as const;

const EXAMPLE =
  'protect({ securityHeaders: {}, rateLimit: { limiter: { limit: 100, windowMs: 60_000 } }, verifyWebhook: { secret: process.env.WEBHOOK_SECRET } })';

/**
 * Checks a Fetch `protect` (or `withBulwark`) options object at startup, as the other
 * adapters do for their three parts, and allows at most one body guard. `extra` names the
 * keys a caller adds (`withBulwark`'s `clientAddress`).
 */
export function checkFetchProtectOptions(
  options: unknown,
  name = 'protect',
  extra: readonly string[] = [],
): void {
  checkProtectOptions(options, {
    parts: FETCH_PROTECT_PARTS,
    name,
    extra,
    unit: 'guard',
    example: EXAMPLE,
  });
  const parts = options as Record<string, unknown>;
  const on = (part: string): boolean => (parts[part] ?? false) !== false;
  if (on('payloadLimit') && on('verifyWebhook')) {
    throw new TypeError(
      `bulwark: ${name}: payloadLimit and verifyWebhook both read the body, and a body is read once; verifyWebhook includes the payload limit, so write verifyWebhook: { secret, limit } alone.`,
    );
  }
}
