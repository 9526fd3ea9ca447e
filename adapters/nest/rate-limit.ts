import type { ServerResponse } from 'node:http';
import { compileRateLimit, isPromise } from 'bulwark';
import type {
  BulwarkError,
  ClientAddressInput,
  MaybePromise,
  RateLimitCheck,
  RateLimitOutcome,
} from 'bulwark';
import type { NestRateLimitOptions } from './options.js';
import { settleWhenClosed } from '../shared/node-settle.js';
import { nodeRequest, setHeaders } from './platform.js';
import type { NestRequest } from './platform.js';

const peer = (request: NestRequest): ClientAddressInput => ({
  remoteAddress: nodeRequest(request).socket.remoteAddress,
  headers: request.headers,
});
// The platform's request (Express's req, or Fastify's request, as bulwark's own Fastify
// plugins key it): the one object the module's limit, a route's `@RateLimit` and the 404
// counter all see, so one limiter applied twice counts a request once.
const carrier = (request: NestRequest): object => request;

/** Compiles a rate limit once (the module's, or a `@RateLimit`'s); bad options throw here. */
export function compileLimit(options: NestRateLimitOptions): RateLimitCheck<NestRequest> {
  return compileRateLimit(options, peer, carrier);
}

/** Applies one outcome: the RateLimit fields on the response, the rejection returned. */
function settle(
  outcome: RateLimitOutcome | undefined,
  request: NestRequest,
  res: ServerResponse,
): BulwarkError | undefined {
  if (outcome === undefined) return undefined;
  if (outcome.error !== undefined) return outcome.error;
  setHeaders(res, outcome.headers);
  if (outcome.settle !== undefined) settleWhenClosed(res, outcome.settle, request, res);
  return undefined;
}

/**
 * Counts the request under every limit in order and stops at the first refusal. A
 * memory-backed limit decides in the same tick (no promise at all), so a guard that only
 * counts returns a plain boolean to Nest.
 */
export function applyLimits(
  limits: readonly RateLimitCheck<NestRequest>[],
  request: NestRequest,
  res: ServerResponse,
  from = 0,
): MaybePromise<BulwarkError | undefined> {
  for (let i = from; i < limits.length; i++) {
    const limit = limits[i];
    if (limit === undefined) continue;
    const result = limit(request);
    if (isPromise(result)) {
      return result.then((outcome) => {
        const error = settle(outcome, request, res);
        return error ?? applyLimits(limits, request, res, i + 1);
      });
    }
    const error = settle(result, request, res);
    if (error !== undefined) return error;
  }
  return undefined;
}
