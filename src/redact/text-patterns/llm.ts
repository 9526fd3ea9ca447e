/** Model-provider API keys. Sources are named per rule. */
import { keepFirst, type TextPattern } from './types.js';

export const LLM_PATTERNS: readonly TextPattern[] = [
  {
    // OpenAI project, service-account and admin keys (OpenAI docs, "API keys";
    // gitleaks openai-api-key). `sk-None-` is the form of keys made without a project.
    name: 'OpenAI API key (sk-proj-, sk-svcacct-, sk-admin-)',
    prefixes: ['sk-'],
    regex: /(?<![A-Za-z0-9_-])(sk-(?:proj|svcacct|admin|None)-)[A-Za-z0-9_-]{40}[A-Za-z0-9_-]*/g,
    replace: keepFirst,
  },
  {
    // OpenAI user keys before 2024: 20 + "T3BlbkFJ" (base64 of "OpenAI") + 20; gitleaks
    // openai-api-key.
    name: 'OpenAI legacy key (sk-…T3BlbkFJ…)',
    prefixes: ['sk-'],
    regex: /(?<![A-Za-z0-9_-])(sk-)[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Anthropic API, admin and Claude Code OAuth keys (sk-ant-api03-, sk-ant-admin01-,
    // sk-ant-oat01-, sk-ant-ort01-); gitleaks anthropic-api-key, anthropic-admin-api-key,
    // claude-code-oauth-token.
    name: 'Anthropic API key (sk-ant-)',
    prefixes: ['sk-'],
    regex:
      /(?<![A-Za-z0-9_-])(sk-ant-(?:api|admin|oat|ort)[0-9]{2}-)[A-Za-z0-9_-]{86}[A-Za-z0-9_-]*/g,
    replace: keepFirst,
  },
  {
    // OpenRouter keys ("sk-or-v1-" + 64 hex, OpenRouter docs "API keys").
    name: 'OpenRouter API key (sk-or-v1-)',
    prefixes: ['sk-'],
    regex: /(?<![A-Za-z0-9_-])(sk-or-v1-)[a-f0-9]{64}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // Hugging Face user and organization tokens ("hf_"/"api_org_" + 34 letters); gitleaks
    // huggingface-access-token, huggingface-organization-api-token.
    name: 'Hugging Face token (hf_, api_org_)',
    prefixes: ['hf_', 'api_org_'],
    regex: /(?<![A-Za-z0-9_])(hf_|api_org_)[A-Za-z]{34}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
  {
    // Groq API keys ("gsk_" + 52); gitleaks groq-api-key.
    name: 'Groq API key (gsk_)',
    prefixes: ['gsk_'],
    regex: /(?<![A-Za-z0-9_])(gsk_)[A-Za-z0-9]{52}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
  {
    // Replicate API tokens ("r8_" + 37, Replicate docs "API tokens"; trufflehog replicate).
    name: 'Replicate API token (r8_)',
    prefixes: ['r8_'],
    regex: /(?<![A-Za-z0-9_])(r8_)[A-Za-z0-9]{37}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
  {
    // Perplexity API keys ("pplx-" + 48); gitleaks perplexity-api-key.
    name: 'Perplexity API key (pplx-)',
    prefixes: ['pplx-'],
    regex: /(?<![A-Za-z0-9_-])(pplx-)[A-Za-z0-9]{48}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // xAI API keys ("xai-" + 80, xAI console; trufflehog xai).
    name: 'xAI API key (xai-)',
    prefixes: ['xai-'],
    regex: /(?<![A-Za-z0-9_-])(xai-)[A-Za-z0-9]{80}(?![A-Za-z0-9_-])/g,
    replace: keepFirst,
  },
  {
    // LangSmith personal and service keys ("lsv2_pt_"/"lsv2_sk_" + 32 hex + "_" + 10 hex);
    // gitleaks langsmith-api-key.
    name: 'LangSmith API key (lsv2_pt_, lsv2_sk_)',
    prefixes: ['lsv2_'],
    regex: /(?<![A-Za-z0-9_])(lsv2_(?:pt|sk)_)[a-f0-9]{32}_[a-f0-9]{10}(?![A-Za-z0-9_])/g,
    replace: keepFirst,
  },
];
