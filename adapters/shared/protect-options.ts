/** The parts a `protect` mount point applies, in the order it applies them. */
export const PROTECT_PARTS = ['securityHeaders', 'cors', 'rateLimit'] as const;

/** What differs between the mount points that check their options here. */
export interface ProtectCheck {
  /** The parts this mount point takes, security headers first. Default: {@link PROTECT_PARTS}. */
  readonly parts?: readonly string[];
  /** The name errors give (`protect`, `withBulwark`, `BulwarkModule.forRoot`). Default: `'protect'`. */
  readonly name?: string;
  /** Keys allowed beside the parts (`withBulwark`'s `clientAddress`). Default: none. */
  readonly extra?: readonly string[];
  /** What each part's options configure elsewhere in this adapter. Default: `'middleware'`. */
  readonly unit?: string;
  /** A whole valid call, shown when the options are not an object. */
  readonly example?: string;
}

const EXAMPLE =
  "protect({ securityHeaders: {}, cors: { origins: ['https://app.example'] }, rateLimit: { limiter: { limit: 100, windowMs: 60_000 } } })";

/**
 * Checks a `protect` options object at startup: an object, with no key other than the parts
 * (a misspelt `ratelimit` would otherwise leave the app silently unlimited), and at least
 * one part switched on.
 */
export function checkProtectOptions(options: unknown, check: ProtectCheck = {}): void {
  const { parts = PROTECT_PARTS, name = 'protect', extra = [], example = EXAMPLE } = check;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`bulwark: ${name}: options must be an object; write ${example}.`);
  }
  const known = [...parts, ...extra];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const near = known.find((part) => part.toLowerCase() === key.toLowerCase());
      throw new TypeError(
        `bulwark: ${name}: unknown option ${JSON.stringify(key)}; ${
          near === undefined ? `the parts are ${parts.join(', ')}` : `write ${near}`
        } (each takes the options of the ${check.unit ?? 'middleware'} of that name, or false).`,
      );
    }
  }
  // Security headers are on unless switched off; the other parts only when given.
  const given = options as Record<string, unknown>;
  const on = (part: string): boolean => (given[part] ?? false) !== false;
  if (given.securityHeaders === false && !parts.slice(1).some(on)) {
    const others = parts.slice(1);
    throw new TypeError(
      `bulwark: ${name}: every part is off, so it would do nothing; give securityHeaders, ${others
        .slice(0, -1)
        .join(', ')} or ${others.at(-1) ?? ''} options, or remove ${name}().`,
    );
  }
}
