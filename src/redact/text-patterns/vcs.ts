/** Source hosting, CI and package-registry credentials. Sources are named per rule. */
import { hasBase62Crc32 } from '../checksum.js';
import { keepFirst, type TextPattern } from './types.js';

const GITLAB_KINDS = [
  'pat',
  'oas',
  'dt',
  'rt',
  'rtr',
  'cbt',
  'ptt',
  'ft',
  'imt',
  'agent',
  'soat',
  'ffct',
] as const;

export const VCS_PATTERNS: readonly TextPattern[] = [
  {
    // GitHub tokens (github.blog, "Behind GitHub's new authentication token formats", 2021):
    // 30 random base62 characters and a 6-character base62 CRC-32 of them, verified here, so a
    // 36-character body with a wrong checksum is a look-alike and stays. Longer bodies (GitHub
    // reserves up to 255 characters) and the `ghs_<app id>_<JWT>` installation tokens of 2026
    // carry no documented checksum and go on prefix and length alone.
    name: 'GitHub token (ghp_, gho_, ghu_, ghs_, ghr_)',
    prefixes: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    regex:
      /(?<![A-Za-z0-9_.-])(gh[pousr]_)(?:([0-9]{1,20}_[A-Za-z0-9_-]{20,2048}\.[A-Za-z0-9_-]{1,2048}\.[A-Za-z0-9_-]{1,2048})|([A-Za-z0-9_]{36,251}))(?![A-Za-z0-9_])/g,
    replace: (r, match, prefix = '', _jwt, classic) =>
      classic?.length === 36 && !hasBase62Crc32(classic) ? match : prefix + r,
  },
  {
    // Fine-grained personal access tokens (`github_pat_` + 22 + `_` + 59); gitleaks
    // github-fine-grained-pat.
    name: 'GitHub fine-grained token (github_pat_)',
    prefixes: ['github_pat_'],
    regex: /(?<![A-Za-z0-9_])(github_pat_)[A-Za-z0-9]{22}_[A-Za-z0-9]{59,221}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
  {
    // GitLab token prefixes (GitLab docs, "Token overview": glpat-, gloas-, gldt-, glrt-,
    // glcbt-, glptt-, glft-, glimt-, glagent-, glsoat-, glffct-), legacy 20-character and
    // routable (`.xx.yyyyyyy`-suffixed) bodies; gitleaks gitlab-*. An instance prefix such as
    // `SIE-glpat-` keeps working: `-` may precede the token.
    name: 'GitLab token (glpat-, gloas-, gldt-, glrt-, glcbt-, …)',
    prefixes: GITLAB_KINDS.map((k) => `gl${k}-`),
    regex: new RegExp(
      `(?<![A-Za-z0-9_])(gl(?:${GITLAB_KINDS.join('|')})-)[A-Za-z0-9_-]{20}[A-Za-z0-9_-]*(?:\\.[A-Za-z0-9]+){0,2}`,
      'g',
    ),
    replace: keepFirst,
  },
  {
    // GitLab runner registration tokens (deprecated, "GR1348941" + 20); gitleaks gitlab-rrt.
    name: 'GitLab runner registration token (GR1348941)',
    prefixes: ['gr1348941'],
    regex: /(?<![A-Za-z0-9_-])(GR1348941)[A-Za-z0-9_-]{20}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Bitbucket app passwords and API tokens ("ATBB" + 32); noseyparker / kingfisher rules.
    name: 'Bitbucket app password (ATBB)',
    prefixes: ['atbb'],
    regex: /(?<![A-Za-z0-9_=-])(ATBB)[A-Za-z0-9_=-]{32,64}(?![A-Za-z0-9_=-])/g,
    replace: keepFirst,
  },
  {
    // Atlassian (Jira, Confluence) API tokens ("ATATT3" + 186); gitleaks atlassian-api-token.
    name: 'Atlassian API token (ATATT3)',
    prefixes: ['atatt3'],
    regex: /(?<![A-Za-z0-9_=-])(ATATT3)[A-Za-z0-9_=-]{186}(?![A-Za-z0-9_=-])/g,
    replace: keepFirst,
  },
  {
    // npm access tokens follow GitHub's format, checksum included (github.blog, "Announcing
    // npm's new access token format", 2021). Checksum verified.
    name: 'npm access token (npm_)',
    prefixes: ['npm_'],
    regex: /(?<![A-Za-z0-9_])(npm_)([A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
    replace: (r, match, prefix = '', body = '') => (hasBase62Crc32(body) ? prefix + r : match),
  },
  {
    // PyPI API tokens are macaroons whose base64 starts with the issuer, pypi.org or
    // test.pypi.org (PyPI docs, "API tokens"); gitleaks pypi-upload-token.
    name: 'PyPI token (pypi-AgEIcHlwaS5vcmc…)',
    prefixes: ['pypi-'],
    regex:
      /(?<![A-Za-z0-9_-])(pypi-)(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50}[A-Za-z0-9_-]*/g,
    replace: keepFirst,
  },
  {
    // RubyGems API keys ("rubygems_" + 48 hex); gitleaks rubygems-api-token.
    name: 'RubyGems API key (rubygems_)',
    prefixes: ['rubygems_'],
    regex: /(?<![A-Za-z0-9_])(rubygems_)[a-f0-9]{48}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
  {
    // Docker Hub personal and organization access tokens (Docker docs, "Personal access
    // tokens": `dckr_pat_`; `dckr_oat_`).
    name: 'Docker Hub access token (dckr_pat_, dckr_oat_)',
    prefixes: ['dckr_pat_', 'dckr_oat_'],
    regex: /(?<![A-Za-z0-9_-])(dckr_(?:pat|oat)_)[A-Za-z0-9_-]{27,64}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Clojars deploy tokens ("CLOJARS_" + 60); gitleaks clojars-api-token.
    name: 'Clojars deploy token (CLOJARS_)',
    prefixes: ['clojars_'],
    regex: /(?<![A-Za-z0-9_])(CLOJARS_)[A-Za-z0-9]{60}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
  {
    // SonarQube 9.5+ user, project and global analysis tokens (SonarQube docs, "Managing
    // your tokens": squ_, sqp_, sqa_ + 40 hex).
    name: 'SonarQube token (squ_, sqp_, sqa_)',
    prefixes: ['squ_', 'sqp_', 'sqa_'],
    regex: /(?<![A-Za-z0-9_])(sq[upa]_)[a-f0-9]{40}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
  {
    // Sourcegraph access tokens ("sgp_", optional instance id); gitleaks
    // sourcegraph-access-token.
    name: 'Sourcegraph access token (sgp_)',
    prefixes: ['sgp_'],
    regex: /(?<![A-Za-z0-9_])(sgp_)(?:[a-f0-9]{16}_|local_)?[a-f0-9]{40}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
  {
    // Postman API keys ("PMAK-" + 24 + "-" + 34 hex); gitleaks postman-api-token.
    name: 'Postman API key (PMAK-)',
    prefixes: ['pmak-'],
    regex: /(?<![A-Za-z0-9_-])(PMAK-)[a-fA-F0-9]{24}-[a-fA-F0-9]{34}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Linear API keys ("lin_api_" + 40); gitleaks linear-api-key.
    name: 'Linear API key (lin_api_)',
    prefixes: ['lin_api_'],
    regex: /(?<![A-Za-z0-9_])(lin_api_)[A-Za-z0-9]{40}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
  {
    // Notion integration tokens since 2024 ("ntn_" + 11 digits + 35); gitleaks notion-api-token.
    name: 'Notion integration token (ntn_)',
    prefixes: ['ntn_'],
    regex: /(?<![A-Za-z0-9_])(ntn_)[0-9]{11}[A-Za-z0-9]{35}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
  {
    // Prefect Cloud API keys ("pnu_" + 36); gitleaks prefect-api-token.
    name: 'Prefect API key (pnu_)',
    prefixes: ['pnu_'],
    regex: /(?<![A-Za-z0-9_])(pnu_)[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
];
