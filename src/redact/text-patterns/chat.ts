/** Chat, messaging and e-mail credentials. Sources are named per rule. */
import { keepFirst, type TextPattern } from './types.js';

const HEX = '0123456789abcdef';

export const CHAT_PATTERNS: readonly TextPattern[] = [
  {
    // Slack bot, user, app-level, refresh and configuration tokens (Slack docs, "Token
    // types": xoxb-, xoxp-, xoxa-, xoxr-, xoxe-, xoxs-, xoxo-, xapp-); gitleaks slack-*.
    name: 'Slack token (xoxb-, xoxp-, xapp-, …)',
    prefixes: ['xox', 'xapp-'],
    regex: /(?<![A-Za-z0-9_-])(xox[abposre]-|xapp-)[A-Za-z0-9-]{10}[A-Za-z0-9-]*/g,
    replace: keepFirst,
  },
  {
    // Incoming webhooks and workflow triggers (Slack docs, "Sending messages using incoming
    // webhooks"); gitleaks slack-webhook-url. The path is the secret.
    name: 'Slack webhook URL (hooks.slack.com)',
    prefixes: ['hooks.slack.com/'],
    regex:
      /(?<![A-Za-z0-9-])(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9+/_-]{20}[A-Za-z0-9+/_-]*/g,
    replace: keepFirst,
  },
  {
    // Webhook URLs `…/api/[vN/]webhooks/<id>/<token>` (Discord developer docs, "Webhook
    // Resource"); the id stays, the token goes.
    name: 'Discord webhook URL (discord.com/api/webhooks)',
    prefixes: ['discord'],
    regex:
      /(?<![A-Za-z0-9-])(discord(?:app)?\.com\/api\/(?:v[0-9]{1,2}\/)?webhooks\/[0-9]{17,20}\/)[A-Za-z0-9_-]{60}[A-Za-z0-9_-]*/g,
    replace: keepFirst,
  },
  {
    // Bot API tokens `<bot id>:<35 characters starting with A>` (Telegram Bot API docs,
    // "Authorizing your bot"; gitleaks telegram-bot-api-token), bare or in `/bot<token>/`
    // URLs. The bot id stays.
    name: 'Telegram bot token (id:A…)',
    words: [':a'],
    regex: /(?:(?<![A-Za-z0-9_-])|(?<=\/bot))([0-9]{5,16}:)A[A-Za-z0-9_-]{33,34}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Microsoft Teams incoming webhooks (Microsoft docs, "Create an Incoming Webhook");
    // gitleaks microsoft-teams-webhook. The path is the secret.
    name: 'Microsoft Teams webhook URL (webhook.office.com)',
    prefixes: ['webhook.office.com/'],
    regex:
      /(?<![A-Za-z0-9-])(webhook\.office\.com\/webhookb2\/)[A-Za-z0-9-]{36}@[A-Za-z0-9-]{36}\/IncomingWebhook\/[A-Za-z0-9]{32}\/[A-Za-z0-9-]{36}[A-Za-z0-9_/-]*/g,
    replace: keepFirst,
  },
  {
    // Twilio API key SIDs ("SK" + 32 hex); gitleaks twilio-api-key. The probe takes the first
    // hex digit too, so words such as "skip" do not wake the pattern.
    name: 'Twilio API key (SK + 32 hex)',
    prefixes: Array.from(HEX).map((h) => `sk${h}`),
    regex: /(?<![A-Za-z0-9_])(SK)[0-9a-fA-F]{32}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
  {
    // SendGrid API keys (`SG.` + 22 + `.` + 43, Twilio SendGrid docs "API keys"); gitleaks
    // sendgrid-api-token.
    name: 'SendGrid API key (SG.)',
    prefixes: ['sg.'],
    regex: /(?<![A-Za-z0-9_.-])(SG\.)[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Mailgun private API keys ("key-" + 32 hex); gitleaks mailgun-private-api-token.
    name: 'Mailgun API key (key-)',
    words: ['key'],
    regex: /(?<![A-Za-z0-9_-])(key-)[a-f0-9]{32}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Mailchimp API keys: 32 hex and the datacenter, `-us<N>` (Mailchimp docs, "About API
    // keys"); gitleaks mailchimp-api-key. The datacenter stays.
    name: 'Mailchimp API key (…-usN)',
    prefixes: ['us1', 'us2', 'us3', 'us4', 'us5', 'us6', 'us7', 'us8', 'us9'],
    regex: /(?<![A-Za-z0-9_-])[a-f0-9]{32}(-us[0-9]{1,2})(?![A-Za-z0-9_-])/g,
    replace: (r, _m, dc = '') => r + dc,
  },
  {
    // Brevo (Sendinblue) API and SMTP keys (xkeysib-, xsmtpsib-); gitleaks
    // sendinblue-api-token.
    name: 'Brevo API key (xkeysib-, xsmtpsib-)',
    prefixes: ['xsmtpsib-'],
    words: ['key'],
    regex: /(?<![A-Za-z0-9_-])(x(?:keysib|smtpsib)-)[a-f0-9]{64}-[A-Za-z0-9]{16}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
];
