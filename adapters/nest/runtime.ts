import type { IncomingMessage, ServerResponse } from 'node:http';
import { compileCors, rateLimitLogger } from 'bulwark';
import type { CorsPolicy, LoggerLike, RateLimitCheck } from 'bulwark';
import { nodeHeadersStep } from '../shared/node-headers.js';
import { payloadCheck } from './body-check.js';
import type { BodyCheck } from './body-check.js';
import { checkModuleOptions } from './options.js';
import type { BulwarkModuleOptions, NestSecurityHeadersOptions } from './options.js';
import { compileLimit } from './rate-limit.js';
import type { NestRequest } from './platform.js';

/** The module options, validated and compiled once, when the module is created. */
export interface BulwarkRuntime {
  /** Writes the security headers on a response, or undefined when they are off. */
  readonly headers: ((res: ServerResponse) => void) | undefined;
  /** The compiled CORS policy, or undefined when CORS is off. */
  readonly cors: CorsPolicy<IncomingMessage> | undefined;
  /** The global rate limit, or undefined for none. */
  readonly rateLimit: RateLimitCheck<NestRequest> | undefined;
  /** The app-wide payload limit, or undefined for none. */
  readonly payloadLimit: BodyCheck | undefined;
  /** Where wiring mistakes are logged. */
  readonly logger: LoggerLike;
}

/** The per-response work of the security headers, compiled once. */
export const headersStep: (
  options: NestSecurityHeadersOptions | false,
) => (res: ServerResponse) => void = nodeHeadersStep;

/** Validates and compiles the options of `forRoot` / `forRootAsync`: every bad option throws a TypeError here. */
export function compileRuntime(input: BulwarkModuleOptions): BulwarkRuntime {
  const options = checkModuleOptions(input);
  const { securityHeaders = {}, cors = false, rateLimit = false, payloadLimit = false } = options;
  const logger = options.logger ?? (rateLimit === false ? console : rateLimitLogger(rateLimit));
  return {
    headers: securityHeaders === false ? undefined : headersStep(securityHeaders),
    cors: cors === false ? undefined : compileCors<IncomingMessage>(cors),
    rateLimit:
      rateLimit === false
        ? undefined
        : compileLimit(options.logger === undefined ? rateLimit : { logger, ...rateLimit }),
    payloadLimit: payloadLimit === false ? undefined : payloadCheck({ logger, ...payloadLimit }),
    logger,
  };
}
