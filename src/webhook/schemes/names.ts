import type { WebhookSchemeName } from '../types.js';

/** Every scheme name, in the order `--help` lists them. */
export const WEBHOOK_SCHEMES: readonly WebhookSchemeName[] = [
  'mission-control',
  'github',
  'standard-webhooks',
  'stripe',
  'slack',
  'discord',
  'shopify',
  'twilio',
  'gitlab',
];
