import { reportMisuse } from '../log/misuse.js';
import { describeError } from '../util/describe-error.js';
import { isPromise } from '../util/maybe-promise.js';
import type { MaybePromise } from '../util/maybe-promise.js';
import { HTTP_TOKEN, corsSettings } from './options.js';
import type { CorsSettings } from './options.js';
import { MAX_ORIGIN_LENGTH, normalizeOrigin } from './origin.js';
import type { CorsOptions, CorsOutcome, CorsRequest } from './types.js';

/** A compiled CORS policy: everything precomputed, one decision per request. */
export interface CorsPolicy<Req> {
  /**
   * The outcome for one request: the CORS headers, the `Vary` fields and whether to answer
   * a preflight now. Synchronous unless `origins` is a function that returns a promise.
   * Never throws because of what a client sent: a malformed, repeated or oversized `Origin`
   * is a disallowed origin.
   */
  decide(request: CorsRequest, req: Req): MaybePromise<CorsOutcome>;
  /** Whether answers depend on the request's origin (everything but a plain `'*'`). */
  readonly dynamic: boolean;
  /** Whether preflights are answered (not passed on with `preflightContinue`). */
  readonly answersPreflights: boolean;
}

/** What an allowed origin gets: precomputed once per origin. */
interface Allowed {
  readonly actual: CorsOutcome;
  readonly preflight: Readonly<Record<string, string>>;
  /**
   * Preflight answers already built, by the requested-headers text as sent (`''` for none),
   * one map without and one with the private-network request: a browser sends the same few
   * lists again and again.
   */
  readonly preflights: readonly [Map<string, CorsOutcome>, Map<string, CorsOutcome>];
}

/** Preflight answers kept per allowed origin and kind, before the cache starts over. */
const MAX_PREFLIGHT_ANSWERS = 64;

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** Preflight requests name at most this many headers before the list is not reflected. */
const MAX_REQUESTED_HEADERS = 64;
const MAX_REQUESTED_LENGTH = 2048;
/** Pattern- or function-allowed origins whose headers are kept ready. */
const MAX_REMEMBERED = 1000;

/**
 * The headers a preflight asks for (`Access-Control-Request-Headers`), to be allowed back:
 * each one a valid token, lower-cased and listed once. A list with anything else in it (a
 * stray quote, a line break, thousands of names) is not reflected at all, so the browser
 * refuses the request.
 */
function requestedHeaders(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : value.join(',');
  if (text.length > MAX_REQUESTED_LENGTH) return undefined;
  const names: string[] = [];
  for (const part of text.split(',')) {
    const name = part.trim().toLowerCase();
    if (name === '') continue;
    if (!HTTP_TOKEN.test(name)) return undefined;
    if (!names.includes(name)) names.push(name);
    if (names.length > MAX_REQUESTED_HEADERS) return undefined;
  }
  return names.length === 0 ? undefined : names.join(', ');
}

/** The single `Origin` a request carries, or undefined (none, or several: refused). */
function originHeader(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return value.length === 1 ? value[0] : undefined;
}

class Policy<Req> implements CorsPolicy<Req> {
  readonly dynamic: boolean;
  readonly answersPreflights: boolean;
  readonly #s: CorsSettings<Req>;
  /**
   * Allowed origins by their normalized form: the exact list, then the pattern matches seen
   * (a pattern's answer depends on the origin alone, so it is kept).
   */
  readonly #allowed = new Map<string, Allowed>();
  /**
   * Entries for origins the function allowed. Only the headers are kept: the function is
   * asked on every request, since its answer may depend on the request.
   */
  readonly #asked = new Map<string, Allowed>();
  readonly #wildcard: Allowed | undefined;
  readonly #refused: CorsOutcome;
  readonly #refusedPreflight: CorsOutcome;
  readonly #preflightVary: string | undefined;

