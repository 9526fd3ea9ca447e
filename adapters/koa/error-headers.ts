import type { Context } from 'koa';
import { securityHeadersForError } from 'bulwark';
import type { CorsOutcome } from 'bulwark';
import { appContext } from './slots.js';

const kOuterOnError = Symbol('bulwark.koa.onerror');
const kFirstOnError = Symbol('bulwark.koa.onerror.first');
const kCors = Symbol('bulwark.koa.cors');

type ErrorHandler = (this: Context, error: unknown) => void;
type Guarded = Context & {
  [kOuterOnError]?: ErrorHandler;
  [kFirstOnError]?: ErrorHandler;
  [kCors]?: CorsOutcome;
};

// The context whose error this handler is passing on right now. An app may wrap the handler
// it finds on app.context after bulwark put its own there, and call it: that call comes back
// here while the first is still running, and goes to the handler bulwark first stood in
// front of, instead of round the loop again (Koa's onerror runs synchronously).
let passing: object | undefined;

/** The CORS headers of a request's outcome, for an error answer. */
function corsHeaders(ctx: Guarded): Record<string, string> | undefined {
  const outcome = ctx[kCors];
  if (outcome === undefined) return undefined;
  const headers: Record<string, string> = { ...outcome.headers };
  if (outcome.vary !== undefined) headers.Vary = outcome.vary;
  return headers;
}

/**
 * Koa answers an unhandled error through `ctx.onerror`, which first removes every header and
 * then sets the error's own `err.headers`. This stands in for it on requests that passed
 * `securityHeaders` or `cors`: it hands their headers to the error (the error's own win) and
 * then calls the handler it replaced, so an error answer keeps the security headers, and a
 * page can still read it cross-origin. Koa also calls `ctx.onerror(null)` when the response
 * finishes.
 */
function onerror(this: Guarded, error: unknown): void {
  if (passing === this) {
    this[kFirstOnError]?.call(this, error);
    return;
  }
  if (typeof error === 'object' && error !== null) {
    const e = error as { headers?: Record<string, unknown> };
    const cors = corsHeaders(this);
    const own = cors === undefined ? e.headers : { ...cors, ...e.headers };
    const merged = securityHeadersForError(this, own) ?? own;
    try {
      if (merged !== undefined) e.headers = merged;
    } catch {
      // A frozen error keeps its own headers; Koa still answers it.
    }
  }
  // Set by guardErrors on the context or on app.context, whichever took the handler.
  // eslint-disable-next-line @typescript-eslint/no-this-alias -- identity only, see `passing`
  passing = this;
  try {
    this[kOuterOnError]?.call(this, error);
  } finally {
    passing = undefined;
  }
}

/** Puts the handler on `target` in front of `current`, remembering the first it replaced. */
function standInFront(target: Guarded, current: ErrorHandler): void {
  if (!Object.hasOwn(target, kFirstOnError)) target[kFirstOnError] = current;
  target[kOuterOnError] = current;
  target.onerror = onerror;
}

/**
 * Makes bulwark's headers survive Koa's error handling on this request. The handler goes
 * once onto the app's `app.context` (Koa's place for additions to every `ctx`), in front of
 * the `onerror` it held: a request without bulwark's headers passes straight through it, so
 * this changes nothing for them, and a request costs a property read instead of a property
 * added to its context. A context that does not inherit it (its own `onerror`, set by the
 * app before this ran, or a context built some other way) gets it as its own property.
 */
export function guardErrors(ctx: Guarded): void {
  const current = Reflect.get(ctx, 'onerror') as ErrorHandler;
  if (current === onerror) return;
  if (!Object.hasOwn(ctx, 'onerror')) {
    const proto = Object.getPrototypeOf(ctx) as Guarded | null;
    if (proto !== null && proto === appContext(ctx)) {
      standInFront(proto, current);
      return;
    }
  }
  standInFront(ctx, current);
}

/** Keeps a CORS outcome's headers on this request's error answers. */
export function keepOnError(ctx: Guarded, outcome: CorsOutcome): void {
  ctx[kCors] = outcome;
  guardErrors(ctx);
}
