/** Cloud provider credentials. Sources are named per rule. */
import { keepFirst, whole, type TextPattern } from './types.js';

const AWS_PREFIXES = [
  'akia',
  'asia',
  'abia',
  'acca',
  'agpa',
  'aida',
  'aipa',
  'anpa',
  'anva',
  'aroa',
  'apka',
  'asca',
  'a3t',
];

export const CLOUD_PATTERNS: readonly TextPattern[] = [
  {
    // AWS IAM "Unique identifiers" prefixes; gitleaks aws-access-token.
    name: 'AWS access key id',
    prefixes: AWS_PREFIXES,
    regex:
      /(?<![A-Za-z0-9])(AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    replace: keepFirst,
  },
  {
    // 40 base64 characters under the names the AWS CLI, SDKs and CloudFormation use; the value
    // alone has no marker, so the name is required (gitleaks aws-secret-access-key is alike).
    name: 'AWS secret access key (named)',
    words: ['secret'],
    regex:
      /(?<![A-Za-z0-9])((?:aws[_-]?)?secret[_-]?access[_-]?key["']?[ \t]{0,16}[:=][ \t]{0,16}["']?)[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/gi,
    replace: keepFirst,
  },
  {
    // Google Cloud API keys ("AIza" + 35); gitleaks gcp-api-key.
    name: 'Google API key (AIza)',
    prefixes: ['aiza'],
    regex: /(?<![A-Za-z0-9_-])(AIza)[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Google OAuth client secrets since 2021 ("GOCSPX-" + 28), Google Cloud client-secret docs.
    name: 'Google OAuth client secret (GOCSPX-)',
    prefixes: ['gocspx-'],
    regex: /(?<![A-Za-z0-9_-])(GOCSPX-)[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Google OAuth 2.0 access tokens ("ya29."), Google Identity docs; service-account tokens
    // carry dots, so the body takes them.
    name: 'Google OAuth access token (ya29.)',
    prefixes: ['ya29.'],
    regex: /(?<![A-Za-z0-9_.-])(ya29\.)[A-Za-z0-9_.-]{20}[A-Za-z0-9_.-]*/g,
    replace: keepFirst,
  },
  {
    // Azure Storage connection strings: a 64-byte key in base64 (Azure Storage docs,
    // "Configure a connection string"; gitleaks azure-storage-account-key is alike).
    name: 'Azure storage account key (AccountKey=)',
    words: ['key'],
    regex: /(?<![A-Za-z0-9])(AccountKey=)[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/g,
    replace: keepFirst,
  },
  {
    // Service Bus, Event Hubs and IoT Hub connection strings: a 32-byte key in base64
    // (Azure Service Bus docs, "Shared Access Signature authentication").
    name: 'Azure shared access key (SharedAccessKey=)',
    words: ['key'],
    regex: /(?<![A-Za-z0-9])(SharedAccessKey=)[A-Za-z0-9+/]{43}=(?![A-Za-z0-9+/=])/g,
    replace: keepFirst,
  },
  {
    // SAS tokens: `sig=` is a URL-encoded base64 HMAC-SHA256, 43 characters and one `=`
    // (Azure Storage docs, "Create a service SAS").
    name: 'Azure SAS signature (sig=)',
    words: ['sig'],
    regex: /(?<=[?&;])(sig=)(?:[A-Za-z0-9+/]|%2[BbFf]){43}(?:=|%3[Dd])(?![A-Za-z0-9%])/g,
    replace: keepFirst,
  },
  {
    // Microsoft Entra ID (Azure AD) client secrets carry `Q~` after 4 characters; gitleaks
    // azure-ad-client-secret. No prefix to keep.
    name: 'Azure AD client secret (…Q~…)',
    words: ['q~'],
    regex: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
    replace: whole,
  },
  {
    // DigitalOcean personal, OAuth and refresh tokens (DigitalOcean docs, "How to Create a
    // Personal Access Token"); gitleaks digitalocean-pat / -access-token / -refresh-token.
    name: 'DigitalOcean token (dop_v1_, doo_v1_, dor_v1_)',
    prefixes: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    regex: /(?<![A-Za-z0-9_])(do[opr]_v1_)[a-f0-9]{64}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
  {
    // Heroku API keys since 2024 ("HRKU-AA" + 58); gitleaks heroku-api-key-v2.
    name: 'Heroku API key (HRKU-)',
    prefixes: ['hrku-'],
    regex: /(?<![A-Za-z0-9_-])(HRKU-)AA[A-Za-z0-9_-]{58}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Alibaba Cloud AccessKey ids ("LTAI" + 20); gitleaks alibaba-access-key-id.
    name: 'Alibaba Cloud AccessKey id (LTAI)',
    prefixes: ['ltai'],
    regex: /(?<![A-Za-z0-9])(LTAI)[A-Za-z0-9]{20}(?![A-Za-z0-9])/g,
    replace: keepFirst,
  },
  {
    // Cloudflare Origin CA keys; gitleaks cloudflare-origin-ca-key.
    name: 'Cloudflare Origin CA key (v1.0-)',
    prefixes: ['v1.0-'],
    regex: /(?<![A-Za-z0-9_.-])(v1\.0-)[a-f0-9]{24}-[a-f0-9]{146}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Fly.io tokens: `fo1_` + 43, and the macaroons `fm1a_`, `fm1r_`, `fm2_`; gitleaks
    // flyio-access-token.
    name: 'Fly.io token (fo1_, fm1a_, fm1r_, fm2_)',
    prefixes: ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'],
    regex: /(?<![A-Za-z0-9_])(fo1_|fm1[ar]_|fm2_)[A-Za-z0-9_+/=-]{43}[A-Za-z0-9_+/=-]*/g,
    replace: keepFirst,
  },
];
