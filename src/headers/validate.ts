import type { CspDirectives, HstsOptions } from './types.js';

/**
 * Header values must be visible ASCII, spaces and tabs (RFC 9110 section 5.5). A CR or LF
 * in a configured value would split the response (header injection); NUL and other
 * controls are rejected by Node or mangled by proxies. Checked once, at creation.
 */
const FIELD_VALUE = /^[\x20-\x7e\t]*$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function fail(header: string, problem: string, instead: string): never {
  throw new TypeError(`bulwark: ${header}: ${problem}; ${instead}.`);
}

export function checkFieldValue(header: string, value: string): string {
  if (!FIELD_VALUE.test(value)) {
    let code = 0;
    for (const c of value) {
      if (!FIELD_VALUE.test(c)) {
        code = c.codePointAt(0) ?? 0;
        break;
      }
    }
    const what =
      code === 0x0d
        ? 'CR'
        : code === 0x0a
          ? 'LF'
          : code === 0
            ? 'NUL'
            : code < 0x20 || code === 0x7f
              ? 'a control character'
              : 'a non-ASCII character';
    fail(
      header,
      `the value contains ${what} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`,
      'write the value on one line using printable ASCII only',
    );
  }
  const trimmed = value.trim();
  if (trimmed === '') {
    fail(header, 'the value is empty', 'write false to send no header, or give a value');
  }
  return trimmed;
}

export function checkHeaderName(name: string): void {
  if (!TOKEN.test(name)) {
    fail(
      `custom header ${JSON.stringify(name)}`,
      'the name is not a valid HTTP field name',
      'use letters, digits and hyphens, such as X-My-Header',
    );
  }
}

function oneOf(header: string, value: string, allowed: readonly string[]): string {
  const lower = value.toLowerCase();
  const hit = allowed.find((a) => a.toLowerCase() === lower);
  if (hit === undefined) {
    fail(
      header,
      `${JSON.stringify(value)} is not a valid value`,
      `write one of ${allowed.join(', ')}`,
    );
  }
  return hit;
}

// CSP keywords are only keywords when single-quoted (CSP3 section 2.3.1); unquoted, `self`
// is read as a host name called "self" and the policy silently allows nothing useful, or
// worse, something unintended.
const CSP_KEYWORDS = new Set([
  'self',
  'none',
  'unsafe-inline',
  'unsafe-eval',
  'unsafe-hashes',
  'unsafe-allow-redirects',
  'strict-dynamic',
  'report-sample',
  'wasm-unsafe-eval',
  'inline-speculation-rules',
]);
const CSP_QUOTED_PREFIX = /^(nonce|sha256|sha384|sha512)-/i;
const CSP_DIRECTIVE_NAME = /^[a-z][a-z0-9-]*$/;

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function checkCspSource(header: string, directive: string, source: string): string {
  if (source === '' || /[;,\s]/.test(source)) {
    fail(
      header,
      `the source ${JSON.stringify(source)} in ${directive} is empty or contains ';', ',' or whitespace`,
      'give each source as its own list item',
    );
  }
  if (CSP_KEYWORDS.has(source.toLowerCase()) || CSP_QUOTED_PREFIX.test(source)) {
    fail(
      header,
      `the keyword ${source} in ${directive} must be single-quoted`,
      `write "'${source}'"`,
    );
  }
  return source;
}

function checkCspDirective(header: string, name: string, sources: readonly string[]): string {
  if (!CSP_DIRECTIVE_NAME.test(name)) {
    fail(
      header,
      `${JSON.stringify(name)} is not a directive name`,
      "write a name such as 'default-src'",
    );
  }
  for (const s of sources) checkCspSource(header, name, s);
  return sources.length === 0 ? name : `${name} ${sources.join(' ')}`;
}

/** A Content-Security-Policy value from a string or directives, validated. */
export function formatCsp(header: string, value: string | CspDirectives): string {
  const parts: string[] = [];
  if (typeof value === 'string') {
    checkFieldValue(header, value);
    for (const raw of value.split(';')) {
      const tokens = raw.trim().split(/\s+/).filter(Boolean);
      const [name, ...sources] = tokens;
      if (name !== undefined) parts.push(checkCspDirective(header, name.toLowerCase(), sources));
    }
  } else {
    for (const [key, v] of Object.entries(value)) {
      const sources = v === true ? [] : typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : v;
      parts.push(checkCspDirective(header, kebab(key), sources));
    }
  }
  if (parts.length === 0) {
    fail(header, 'the policy has no directives', "write at least one, such as default-src 'self'");
  }
  return checkFieldValue(header, parts.join('; '));
}

const ONE_YEAR_SECONDS = 31_536_000;

/** A Strict-Transport-Security value (RFC 6797 section 6.1), validated. */
export function formatHsts(header: string, value: string | HstsOptions): string {
  let maxAge: number;
  let includeSubDomains = false;
  let preload = false;
  if (typeof value === 'string') {
    checkFieldValue(header, value);
    let seen = false;
    maxAge = NaN;
    for (const raw of value.split(';')) {
      const d = raw.trim();
      if (d === '') continue;
      const m = /^max-age\s*=\s*"?(\d+)"?$/i.exec(d);
      if (m?.[1] !== undefined) {
        if (seen) fail(header, 'max-age is given twice', 'give it once');
        seen = true;
        maxAge = Number(m[1]);
      } else if (/^includesubdomains$/i.test(d)) includeSubDomains = true;
      else if (/^preload$/i.test(d)) preload = true;
      else
        fail(
          header,
          `${JSON.stringify(d)} is not a valid directive`,
          'write max-age=<seconds>, optionally with includeSubDomains and preload',
        );
    }
    if (!seen) fail(header, 'max-age is missing', 'write max-age=31536000; includeSubDomains');
  } else {
    maxAge = value.maxAge;
    includeSubDomains = value.includeSubDomains ?? false;
    preload = value.preload ?? false;
  }
  if (!Number.isSafeInteger(maxAge) || maxAge < 0) {
    fail(
      header,
      `max-age ${String(maxAge)} is not a whole number of seconds`,
      'write a whole number of seconds such as 31536000 (one year)',
    );
  }
  if (preload && (!includeSubDomains || maxAge < ONE_YEAR_SECONDS)) {
    fail(
      header,
      'preload needs includeSubDomains and a max-age of at least one year',
      'write max-age=31536000; includeSubDomains; preload, or drop preload',
    );
  }
  return `max-age=${maxAge}${includeSubDomains ? '; includeSubDomains' : ''}${preload ? '; preload' : ''}`;
}

const REFERRER_TOKENS = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
];

export function formatReferrerPolicy(header: string, value: string | readonly string[]): string {
  const tokens = typeof value === 'string' ? value.split(',') : value;
  const out = tokens.map((t) => oneOf(header, checkFieldValue(header, t), REFERRER_TOKENS));
  if (out.length === 0) fail(header, 'no policy given', 'write strict-origin-when-cross-origin');
  return out.join(', ');
}

export function formatXFrameOptions(header: string, value: string): string {
  const v = checkFieldValue(header, value);
  if (/^allow-from/i.test(v)) {
    fail(
      header,
      'ALLOW-FROM is obsolete and ignored by current browsers',
      'write DENY or SAMEORIGIN, and use contentSecurityPolicy frame-ancestors to allow specific origins',
    );
  }
  return oneOf(header, v, ['DENY', 'SAMEORIGIN']);
}

export function formatChoice(header: string, value: string, allowed: readonly string[]): string {
  return oneOf(header, checkFieldValue(header, value), allowed);
}
