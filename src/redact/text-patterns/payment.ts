/** Payment, commerce and logistics credentials. Sources are named per rule. */
import { keepFirst, type TextPattern } from './types.js';

export const PAYMENT_PATTERNS: readonly TextPattern[] = [
  {
    // Stripe secret and restricted keys (Stripe docs, "API keys": sk_live_, sk_test_,
    // rk_live_, rk_test_); gitleaks stripe-access-token. Paystack uses the same prefixes.
    name: 'Stripe secret or restricted key (sk_live_, rk_live_, …)',
    prefixes: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
    regex: /(?<![A-Za-z0-9_])((?:sk|rk)_(?:live|test)_)[A-Za-z0-9]{10}[A-Za-z0-9]*/g,
    replace: keepFirst,
  },
  {
    // Webhook signing secrets: Stripe's `whsec_` (Stripe docs, "Check the webhook
    // signatures") and the Standard Webhooks spec's base64 `whsec_` secrets.
    name: 'webhook signing secret (whsec_)',
    prefixes: ['whsec_'],
    regex: /(?<![A-Za-z0-9_])(whsec_)[A-Za-z0-9+/=]{10}[A-Za-z0-9+/=]*/g,
    replace: keepFirst,
  },
  {
    // Square access tokens (production `EAAA`, legacy `sq0atp-`); gitleaks square-access-token.
    name: 'Square access token (EAAA, sq0atp-)',
    prefixes: ['eaaa', 'sq0atp-'],
    regex: /(?<![A-Za-z0-9_-])(EAAA|sq0atp-)[A-Za-z0-9_-]{22,60}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Square application secrets ("sq0csp-" + 43); gitleaks square-secret.
    name: 'Square application secret (sq0csp-)',
    prefixes: ['sq0csp-'],
    regex: /(?<![A-Za-z0-9_-])(sq0csp-)[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Shopify admin, custom-app and private-app access tokens and shared secrets (Shopify
    // docs, "Access tokens"); gitleaks shopify-*.
    name: 'Shopify token (shpat_, shpca_, shppa_, shpss_)',
    prefixes: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    regex: /(?<![A-Za-z0-9_])(shp(?:at|ca|pa|ss)_)[a-fA-F0-9]{32}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
  {
    // PayPal Braintree access tokens (`access_token$<env>$<merchant>$<32 hex>`); gitleaks
    // braintree-access-token.
    name: 'Braintree access token (access_token$production$)',
    prefixes: ['access_token$'],
    regex:
      /(?<![A-Za-z0-9_$])(access_token\$(?:production|sandbox)\$)[a-z0-9]{16}\$[a-f0-9]{32}(?![A-Za-z0-9_$])/g,
    replace: keepFirst,
  },
  {
    // Flutterwave secret keys ("FLWSECK-"/"FLWSECK_TEST-" + 32 + "-X", Flutterwave docs
    // "API keys"); gitleaks flutterwave-secret-key.
    name: 'Flutterwave secret key (FLWSECK-)',
    prefixes: ['flwseck'],
    regex: /(?<![A-Za-z0-9_-])(FLWSECK(?:_TEST)?-)[A-Za-z0-9]{32}-X(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Plaid access tokens (`access-<env>-<uuid>`, Plaid docs "Item access tokens"); gitleaks
    // plaid-api-token.
    name: 'Plaid access token (access-production-)',
    prefixes: ['access-sandbox-', 'access-development-', 'access-production-'],
    regex:
      /(?<![A-Za-z0-9_-])(access-(?:sandbox|development|production)-)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Duffel access tokens ("duffel_test_"/"duffel_live_" + 43); gitleaks duffel-api-token.
    name: 'Duffel access token (duffel_live_)',
    prefixes: ['duffel_'],
    regex: /(?<![A-Za-z0-9_=-])(duffel_(?:test|live)_)[A-Za-z0-9_=-]{43}(?![A-Za-z0-9_=-])/g,
    replace: keepFirst,
  },
  {
    // EasyPost production and test API keys ("EZAK"/"EZTK" + 54); gitleaks easypost-*.
    name: 'EasyPost API key (EZAK, EZTK)',
    prefixes: ['ezak', 'eztk'],
    regex: /(?<![A-Za-z0-9])(EZ[AT]K)[A-Za-z0-9]{54}(?![A-Za-z0-9])/g,
    replace: keepFirst,
  },
  {
    // Shippo API tokens ("shippo_live_"/"shippo_test_" + 40 hex); gitleaks shippo-api-token.
    name: 'Shippo API token (shippo_live_)',
    prefixes: ['shippo_'],
    regex: /(?<![A-Za-z0-9_])(shippo_(?:live|test)_)[a-fA-F0-9]{40}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
];
