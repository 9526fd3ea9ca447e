/**
 * Credentials of infrastructure services: secret managers, infrastructure as code, databases,
 * observability, artifact stores. Sources are named per rule.
 */
import { crc32LittleEndianHex } from '../checksum.js';
import { keepFirst, whole, type TextPattern } from './types.js';

export const DEVOPS_PATTERNS: readonly TextPattern[] = [
  {
    // Doppler token formats (Doppler docs, "Token formats"); gitleaks doppler-api-token.
    name: 'Doppler token (dp.pt., dp.st., dp.ct., dp.sa., dp.scim., dp.audit.)',
    prefixes: ['dp.pt.', 'dp.st.', 'dp.ct.', 'dp.sa.', 'dp.scim.', 'dp.audit.'],
    regex: /(?<![A-Za-z0-9_.])(dp\.(?:pt|st|ct|sa|scim|audit)\.)[A-Za-z0-9]{40,44}(?![A-Za-z0-9])/g,
    replace: keepFirst,
  },
  {
    // Pulumi access tokens ("pul-" + 40 hex); gitleaks pulumi-api-token.
    name: 'Pulumi access token (pul-)',
    prefixes: ['pul-'],
    regex: /(?<![A-Za-z0-9_-])(pul-)[a-f0-9]{40}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // PlanetScale service tokens, passwords and OAuth tokens; gitleaks planetscale-*.
    name: 'PlanetScale token (pscale_tkn_, pscale_pw_, pscale_oauth_)',
    prefixes: ['pscale_'],
    regex:
      /(?<![A-Za-z0-9_=.-])(pscale_(?:tkn|pw|oauth)_)[A-Za-z0-9_=.-]{32,64}(?![A-Za-z0-9_=.-])/g,
    replace: keepFirst,
  },
  {
    // Databricks personal access tokens ("dapi" + 32 hex, optional "-N"); gitleaks
    // databricks-api-token.
    name: 'Databricks token (dapi)',
    prefixes: ['dapi'],
    regex: /(?<![A-Za-z0-9_-])(dapi)[a-f0-9]{32}(?:-[0-9])?(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // HashiCorp Vault service and batch tokens (Vault docs, "Tokens": `hvs.`, `hvb.`);
    // gitleaks vault-service-token / vault-batch-token.
    name: 'HashiCorp Vault token (hvs., hvb.)',
    prefixes: ['hvs.', 'hvb.'],
    regex: /(?<![A-Za-z0-9_.-])(hv[sb]\.)[A-Za-z0-9_-]{90,400}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // HCP Terraform / Terraform Enterprise API tokens (`<14>.atlasv1.<60-70>`); gitleaks
    // hashicorp-tf-api-token. The marker sits mid-token, so the whole token goes.
    name: 'Terraform Cloud API token (.atlasv1.)',
    prefixes: ['atlasv1.'],
    regex: /(?<![A-Za-z0-9_=.-])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])/g,
    replace: whole,
  },
  {
    // Grafana service account tokens: `glsa_` + 32 + `_` + the CRC-32 of `glsa_<32>` as
    // little-endian hex (grafana/grafana pkg/components/satokengen). Checksum verified.
    name: 'Grafana service account token (glsa_)',
    prefixes: ['glsa_'],
    regex: /(?<![A-Za-z0-9_])(glsa_)([A-Za-z0-9]{32})_([a-f0-9]{8})(?![A-Za-z0-9_])/g,
    replace: (r, match, prefix = '', secret = '', sum = '') =>
      crc32LittleEndianHex(prefix + secret) === sum ? prefix + r : match,
  },
  {
    // Grafana Cloud access policy tokens ("glc_" + base64); gitleaks grafana-cloud-api-token.
    name: 'Grafana Cloud token (glc_)',
    prefixes: ['glc_'],
    regex: /(?<![A-Za-z0-9_])(glc_)[A-Za-z0-9+/]{32}[A-Za-z0-9+/]*={0,3}/g,
    replace: keepFirst,
  },
  {
    // New Relic user API keys ("NRAK-" + 27); gitleaks new-relic-user-api-key.
    name: 'New Relic user API key (NRAK-)',
    prefixes: ['nrak-'],
    regex: /(?<![A-Za-z0-9_-])(NRAK-)[A-Za-z0-9]{27}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Sentry organization and user auth tokens (Sentry docs, "Auth Tokens"); gitleaks
    // sentry-org-token / sentry-user-token.
    name: 'Sentry auth token (sntrys_, sntryu_)',
    prefixes: ['sntrys_', 'sntryu_'],
    regex: /(?<![A-Za-z0-9_])(sntry[su]_)[A-Za-z0-9+/=_]{64}[A-Za-z0-9+/=_]*/g,
    replace: keepFirst,
  },
  {
    // Dynatrace tokens (`dt0c01.` + 24 + `.` + 64, Dynatrace docs "Access tokens");
    // gitleaks dynatrace-api-token.
    name: 'Dynatrace token (dt0c01.)',
    prefixes: ['dt0c01.'],
    regex: /(?<![A-Za-z0-9_.-])(dt0c01\.)[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}(?![A-Za-z0-9_.-])/g,
    replace: keepFirst,
  },
  {
    // 1Password service account tokens ("ops_" + base64 JSON); gitleaks
    // 1password-service-account-token.
    name: '1Password service account token (ops_)',
    prefixes: ['ops_'],
    regex: /(?<![A-Za-z0-9_])(ops_)eyJ[A-Za-z0-9+/]{250}[A-Za-z0-9+/]*={0,3}/g,
    replace: keepFirst,
  },
  {
    // 1Password account Secret Keys ("A3-" groups, 1Password "About your Secret Key");
    // gitleaks 1password-secret-key.
    name: '1Password secret key (A3-)',
    prefixes: ['a3-'],
    regex:
      /(?<![A-Za-z0-9-])(A3-)[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}(?![A-Za-z0-9-])/g,
    replace: keepFirst,
  },
  {
    // OpenShift OAuth access tokens ("sha256~" + 43); gitleaks openshift-user-token.
    name: 'OpenShift user token (sha256~)',
    prefixes: ['sha256~'],
    regex: /(?<![A-Za-z0-9_~-])(sha256~)[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // JFrog Artifactory API keys ("AKCp" + 69); gitleaks artifactory-api-key.
    name: 'JFrog Artifactory API key (AKCp)',
    prefixes: ['akcp'],
    regex: /(?<![A-Za-z0-9])(AKCp)[A-Za-z0-9]{69}(?![A-Za-z0-9])/g,
    replace: keepFirst,
  },
];
