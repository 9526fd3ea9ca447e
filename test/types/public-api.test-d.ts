import { describe, expectTypeOf, it } from 'vitest';
import type { Middleware } from 'koa';
import type { RequestHandler } from 'express';
import type { FastifyContextConfig, FastifyPluginCallback } from 'fastify';
import {
  buildSecurityHeaders,
  configFromEnv,
  renderRejection,
  reportMisuse,
  securityHeadersFromEnv,
} from 'bulwark';
import type {
  BulwarkConfig,
  BulwarkErrorCode,
  LoggerLike,
  MisuseCode,
  PayloadLimitOptions,
  RateLimiter,
  SecurityHeadersOptions,
  BulwarkError,
} from 'bulwark';
import type { ExpressRejectOptions } from 'bulwark/express';
import type { KoaRejectOptions } from 'bulwark/koa';
import type {
  FastifyPayloadLimitRouteOptions,
  FastifyVerifyWebhookOptions,
  FastifyWebhookRouteOptions,
} from 'bulwark/fastify';
import { securityHeaders as expressHeaders } from 'bulwark/express';
import { securityHeaders as koaHeaders } from 'bulwark/koa';
import { securityHeaders as fastifyHeaders } from 'bulwark/fastify';
import type { FastifySecurityHeadersOptions } from 'bulwark/fastify';

describe('public types', () => {
  it('core', () => {
    expectTypeOf(buildSecurityHeaders).returns.toEqualTypeOf<Record<string, string>>();
    expectTypeOf(buildSecurityHeaders)
      .parameter(0)
      .toEqualTypeOf<SecurityHeadersOptions | undefined>();
    expectTypeOf(securityHeadersFromEnv).returns.toEqualTypeOf<SecurityHeadersOptions>();
    expectTypeOf(configFromEnv).returns.toEqualTypeOf<BulwarkConfig>();
    expectTypeOf<BulwarkError['status']>().toEqualTypeOf<number>();
    expectTypeOf<BulwarkError['code']>().toEqualTypeOf<BulwarkErrorCode>();
    expectTypeOf<BulwarkError['headers']>().toEqualTypeOf<Readonly<Record<string, string>>>();
    expectTypeOf(renderRejection).returns.toHaveProperty('body').toEqualTypeOf<string>();
    // `false` disables one header; a number is not a header value.
    expectTypeOf<{ xFrameOptions: false }>().toExtend<SecurityHeadersOptions>();
    expectTypeOf<{ xFrameOptions: 1 }>().not.toExtend<SecurityHeadersOptions>();
  });

  it('adapters return their framework’s middleware types', () => {
    expectTypeOf(expressHeaders).returns.toEqualTypeOf<RequestHandler>();
    expectTypeOf(koaHeaders).returns.toEqualTypeOf<Middleware>();
    expectTypeOf(fastifyHeaders).toExtend<FastifyPluginCallback<FastifySecurityHeadersOptions>>();
  });

  it('fastify route config is augmented', () => {
    expectTypeOf<FastifyContextConfig>()
      .toHaveProperty('securityHeaders')
      .toEqualTypeOf<SecurityHeadersOptions | false | undefined>();
    expectTypeOf<FastifyContextConfig>()
      .toHaveProperty('verifyWebhook')
      .toEqualTypeOf<FastifyWebhookRouteOptions | false | undefined>();
    expectTypeOf<FastifyContextConfig>()
      .toHaveProperty('payloadLimit')
      .toEqualTypeOf<FastifyPayloadLimitRouteOptions | false | undefined>();
    expectTypeOf<FastifyWebhookRouteOptions>().toHaveProperty('onReject');
    expectTypeOf<FastifyVerifyWebhookOptions>()
      .toHaveProperty('global')
      .toEqualTypeOf<boolean | undefined>();
  });

  it('misuse reporting: one logger option everywhere, stable codes', () => {
    expectTypeOf<PayloadLimitOptions>()
      .toHaveProperty('logger')
      .toEqualTypeOf<LoggerLike | undefined>();
    expectTypeOf<ExpressRejectOptions>()
      .toHaveProperty('logger')
      .toEqualTypeOf<LoggerLike | undefined>();
    expectTypeOf<KoaRejectOptions>()
      .toHaveProperty('logger')
      .toEqualTypeOf<LoggerLike | undefined>();
    expectTypeOf<RateLimiter>().toHaveProperty('logger').toEqualTypeOf<LoggerLike>();
    expectTypeOf(reportMisuse).parameter(1).toEqualTypeOf<MisuseCode>();
    expectTypeOf<'misuse.body_consumed'>().toExtend<MisuseCode>();
    expectTypeOf<'secret_unavailable'>().toExtend<BulwarkErrorCode>();
  });
});
