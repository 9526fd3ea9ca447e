import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTextRedactor, redactText } from 'bulwark';
import {
  BUILTIN_PATTERNS,
  PREFIXES,
  selectPatterns,
  TRIGGER,
  WORDS,
} from '../../src/redact/text-patterns/index.js';
import { mayContainSecret } from '../../src/redact/text.js';
import { FORMAT_CASES } from '../fixtures/secret-formats.js';
import { ALNUM, base62Token, body } from '../fixtures/tokens.js';

const names = BUILTIN_PATTERNS.map((p) => p.name);

describe('built-in format catalogue', () => {
  it('knows at least 50 distinct formats, each with a test row', () => {
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(50);
    expect(FORMAT_CASES.map((c) => c.name).sort()).toEqual([...names].sort());
  });

  it('lists every format in docs/reference/secret-formats.md', () => {
    const doc = readFileSync(
      new URL('../../docs/reference/secret-formats.md', import.meta.url),
      'utf8',
    );
    const row = (name: string): RegExp =>
      new RegExp(`\\| ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +\\|`);
    for (const name of names) expect(doc, name).toMatch(row(name));
  });

  it('gives every pattern a global regex and at least one lower-case literal', () => {
    for (const p of BUILTIN_PATTERNS) {
      expect(p.regex.global, p.name).toBe(true);
      const literals = [...(p.words ?? []), ...(p.prefixes ?? [])];
      expect(literals.length, p.name).toBeGreaterThan(0);
      for (const l of literals) expect(l, p.name).toBe(l.toLowerCase());
    }
  });

  it('keeps words and prefixes apart, so one position never hides another literal', () => {
    // At one position the scan reports a word before a prefix; a prefix that extended a word
    // would then go unseen.
    for (const w of WORDS)
      for (const p of PREFIXES) expect(p.startsWith(w), `${p} / ${w}`).toBe(false);
  });

  it('has no literal inside the default replacement or the URL mask', () => {
    for (const r of ['[REDACTED]', '***', '***@']) expect(TRIGGER.test(r), r).toBe(false);
  });
});

describe.each(FORMAT_CASES)('$name', (c) => {
  it('scrubs a realistic credential, idempotently', () => {
    const out = redactText(c.text);
    expect(out).not.toContain(c.secret);
    expect(out).not.toContain('LEAK');
    expect(out).not.toBe(c.text);
    expect(redactText(out)).toBe(out);
  });

  it('is woken by the combined scan', () => {
    expect(mayContainSecret(c.text)).toBe(true);
    const i = names.indexOf(c.name);
    expect(selectPatterns(c.text)).toContain(i);
  });

  it('leaves near-misses alone', () => {
    for (const text of c.nearMisses) expect(redactText(text)).toBe(text);
  });

  it('scrubs with any replacement, including an empty one', () => {
    expect(redactText(c.text, { replacement: '<x>' })).not.toContain(c.secret);
    expect(redactText(c.text, { replacement: '' })).not.toContain(c.secret);
    const withLiteral = createTextRedactor({ replacement: 'token' });
    expect(withLiteral(c.text)).not.toContain(c.secret);
  });
});

describe('GitHub token forms', () => {
  it('verifies the checksum of every classic kind', () => {
    for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']) {
      const token = base62Token(prefix, body(ALNUM, 30, 'LEAK', prefix.charCodeAt(2)));
      expect(redactText(`x ${token}.`)).toBe(`x ${prefix}[REDACTED].`);
      const bad = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
      expect(redactText(`x ${bad}.`)).toBe(`x ${bad}.`);
    }
  });

  it('takes the longer bodies GitHub reserves and the ghs_<app id>_<JWT> form without one', () => {
    expect(redactText(`ghs_${body(ALNUM, 80)}`)).toBe('ghs_[REDACTED]');
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${body(ALNUM, 60)}.${body(ALNUM, 40, '', 3)}`;
    expect(redactText(`token: ghs_123456_${jwt} ok`)).not.toContain('LEAK');
    expect(redactText(`auth ghs_123456_${jwt} ok`)).toBe('auth ghs_[REDACTED] ok');
  });

  it('does not take a token glued to a word', () => {
    const token = base62Token('ghp_', body(ALNUM, 30));
    expect(redactText(`x${token}`)).toBe(`x${token}`);
    expect(redactText(`x_${token}`)).toBe(`x_${token}`);
  });
});

describe('more forms of the same formats', () => {
  it.each([
    [
      'GitLab routable token',
      `glpat-${body(ALNUM, 27)}.01.${body(ALNUM, 7, '', 2)}`,
      'glpat-[REDACTED]',
    ],
    ['GitLab instance prefix', `SIE-glpat-${body(ALNUM, 20)}`, 'SIE-glpat-[REDACTED]'],
    ['GitLab deploy token', `gldt-${body(ALNUM, 20)}`, 'gldt-[REDACTED]'],
    ['Slack config token', `xoxe.xoxp-1-${body(ALNUM, 40)}`, 'xoxe.xoxp-[REDACTED]'],
    [
      'Slack workflow',
      `https://hooks.slack.com/workflows/${body(ALNUM, 40)}`,
      'https://hooks.slack.com/workflows/[REDACTED]',
    ],
    [
      'Discord v10 webhook',
      `https://ptb.discord.com/api/v10/webhooks/123456789012345678/${body(ALNUM, 68)}`,
      'https://ptb.discord.com/api/v10/webhooks/123456789012345678/[REDACTED]',
    ],
    ['Anthropic admin key', `sk-ant-admin01-${body(ALNUM, 93)}AA`, 'sk-ant-admin01-[REDACTED]'],
    ['Claude Code OAuth token', `sk-ant-oat01-${body(ALNUM, 95)}`, 'sk-ant-oat01-[REDACTED]'],
    ['OpenAI service account', `sk-svcacct-${body(ALNUM, 120)}`, 'sk-svcacct-[REDACTED]'],
    ['Hugging Face org token', `api_org_${body(ALNUM.slice(0, 52), 34)}`, 'api_org_[REDACTED]'],
    ['Vault batch token', `hvb.${body(ALNUM, 140)}`, 'hvb.[REDACTED]'],
    ['Fly.io macaroon', `FlyV1 fm2_${body(ALNUM, 200)}`, 'FlyV1 fm2_[REDACTED]'],
    ['Square legacy token', `sq0atp-${body(ALNUM, 22)}`, 'sq0atp-[REDACTED]'],
    ['Stripe restricted test key', `rk_test_${body(ALNUM, 24)}`, 'rk_test_[REDACTED]'],
    ['Shopify shared secret', `shpss_${body('0123456789abcdef', 32)}`, 'shpss_[REDACTED]'],
    ['test.pypi.org token', `pypi-AgENdGVzdC5weXBpLm9yZw${body(ALNUM, 60)}`, 'pypi-[REDACTED]'],
    ['Docker org token', `dckr_oat_${body(ALNUM, 32)}`, 'dckr_oat_[REDACTED]'],
    [
      'Brevo SMTP key',
      `xsmtpsib-${body('0123456789abcdef', 64)}-${body(ALNUM, 16)}`,
      'xsmtpsib-[REDACTED]',
    ],
    ['Telegram token alone', `123456789:AA${body(ALNUM, 33)}`, '123456789:[REDACTED]'],
    ['Basic, lower case', `basic ${btoa('u:LEAK')}`, 'basic [REDACTED]'],
  ])('%s', (_name, text, expected) => {
    expect(redactText(text)).toBe(expected);
  });
});
