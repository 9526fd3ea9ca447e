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

/** A route's limits and body checks under one module: built once, not per request. */
interface Compiled {
  readonly runtime: BulwarkRuntime | undefined;
  /** The module's limit (unless skipped), then the route's. */
  readonly limits: readonly RateLimitCheck<NestRequest>[];
  /** The module's payload limit, then the route's body checks: for a request with a body. */
  readonly withPayload: readonly BodyCheck[];
}

const compiled = new WeakMap<RoutePlan, Compiled>();

function compiledFor(runtime: BulwarkRuntime | undefined, plan: RoutePlan): Compiled {
  let c = compiled.get(plan);
  // One module per app: a second runtime (two apps in one process) rebuilds the entry.
  if (c === undefined || c.runtime !== runtime) {
    const limits: RateLimitCheck<NestRequest>[] = [];
    if (!plan.skip) {
      if (runtime?.rateLimit !== undefined) limits.push(runtime.rateLimit);
      limits.push(...plan.limits);
    }
    const payload = runtime?.payloadLimit;
    c = {
      runtime,
      limits,
      withPayload: payload === undefined ? plan.checks : [payload, ...plan.checks],
    };
    compiled.set(plan, c);
  }
  return c;
}

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
  const { limits, withPayload } = compiledFor(runtime, plan);
  // The module's payload limit applies to a request that has a body at all.
  const checks =
    withPayload === plan.checks || !hasBody(nodeRequest(request)) ? plan.checks : withPayload;
  const limited = limits.length === 0 ? undefined : applyLimits(limits, request, res);
  if (checks.length === 0) return limited;
  if (isPromise(limited)) {
    return limited.then((error) => error ?? runBodyChecks(checks, request, stream));
  }
  return limited ?? runBodyChecks(checks, request, stream);
}

/** Whether a plan has anything to read before the body is parsed. */
export function readsBody(runtime: BulwarkRuntime | undefined, plan: RoutePlan): boolean {
  return plan.checks.length > 0 || runtime?.payloadLimit !== undefined;
}
