/** The parts a `protect` mount point applies, in the order it applies them. */
export const PROTECT_PARTS = ['securityHeaders', 'cors', 'rateLimit'] as const;

/**
 * Checks a `protect` options object at startup: an object, with no key other than the three
 * parts (a misspelt `ratelimit` would otherwise leave the app silently unlimited), and at
 * least one part switched on.
 */
export function checkProtectOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      "bulwark: protect: options must be an object; write protect({ securityHeaders: {}, cors: { origins: ['https://app.example'] }, rateLimit: { limiter: { limit: 100, windowMs: 60_000 } } }).",
    );
  }
  for (const key of Object.keys(options)) {
    if (!(PROTECT_PARTS as readonly string[]).includes(key)) {
      const near = PROTECT_PARTS.find((part) => part.toLowerCase() === key.toLowerCase());
      throw new TypeError(
        `bulwark: protect: unknown option ${JSON.stringify(key)}; ${
          near === undefined ? `the parts are ${PROTECT_PARTS.join(', ')}` : `write ${near}`
        } (each takes the options of the middleware of that name, or false).`,
      );
    }
  }
  // Security headers are on unless switched off; the other two only when given.
  const { securityHeaders, cors, rateLimit } = options as Record<string, unknown>;
  if (securityHeaders === false && (cors ?? false) === false && (rateLimit ?? false) === false) {
    throw new TypeError(
      'bulwark: protect: every part is off, so it would do nothing; give securityHeaders, cors or rateLimit options, or remove protect().',
    );
  }
}
