import type { ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { isPromise } from 'bulwark';
import type { BulwarkError, MaybePromise } from 'bulwark';
import { rejection } from './exception.js';
import { routePlanOf } from './metadata.js';
import { nodeResponse } from './platform.js';
import type { NestRequest } from './platform.js';
import { checkRoute } from './route-check.js';
import type { BulwarkRuntime } from './runtime.js';
import { BULWARK_RUNTIME } from './tokens.js';

/** Runs the route's checks for an HTTP context: true, or the rejection thrown. */
function guard(
  runtime: BulwarkRuntime | undefined,
  context: ExecutionContext,
): MaybePromise<boolean> {
  // GraphQL resolvers, microservice and WebSocket handlers pass through untouched: a GraphQL
  // request was counted as the HTTP request it arrived on, and RPC and WebSocket messages
  // have no HTTP request to count or response to set headers on.
  if (context.getType() !== 'http') return true;
  const http = context.switchToHttp();
  const request = http.getRequest<NestRequest>();
  const res = nodeResponse(http.getResponse<object>());
  const outcome = checkRoute(runtime, routePlanOf(context.getHandler()), request, res);
  if (!isPromise(outcome)) return admitted(outcome, res);
  return outcome.then((error) => admitted(error, res));
}

/** True, or the rejection thrown for Nest's exception layer. */
function admitted(error: BulwarkError | undefined, res: ServerResponse): boolean {
  if (error !== undefined) throw rejection(error, res);
  return true;
}

/**
 * The module's guard (APP_GUARD), before the app's own guards: the global rate limit
 * (unless `@SkipRateLimit()`), the route's `@RateLimit`s, then the module's payload limit
 * and the route's body checks. Contexts other than HTTP pass through.
 */
export class BulwarkGuard implements CanActivate {
  constructor(private readonly runtime: BulwarkRuntime) {}

  canActivate(context: ExecutionContext): MaybePromise<boolean> {
    return guard(this.runtime, context);
  }
}
Injectable()(BulwarkGuard);
Inject(BULWARK_RUNTIME)(BulwarkGuard, undefined, 0);

/**
 * The guard bulwark's decorators add to a handler or controller: the route's own headers,
 * limits and body checks. It needs no module, so a decorated route is checked even in an
 * app that never imported BulwarkModule; with the module, it finds the work done. Contexts
 * other than HTTP pass through.
 */
export class BulwarkRouteGuard implements CanActivate {
  canActivate(context: ExecutionContext): MaybePromise<boolean> {
    return guard(undefined, context);
  }
}
Injectable()(BulwarkRouteGuard);
