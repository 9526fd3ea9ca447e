import type { Context } from 'koa';

/**
 * Declares one of bulwark's mark slots (`securityHeadersSlot`, `rateLimitSlot`) on the
 * app's context prototype, `app.context`, which is Koa's own place for additions to every
 * `ctx`. A context that inherits the slot takes bulwark's mark for this request as a plain
 * property write, where an undeclared object would need a process-wide WeakMap entry: an
 * ephemeron the garbage collector traces in every young-generation collection while the
 * request lives, which measured as the largest single cost of bulwark on Koa.
 *
 * Called per request; after the first it is one `in` check. A context built some other
 * way (not from `app.context`) simply keeps the WeakMap.
 */
export function declareSlot(ctx: Context, slot: symbol): void {
  if (slot in ctx) return;
  const proto = appContext(ctx);
  if (proto !== undefined && !(slot in proto)) proto[slot] = null;
}

/** The app's `app.context`, the prototype Koa builds each `ctx` from, when it has one. */
export function appContext(ctx: Context): Record<symbol, unknown> | undefined {
  const proto = (ctx.app as { context?: unknown } | undefined)?.context;
  return typeof proto === 'object' && proto !== null
    ? (proto as Record<symbol, unknown>)
    : undefined;
}
