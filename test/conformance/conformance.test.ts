import { runConformance } from './runner.js';
import { rateLimitScenarios } from './scenarios/rate-limit.js';
import { securityHeaderScenarios } from './scenarios/security-headers.js';
import { webhookScenarios } from './scenarios/webhooks.js';

// Every capability adds its scenario list here; each runs on Express, Koa and Fastify.
runConformance('security headers', securityHeaderScenarios);
runConformance('webhooks', webhookScenarios);
runConformance('rate limiting', rateLimitScenarios);
