import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { isPromise } from 'bulwark';
import type { BulwarkError, MaybePromise, RateLimitCheck } from 'bulwark';
import { hasBody, runBodyChecks } from './body-check.js';
import type { BodyCheck } from './body-check.js';
import type { RoutePlan } from './metadata.js';
import { nodeRequest } from './platform.js';
import type { NestRequest } from './platform.js';
import { applyLimits } from './rate-limit.js';
import type { BulwarkRuntime } from './runtime.js';

/**
 * Everything bulwark checks for one routed request, in the order the other adapters mount
 * it: the route's own security headers (so a rejection carries them), the module's rate
 * limit and the route's (unless skipped), then the module's payload limit and the route's
 * body checks. Idempotent per request, so the platform hook, the module's guard and the
 * route guard may each run it: a limit counts a request once, a body is read once.
 * `runtime` is undefined in an app that never imported BulwarkModule.
 */
export function checkRoute(
  runtime: BulwarkRuntime | undefined,
  plan: RoutePlan,
  request: NestRequest,
  res: ServerResponse,
  stream?: Readable,
): MaybePromise<BulwarkError | undefined> {
  plan.headers?.(res);
  const limits: RateLimitCheck<NestRequest>[] = [];
  if (!plan.skip) {
    if (runtime?.rateLimit !== undefined) limits.push(runtime.rateLimit);
    limits.push(...plan.limits);
  }
  const checks: BodyCheck[] = [];
  if (runtime?.payloadLimit !== undefined && hasBody(nodeRequest(request))) {
    checks.push(runtime.payloadLimit);
  }
  checks.push(...plan.checks);
  const bodies = (): MaybePromise<BulwarkError | undefined> =>
    checks.length === 0 ? undefined : runBodyChecks(checks, request, stream);
  const limited = limits.length === 0 ? undefined : applyLimits(limits, request, res);
  if (isPromise(limited)) return limited.then((error) => error ?? bodies());
  return limited ?? bodies();
}

/** Whether a plan has anything to read before the body is parsed. */
export function readsBody(runtime: BulwarkRuntime | undefined, plan: RoutePlan): boolean {
  return plan.checks.length > 0 || runtime?.payloadLimit !== undefined;
}
