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
import { cors as expressCors, securityHeaders as expressHeaders } from 'bulwark/express';
import { cors as koaCors, securityHeaders as koaHeaders } from 'bulwark/koa';
import { cors as fastifyCors, securityHeaders as fastifyHeaders } from 'bulwark/fastify';
import type { FastifyCorsOptions, FastifyCorsRouteOptions } from 'bulwark/fastify';
import { compileCors, corsFromEnv } from 'bulwark';
import type { CorsOptions } from 'bulwark';
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

  it('cors: one options shape on every framework', () => {
    expectTypeOf(expressCors).returns.toEqualTypeOf<RequestHandler>();
    expectTypeOf(koaCors).returns.toEqualTypeOf<Middleware>();
    expectTypeOf(fastifyCors).toExtend<FastifyPluginCallback<FastifyCorsOptions>>();
    expectTypeOf(corsFromEnv).returns.toEqualTypeOf<CorsOptions>();
    expectTypeOf<FastifyContextConfig>()
      .toHaveProperty('cors')
      .toEqualTypeOf<FastifyCorsRouteOptions | false | undefined>();
    // origins is required; a function gets the origin and the framework's request.
    expectTypeOf<{ credentials: true }>().not.toExtend<CorsOptions>();
    expectTypeOf<{ origins: (origin: string) => Promise<boolean> }>().toExtend<CorsOptions>();
    expectTypeOf(compileCors).returns.toHaveProperty('decide');
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
    expectTypeOf<'url_unavailable'>().toExtend<BulwarkErrorCode>();
  });
});
