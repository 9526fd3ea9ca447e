import type { ServerResponse } from 'node:http';
import { Reflector } from '@nestjs/core';
import type { RateLimitCheck } from 'bulwark';
import type { BodyCheck } from './body-check.js';
import type { NestRequest } from './platform.js';
import {
  BODY_CHECKS_METADATA,
  RATE_LIMIT_METADATA,
  SECURITY_HEADERS_METADATA,
  SKIP_RATE_LIMIT_METADATA,
} from './tokens.js';

// Nest's Reflector holds no state: one instance reads what the decorators wrote, in guards
// Nest creates (which then need no injection) and in the platform hooks alike.
const reflector = new Reflector();

type Handler = Parameters<Reflector['get']>[1];

/** What bulwark's decorators ask of one route handler (its controller's included). */
export interface RoutePlan {
  /** `@SkipRateLimit()`: every limit, the module's included, is skipped. */
  readonly skip: boolean;
  /** The `@RateLimit` limits, the controller's first. */
  readonly limits: readonly RateLimitCheck<NestRequest>[];
  /** The `@PayloadLimit` and `@VerifyWebhook` checks, the controller's first. */
  readonly checks: readonly BodyCheck[];
  /** `@SecurityHeaders(...)`: the route's own headers, the handler's over its controller's. */
  readonly headers: ((res: ServerResponse) => void) | undefined;
}

function listOf(key: symbol, handler: object): readonly unknown[] {
  return reflector.get<unknown[] | undefined>(key, handler as Handler) ?? [];
}

/** Appends a value to a handler's list. */
export function appendMetadata(key: symbol, value: unknown, handler: object): void {
  Reflect.defineMetadata(key, [...listOf(key, handler), value], handler);
}

/** Prepends a value to a handler's list (a controller's come before the handler's own). */
export function prependMetadata(key: symbol, value: unknown, handler: object): void {
  Reflect.defineMetadata(key, [value, ...listOf(key, handler)], handler);
}

/** Sets a value on a handler unless the handler has its own (a controller's gives way to it). */
export function defaultMetadata(key: symbol, value: unknown, handler: object): void {
  if (reflector.get(key, handler as Handler) === undefined) {
    Reflect.defineMetadata(key, value, handler);
  }
}

// Read once per handler, on its first request (or when the platform hooks list the routes):
// decorators run when a class is defined, so nothing changes a handler's plan after that,
// and the guard on every request then reads one WeakMap instead of four metadata lists.
const plans = new WeakMap<object, RoutePlan>();

/**
 * The plan of a handler. Every decorator writes onto the handler functions themselves (a
 * controller's decorator onto each of its handlers), because that is what the platforms
 * see too: Nest copies a handler's metadata onto the function it routes to, where Express's
 * router and Fastify's `onRoute` hook find it before any guard runs.
 */
export function routePlanOf(handler: object): RoutePlan {
  let plan = plans.get(handler);
  if (plan === undefined) {
    plan = {
      skip: reflector.get(SKIP_RATE_LIMIT_METADATA, handler as Handler) === true,
      limits: listOf(RATE_LIMIT_METADATA, handler) as readonly RateLimitCheck<NestRequest>[],
      checks: listOf(BODY_CHECKS_METADATA, handler) as readonly BodyCheck[],
      headers: reflector.get(SECURITY_HEADERS_METADATA, handler as Handler),
    };
    plans.set(handler, plan);
  }
  return plan;
}
