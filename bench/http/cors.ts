// The CORS part of the HTTP benchmark: the stacks, the options every CORS stack is given, the
// two kinds of request, and the check of each stack's answers (so a misconfigured stack, one
// that answers without doing the CORS work, fails the run instead of winning it).
import type { IncomingHttpHeaders } from 'node:http';

/** No CORS, bulwark's `cors`, the framework's usual CORS package. */
export const CORS_VARIANTS = ['cors-bare', 'cors-bulwark', 'cors-peer'] as const;
export type CorsVariant = (typeof CORS_VARIANTS)[number];

/**
 * What every CORS stack is configured with, in its own option names: these origins (the
 * request's is one of them), no credentials, these methods and exposed headers, this maxAge,
 * and the preflight's requested headers reflected (no allowedHeaders). The benchmark checks
 * each stack's answers against the same values.
 */
export const CORS_OPTIONS = {
  origins: ['https://app.example.com', 'https://admin.example.com', 'https://partner.example.org'],
  requestOrigin: 'https://admin.example.com',
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  exposedHeaders: ['RateLimit', 'RateLimit-Policy', 'Retry-After'],
  maxAge: 600,
} as const;

/** What one run sends: every request the same method and headers, and the status it expects. */
export interface RequestKind {
  readonly label: string;
  readonly title: string;
  readonly method: 'GET' | 'OPTIONS';
  readonly headers: Readonly<Record<string, string>>;
  readonly status: number;
  readonly preflight: boolean;
}

/** The headers the preflight asks for. */
export const REQUESTED_HEADERS = ['content-type', 'x-client-version'];

/** The two kinds of CORS request: a simple GET from an allowed origin, and a preflight. */
export const CORS_KINDS: readonly RequestKind[] = [
  {
    label: 'simple GET',
    title: `simple GET with an allowed Origin (${CORS_OPTIONS.requestOrigin})`,
    method: 'GET',
    headers: { origin: CORS_OPTIONS.requestOrigin },
    status: 200,
    preflight: false,
  },
  {
    label: 'preflight',
    title: `preflight (OPTIONS, Access-Control-Request-Method: PUT, Access-Control-Request-Headers: ${REQUESTED_HEADERS.join(', ')})`,
    method: 'OPTIONS',
    headers: {
      origin: CORS_OPTIONS.requestOrigin,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': REQUESTED_HEADERS.join(', '),
    },
    status: 204,
    preflight: true,
  },
];

/** A comma-separated header as lower-case names. */
const names = (value: string | string[] | undefined): string[] =>
  (Array.isArray(value) ? value.join(',') : (value ?? ''))
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
const sameNames = (value: string | string[] | undefined, expected: readonly string[]): boolean => {
  const got = new Set(names(value));
  return got.size === expected.length && expected.every((e) => got.has(e.toLowerCase()));
};

/**
 * What is wrong with a stack's answer to one kind of CORS request: a CORS stack must allow
 * the origin with exactly the configured exposed headers (simple) or methods, maxAge and the
 * requested headers (preflight), without credentials; the bare stack must send no CORS at all.
 * So a misconfigured stack cannot be timed doing less work.
 */
export function corsProblems(
  v: CorsVariant,
  kind: RequestKind,
  status: number,
  h: IncomingHttpHeaders,
): string[] {
  const problems: string[] = [];
  if (status !== kind.status) problems.push(`status ${status}, expected ${kind.status}`);
  const allowOrigin = h['access-control-allow-origin'];
  if (v === 'cors-bare') {
    if (allowOrigin !== undefined) problems.push(`Access-Control-Allow-Origin: ${allowOrigin}`);
    return problems;
  }
  const expect = (ok: boolean, header: string, wanted: string): void => {
    if (!ok) problems.push(`${header}: ${JSON.stringify(h[header] ?? null)}, expected ${wanted}`);
  };
  expect(
    allowOrigin === CORS_OPTIONS.requestOrigin,
    'access-control-allow-origin',
    CORS_OPTIONS.requestOrigin,
  );
  expect(names(h.vary).includes('origin'), 'vary', 'Origin among its fields');
  expect(
    h['access-control-allow-credentials'] === undefined,
    'access-control-allow-credentials',
    'none',
  );
  if (kind.preflight) {
    expect(
      sameNames(h['access-control-allow-methods'], CORS_OPTIONS.methods),
      'access-control-allow-methods',
      CORS_OPTIONS.methods.join(','),
    );
    expect(
      sameNames(h['access-control-allow-headers'], REQUESTED_HEADERS),
      'access-control-allow-headers',
      REQUESTED_HEADERS.join(', '),
    );
    expect(
      h['access-control-max-age'] === String(CORS_OPTIONS.maxAge),
      'access-control-max-age',
      String(CORS_OPTIONS.maxAge),
    );
  } else {
    expect(
      sameNames(h['access-control-expose-headers'], CORS_OPTIONS.exposedHeaders),
      'access-control-expose-headers',
      CORS_OPTIONS.exposedHeaders.join(', '),
    );
  }
  return problems;
}
