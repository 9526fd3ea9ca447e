import type { LoggerLike } from '../log/logger-kind.js';
import { reportMisuse } from '../log/misuse.js';
import type { RateLimitDecision, RateLimitEvent } from './types.js';

/** Keys remembered for `onLimitReached` at most (the oldest is forgotten first). */
const MAX_REACHED = 10_000;

/** What a limiter calls after each decision, or undefined when nothing listens. */
export interface DecisionReporter {
  /** Reports one decision for `key`; `cached` when it came from the block cache. */
  report(key: string, d: RateLimitDecision, cached: boolean): void;
  /** Forgets that `key` reached its limit (a reset). */
  forget(key: string): void;
}

/**
 * The limiter's `onDecision` and `onLimitReached` callbacks, made safe: a listener that
 * throws or rejects is logged once (`misuse.rate_limit_event`) and the request goes on, so
 * a broken metrics exporter can never fail or block traffic. `onLimitReached` fires once per
 * key until the refusal's window has passed, not once per refused request.
 */
export function compileReporter(
  limiter: string,
  onDecision: ((event: RateLimitEvent) => unknown) | undefined,
  onLimitReached: ((event: RateLimitEvent) => unknown) | undefined,
  logger: LoggerLike,
  clock: () => number,
): DecisionReporter | undefined {
  if (onDecision === undefined && onLimitReached === undefined) return undefined;
  const failed = (error: unknown): void => {
    const reason = error instanceof Error ? error.message : String(error);
    reportMisuse(
      logger,
      'misuse.rate_limit_event',
      limiter,
      `rate limiter "${limiter}": an onDecision or onLimitReached listener failed (${reason}); the request went on. Catch errors inside the listener.`,
    );
  };
  // Typed as returning anything: an async listener returns a promise, watched for rejection.
  const call = (listener: (event: RateLimitEvent) => unknown, event: RateLimitEvent): void => {
    try {
      const result = listener(event);
      if (typeof (result as { then?: unknown } | undefined)?.then === 'function') {
        (result as Promise<unknown>).then(undefined, failed);
      }
    } catch (error: unknown) {
      failed(error);
    }
  };
  const reached = new Map<string, number>();
  const report = (key: string, decision: RateLimitDecision, cached: boolean): void => {
    if (onDecision !== undefined) call(onDecision, { limiter, key, decision, cached });
    if (onLimitReached === undefined || decision.allowed || decision.storeUnavailable) return;
    const now = clock();
    const until = reached.get(key);
    if (until !== undefined && now < until) return;
    reached.delete(key);
    reached.set(key, now + Math.max(decision.resetMs, decision.retryAfterMs));
    if (reached.size > MAX_REACHED) {
      const oldest = reached.keys().next();
      if (oldest.done !== true) reached.delete(oldest.value);
    }
    call(onLimitReached, { limiter, key, decision, cached });
  };
  return {
    report,
    forget: (key) => {
      reached.delete(key);
    },
  };
}
