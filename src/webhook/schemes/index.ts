import type { WebhookScheme } from '../scheme.js';
import type { WebhookSchemeName } from '../types.js';
import { githubScheme } from './github.js';
import { missionControlScheme } from './mission-control.js';
import { slackScheme } from './slack.js';
import { standardWebhooksScheme } from './standard-webhooks.js';
import { stripeScheme } from './stripe.js';

/** Every scheme name, in the order `--help` lists them. */
export const WEBHOOK_SCHEMES: readonly WebhookSchemeName[] = [
  'mission-control',
  'github',
  'standard-webhooks',
  'stripe',
  'slack',
];

/** The scheme for a name; throws a TypeError listing the names for an unknown one. */
export function schemeFor(name: unknown, headerName: string | undefined): WebhookScheme {
  if (headerName !== undefined && name !== 'mission-control') {
    throw new TypeError(
      `bulwark: webhook headerName: only the mission-control scheme reads a custom header; remove headerName or use scheme: 'mission-control'.`,
    );
  }
  switch (name) {
    case 'mission-control':
      return missionControlScheme(headerName);
    case 'github':
      return githubScheme;
    case 'standard-webhooks':
      return standardWebhooksScheme;
    case 'stripe':
      return stripeScheme;
    case 'slack':
      return slackScheme;
    default:
      throw new TypeError(
        `bulwark: webhook scheme: ${JSON.stringify(name)} is not a scheme; write one of ${WEBHOOK_SCHEMES.join(', ')}.`,
      );
  }
}
