/** The injection token of the compiled module options (what `forRoot` / `forRootAsync` produce). */
export const BULWARK_RUNTIME = Symbol.for('bulwark.nest.runtime');

// Metadata keys read through Nest's Reflector. Symbol.for, so every copy of bulwark in a
// process reads what another copy's decorators wrote.
/** `@RateLimit(...)`: the compiled route limit of a handler or controller. */
export const RATE_LIMIT_METADATA = Symbol.for('bulwark.nest.rateLimit');
/** `@SkipRateLimit()`: every limit skipped on a handler or controller. */
export const SKIP_RATE_LIMIT_METADATA = Symbol.for('bulwark.nest.skipRateLimit');
/** `@VerifyWebhook(...)` and `@PayloadLimit(...)`: the body checks of one handler, in order. */
export const BODY_CHECKS_METADATA = Symbol.for('bulwark.nest.bodyChecks');
/** `@SecurityHeaders(...)`: the compiled headers that replace the module's for a handler or controller. */
export const SECURITY_HEADERS_METADATA = Symbol.for('bulwark.nest.securityHeaders');