  constructor(settings: CorsSettings<Req>) {
    this.#s = settings;
    this.dynamic = !settings.any;
    this.answersPreflights = !settings.preflightContinue;
    const reflect = settings.allowedHeaders === undefined;
    const preflightFields = [
      ...(settings.any ? [] : ['Origin']),
      ...(reflect ? ['Access-Control-Request-Headers'] : []),
      ...(settings.privateNetwork ? ['Access-Control-Request-Private-Network'] : []),
    ];
    this.#preflightVary = preflightFields.length === 0 ? undefined : preflightFields.join(', ');
    this.#refused = Object.freeze({ headers: NO_HEADERS, vary: 'Origin', preflight: false });
    this.#refusedPreflight = Object.freeze({
      headers: NO_HEADERS,
      vary: this.#preflightVary,
      preflight: !settings.preflightContinue,
    });
    if (settings.any) this.#wildcard = this.#entry('*');
    for (const origin of settings.exact) this.#allowed.set(origin, this.#entry(origin));
  }

  #entry(origin: string): Allowed {
    const s = this.#s;
    const common: Record<string, string> = { 'Access-Control-Allow-Origin': origin };
    if (s.credentials) common['Access-Control-Allow-Credentials'] = 'true';
    const actual: Record<string, string> = { ...common };
    if (s.exposedHeaders !== undefined) actual['Access-Control-Expose-Headers'] = s.exposedHeaders;
    const preflight: Record<string, string> = {
      ...common,
      'Access-Control-Allow-Methods': s.methods,
    };
    if (s.allowedHeaders !== undefined) {
      preflight['Access-Control-Allow-Headers'] = s.allowedHeaders;
    }
    if (s.maxAge !== undefined) preflight['Access-Control-Max-Age'] = s.maxAge;
    return {
      actual: Object.freeze({
        headers: Object.freeze(actual),
        vary: s.any ? undefined : 'Origin',
        preflight: false,
      }),
      preflight: Object.freeze(preflight),
      preflights: [new Map(), new Map()],
    };
  }

  /** The entry of an origin a pattern (into `#allowed`) or the function (into `#asked`) allowed. */
  #remember(cache: Map<string, Allowed>, origin: string): Allowed {
    let entry = cache.get(origin);
    if (entry === undefined) {
      entry = this.#entry(origin);
      // The distinct origins a pattern or function allows are unbounded (every subdomain):
      // past a bound the cache starts over, rather than growing with what clients send.
      if (cache.size >= MAX_REMEMBERED + this.#s.exact.length) {
        cache.clear();
        if (cache === this.#allowed) {
          for (const exact of this.#s.exact) cache.set(exact, this.#entry(exact));
        }
      }
      cache.set(origin, entry);
    }
    return entry;
  }

  #answer(entry: Allowed | undefined, request: CorsRequest, isPreflight: boolean): CorsOutcome {
    if (!isPreflight) return entry === undefined ? this.#refused : entry.actual;
    if (entry === undefined) return this.#refusedPreflight;
    const s = this.#s;
    const asked = request.headers['access-control-request-headers'];
    const text = asked === undefined ? '' : typeof asked === 'string' ? asked : asked.join(',');
    const privateNetwork =
      s.privateNetwork && request.headers['access-control-request-private-network'] === 'true';
    const cache = entry.preflights[privateNetwork ? 1 : 0];
    // With a fixed allowedHeaders list the answer does not depend on what was asked.
    const key = s.allowedHeaders === undefined ? text : '';
    const known = cache.get(key);
    if (known !== undefined) return known;
    let headers = entry.preflight;
    if (s.allowedHeaders === undefined) {
      const allowed = requestedHeaders(text === '' ? undefined : text);
      if (allowed !== undefined) headers = { ...headers, 'Access-Control-Allow-Headers': allowed };
    }
    if (privateNetwork) headers = { ...headers, 'Access-Control-Allow-Private-Network': 'true' };
    const outcome: CorsOutcome = Object.freeze({
      headers,
      vary: this.#preflightVary,
      preflight: !s.preflightContinue,
    });
    // Requested-header lists are the client's to vary: the cache starts over past a bound.
    if (cache.size >= MAX_PREFLIGHT_ANSWERS) cache.clear();
    cache.set(key, outcome);
    return outcome;
  }

  #ask(origin: string, req: Req): MaybePromise<boolean> {
    const test = this.#s.test;
    if (test === undefined) return false;
    let result: boolean | Promise<boolean>;
    try {
      result = test(origin, req);
    } catch (error: unknown) {
      return this.#failed(`threw (${describeError(error)})`);
    }
    if (!isPromise(result)) return this.#checked(result);
    return result.then(
      (value) => this.#checked(value),
      (error: unknown) => this.#failed(`threw (${describeError(error)})`),
    );
  }

  #checked(value: unknown): boolean {
    if (value === true || value === false) return value;
    return this.#failed(`returned ${typeof value}`);
  }

  #failed(problem: string): false {
    reportMisuse(
      this.#s.logger,
      'misuse.cors_origin',
      problem.startsWith('threw') ? 'threw' : problem,
      `the cors origins function ${problem}, so the origin was refused; return true or false`,
    );
    return false;
  }

  decide(request: CorsRequest, req: Req): MaybePromise<CorsOutcome> {
    const { headers } = request;
    const isPreflight =
      request.method === 'OPTIONS' &&
      headers.origin !== undefined &&
      headers['access-control-request-method'] !== undefined;
    const wildcard = this.#wildcard;
    if (wildcard !== undefined) return this.#answer(wildcard, request, isPreflight);
    const raw = originHeader(headers.origin);
    if (raw === undefined) return isPreflight ? this.#refusedPreflight : this.#refused;
    // Browsers send the serialized form, which is how allowed origins are kept: one lookup.
    const known = this.#allowed.get(raw);
    if (known !== undefined) return this.#answer(known, request, isPreflight);
    const origin = raw.length > MAX_ORIGIN_LENGTH ? undefined : normalizeOrigin(raw);
    // `null` is allowed only when listed, and then it was found above.
    if (origin === undefined || origin === 'null')
      return this.#answer(undefined, request, isPreflight);
    const listed = this.#allowed.get(origin);
    if (listed !== undefined) return this.#answer(listed, request, isPreflight);
    for (const pattern of this.#s.patterns) {
      if (pattern.test(origin)) {
        return this.#answer(this.#remember(this.#allowed, origin), request, isPreflight);
      }
    }
    const verdict = this.#ask(origin, req);
    const settle = (yes: boolean): CorsOutcome =>
      this.#answer(yes ? this.#remember(this.#asked, origin) : undefined, request, isPreflight);
    return isPromise(verdict) ? verdict.then(settle) : settle(verdict);
  }
}

/**
 * A CORS policy with its options validated and every header value computed once (a bad
 * option throws a `TypeError` saying what to write). Adapters call `decide` per request.
 */
export function compileCors<Req = unknown>(options: CorsOptions<Req>): CorsPolicy<Req> {
  return new Policy(corsSettings(options));
}
