import type { WebhookScheme } from '../scheme.js';
import type { WebhookSchemeName } from '../types.js';
import { customScheme } from './custom.js';
import type { CustomWebhookScheme } from './custom.js';
import { discordScheme } from './discord.js';
import { githubScheme } from './github.js';
import { gitlabScheme } from './gitlab.js';
import { missionControlScheme } from './mission-control.js';
import { shopifyScheme } from './shopify.js';
import { slackScheme } from './slack.js';
import { standardWebhooksScheme } from './standard-webhooks.js';
import { stripeScheme } from './stripe.js';
import { twilioScheme } from './twilio.js';

import { WEBHOOK_SCHEMES } from './names.js';

export { WEBHOOK_SCHEMES };

const BUILT_IN: Readonly<Record<Exclude<WebhookSchemeName, 'mission-control'>, WebhookScheme>> = {
  github: githubScheme,
  'standard-webhooks': standardWebhooksScheme,
  stripe: stripeScheme,
  slack: slackScheme,
  discord: discordScheme,
  shopify: shopifyScheme,
  twilio: twilioScheme,
  gitlab: gitlabScheme,
};

/**
 * The scheme for a name or a custom description; throws a TypeError listing the names
 * for an unknown one.
 */
export function schemeFor(
  name: WebhookSchemeName | CustomWebhookScheme | undefined,
  headerName: string | undefined,
): WebhookScheme {
  if (headerName !== undefined && name !== 'mission-control') {
    throw new TypeError(
      `bulwark: webhook headerName: only the mission-control scheme reads a custom header; remove headerName or use scheme: 'mission-control'${typeof name === 'object' ? ' (a custom scheme names its header in signatureHeader)' : ''}.`,
    );
  }
  if (name === 'mission-control') return missionControlScheme(headerName);
  // A name from JavaScript or a configuration file may be anything: check it at run time.
  const value: unknown = name;
  if (typeof value === 'object' && value !== null)
    return customScheme(value as CustomWebhookScheme);
  if (typeof value === 'string' && Object.hasOwn(BUILT_IN, value)) {
    return BUILT_IN[value as keyof typeof BUILT_IN];
  }
  throw new TypeError(
    `bulwark: webhook scheme: ${JSON.stringify(name)} is not a scheme; write one of ${WEBHOOK_SCHEMES.join(', ')}, or describe the sender's scheme as { name, signatureHeader, signed, ... }.`,
  );
}
