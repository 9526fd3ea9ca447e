import { UseGuards } from '@nestjs/common';
import { payloadCheck, webhookCheck } from './body-check.js';
import { BulwarkRouteGuard } from './guards.js';
import { appendMetadata, defaultMetadata, prependMetadata } from './metadata.js';
import type {
  NestPayloadLimitOptions,
  NestRateLimitOptions,
  NestSecurityHeadersOptions,
  NestVerifyWebhookOptions,
} from './options.js';
import { compileLimit } from './rate-limit.js';
import { headersStep } from './runtime.js';
import {
  BODY_CHECKS_METADATA,
  RATE_LIMIT_METADATA,
  SECURITY_HEADERS_METADATA,
  SKIP_RATE_LIMIT_METADATA,
} from './tokens.js';

/** A decorator for a controller class or one of its handlers (legacy decorators). */
export type BulwarkDecorator = ClassDecorator & MethodDecorator;

type AnyDecorator = (
  target: object,
  key?: string | symbol,
  descriptor?: PropertyDescriptor,
) => unknown;

const routeGuard = UseGuards(BulwarkRouteGuard) as AnyDecorator;

/** The handlers of a controller class: its own prototype methods. */
function handlersOf(target: object): object[] {
  const proto = (target as { prototype?: object }).prototype ?? {};
  return Object.getOwnPropertyNames(proto)
    .filter((name) => name !== 'constructor')
    .map((name) => Object.getOwnPropertyDescriptor(proto, name)?.value as unknown)
    .filter((value): value is object => typeof value === 'function');
}

/**
 * A decorator that writes onto a handler (`onHandler`), or, on a controller, onto each of
 * its handlers (`onController`: class decorators run after the handlers' own), and adds
 * the route guard, which needs no module.
 */
function decorator(
  onHandler: (handler: object) => void,
  onController: (handler: object) => void = onHandler,
): BulwarkDecorator {
  const decorate: AnyDecorator = (target, key, descriptor) => {
    if (descriptor === undefined) {
      for (const handler of handlersOf(target)) onController(handler);
    } else {
      onHandler(descriptor.value as object);
    }
    routeGuard(target, key, descriptor);
  };
  return decorate as BulwarkDecorator;
}

/**
 * A rate limit of a handler or controller, in addition to the module's global one (every
 * limit must admit). The limiter is created once, here, so every request to the route shares
 * it; bad options throw a TypeError when the class is defined. On a controller, its handlers
 * share the one limiter. `key` and `skip` get the request `@Req()` gives.
 *
 * @example
 * ```ts
 * @RateLimit({ limiter: { name: 'login', limit: 20, windowMs: 60_000 } })
 * @Post('login')
 * login() {}
 * ```
 */
export function RateLimit(options: NestRateLimitOptions): BulwarkDecorator {
  const limit = compileLimit(options);
  return decorator(
    (handler) => {
      appendMetadata(RATE_LIMIT_METADATA, limit, handler);
    },
    (handler) => {
      prependMetadata(RATE_LIMIT_METADATA, limit, handler);
    },
  );
}

/**
 * Skips every rate limit on a handler or controller: the module's global one and every
 * `@RateLimit`, named or not, whichever level set them (a health check, an internal probe).
 */
export function SkipRateLimit(): BulwarkDecorator {
  return decorator((handler) => {
    Reflect.defineMetadata(SKIP_RATE_LIMIT_METADATA, true, handler);
  });
}

/**
 * Verifies webhook deliveries to a handler (or every handler of a controller) on their raw
 * bytes, with the payload limit included, then leaves `rawBody` (Buffer) and the parsed
 * `body` on the request, so `@Body()` works. The body is read before Nest's parsers on both
 * platforms; where it cannot be (a Fastify route path with parameters), the bytes Nest kept
 * with `rawBody: true` are checked instead. A missing or empty secret throws a TypeError
 * when the class is defined.
 */
export function VerifyWebhook(options: NestVerifyWebhookOptions): BulwarkDecorator {
  const check = webhookCheck(options);
  return decorator(
    (handler) => {
      appendMetadata(BODY_CHECKS_METADATA, check, handler);
    },
    (handler) => {
      prependMetadata(BODY_CHECKS_METADATA, check, handler);
    },
  );
}

/**
 * A payload limit for a handler or controller: 413 over the limit (Mission Control's
 * detail), 400 for the smuggling framings, 415 for encoded bodies unless `inflate`. Leaves
 * `rawBody` and the parsed `body` on the request. Default limit: 1,048,576 bytes.
 */
export function PayloadLimit(options: NestPayloadLimitOptions = {}): BulwarkDecorator {
  const check = payloadCheck(options);
  return decorator(
    (handler) => {
      appendMetadata(BODY_CHECKS_METADATA, check, handler);
    },
    (handler) => {
      prependMetadata(BODY_CHECKS_METADATA, check, handler);
    },
  );
}

/**
 * Security headers of a handler or controller, replacing the module's for its answers (a
 * `web` preset for an HTML page), or `false` for none; a handler's own replace its
 * controller's. A header the handler sets itself is never overwritten.
 */
export function SecurityHeaders(options: NestSecurityHeadersOptions | false): BulwarkDecorator {
  const step = headersStep(options);
  return decorator(
    (handler) => {
      Reflect.defineMetadata(SECURITY_HEADERS_METADATA, step, handler);
    },
    (handler) => {
      defaultMetadata(SECURITY_HEADERS_METADATA, step, handler);
    },
  );
}
