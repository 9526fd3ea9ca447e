import { asProtect } from './protect.js';
import { runConformance } from './runner.js';
import { abuseAtStartup, abuseScenarios, untimedAbuseScenarios } from './scenarios/abuse.js';
import { corsAtStartup, corsScenarios } from './scenarios/cors.js';
import { misuseAtStartup, misuseScenarios } from './scenarios/misuse.js';
import { protectAtStartup } from './scenarios/protect.js';
import { rateLimitScenarios } from './scenarios/rate-limit.js';
import { securityHeaderScenarios } from './scenarios/security-headers.js';
import { webhookProviderScenarios } from './scenarios/webhook-providers.js';
import { webhookScenarios } from './scenarios/webhooks.js';

// Every capability adds its scenario list here; each runs on Express, Koa and Fastify.
runConformance('security headers', securityHeaderScenarios);
runConformance('webhooks', webhookScenarios);
runConformance('webhook providers', webhookProviderScenarios);
runConformance('rate limiting', rateLimitScenarios);
runConformance('cors', corsScenarios, corsAtStartup);
runConformance('abuse protection', abuseScenarios, abuseAtStartup);
// Wired the way a new user wires it: refused at startup, or refused and logged once.
runConformance('misuse', misuseScenarios, misuseAtStartup);
// protect() in place of the separate middlewares wherever they are mounted in its order:
// every one of their scenarios, misuse included, must answer the same.
runConformance(
  'protect',
  asProtect([
    ...securityHeaderScenarios,
    ...rateLimitScenarios,
    ...corsScenarios,
    ...misuseScenarios,
    ...untimedAbuseScenarios,
  ]),
  [...asProtect([...corsAtStartup, ...misuseAtStartup, ...abuseAtStartup]), ...protectAtStartup],
);
