import { Readable } from 'node:stream';
import { isPromise, renderRejection, reportOnRejectFailure } from 'bulwark';
import type {
  BulwarkError,
  CompiledSecurityHeaders,
  HeaderAccess,
  HeaderBag,
  LoggerLike,
  MaybePromise,
} from 'bulwark';

/**
 * Translation between the Fetch standard's `Request`/`Response`/`Headers` and the core's
 * plain values, shared by the adapters whose framework speaks Fetch (`bulwark/fetch`,
 * `bulwark/hono`). Translation only: every decision stays in the core.
 */

/**
 * A Fetch request's headers as the core reads them. `Headers` already lowers every name and
 * joins a repeated header with `, ` (the Fetch standard's "combine"), so a second
 * Content-Length arrives as `5, 5`, which the core's framing check refuses as it refuses two
 * lines.
 */
export function webRequestHeaders(headers: Headers): HeaderBag {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

// One Node stream per Request: a payloadLimit and a verifyWebhook on one request read one
// body once (the core remembers the bytes on the stream it read), as on Node's frameworks.
const streams = new WeakMap<Request, Readable>();

/**
 * A stream that reads as already consumed, at once, for a body someone else read first: one
 * byte pushed and read (Node ignores an empty chunk, which would leave the stream looking
 * unread, and the body empty).
 */
function consumedStream(): Readable {
  const stream = new Readable({ read: () => undefined });
  stream.push(Buffer.alloc(1));
  stream.push(null);
  stream.read();
  return stream;
}

/**
 * The request body as a Node stream for the core's limited reader, which counts bytes as
 * they arrive and stops at the limit: never `request.text()` or `arrayBuffer()`, which buffer
 * the whole body first and decode it. A body another reader already used (`bodyUsed`)
 * yields a stream the core refuses as consumed, with the misuse logged, instead of checking
 * a signature against nothing.
 */
export function webBodyStream(request: Request): Readable {
  const known = streams.get(request);
  if (known !== undefined) return known;
  let stream: Readable;
  // A locked body has a reader already: someone else is reading it, even if nothing was read yet.
  if (request.bodyUsed || request.body?.locked === true) stream = consumedStream();
  else if (request.body === null) stream = Readable.from([]);
  else stream = Readable.fromWeb(request.body);
  streams.set(request, stream);
  return stream;
}

/**
 * The request target as sent, `/path?query`, from the request URL (the schemes that sign
 * the URL, Twilio's, need it). A Fetch request URL is absolute and never has a fragment.
 */
export function webRequestTarget(request: Request): string {
  const { url } = request;
  const start = url.indexOf('//');
  const slash = url.indexOf('/', start === -1 ? 0 : start + 2);
  if (slash !== -1) return url.slice(slash);
  const query = url.indexOf('?', start === -1 ? 0 : start + 2);
  return query === -1 ? '/' : `/${url.slice(query)}`;
}

/** Header access on a Fetch `Headers` object, for the core's `applySecurityHeaders`. */
export const webHeaders: HeaderAccess<Headers> = {
  get: (headers, name) => headers.get(name) ?? undefined,
  set: (headers, name, value) => {
    headers.set(name, value);
  },
  remove: (headers, name) => {
    headers.delete(name);
  },
};

// The names a response carries, read in one pass before a fill; reused, as a fill is
// synchronous and nothing else writes it (it holds header names only, never values).
const carried: string[] = [];
// Names as Fetch stores them (lower case), for the few distinct names a fill is given.
const loweredNames = new Map<string, string>();

function lowered(name: string): string {
  let low = loweredNames.get(name);
  if (low === undefined) {
    low = name.toLowerCase();
    // Bounded: rate-limit and CORS field names are a handful; anything else is lowered anew.
    if (loweredNames.size < 256) loweredNames.set(name, low);
  }
  return low;
}

/**
 * Reads the names a response carries into `carried`, in one pass, instead of a `has()` per
 * header: on Node each `has()` checks and lowers its name again (about 80 ns, a tenth of
 * all bulwark does on a Hono request), and a pass over an answer's few headers costs about
 * two of them. Returns how many.
 */
function readCarried(headers: Headers): number {
  let count = 0;
  for (const name of headers.keys()) carried[count++] = name;
  return count;
}

function carries(count: number, name: string): boolean {
  for (let i = 0; i < count; i++) if (carried[i] === name) return true;
  return false;
}

/** Sets each of `values` not among the first `count` carried names; returns the new count. */
function fillCarried(
  headers: Headers,
  count: number,
  values: Readonly<Record<string, string | undefined>>,
): number {
  let n = count;
  for (const name in values) {
    const value = values[name];
    if (value === undefined) continue;
    const low = lowered(name);
    if (carries(n, low)) continue;
    headers.set(low, value);
    carried[n++] = low;
  }
  return n;
}

/**
 * Sets each header the response does not carry yet: what the app (or a nearer layer) set
 * stays, as on Node's frameworks, where bulwark sets its headers first and the handler's win.
 */
export function fillHeaders(
  headers: Headers,
  values: Readonly<Record<string, string | undefined>>,
): void {
  fillCarried(headers, readCarried(headers), values);
}

/**
 * Sets each of `first`'s fields (a rate limit's), then each compiled security header, that the
 * response does not carry yet, after one pass over its names: what the app set stays.
 */
export function fillWebHeaders(
  headers: Headers,
  compiled: CompiledSecurityHeaders | undefined,
  first?: Readonly<Record<string, string | undefined>>,
): void {
  let count = readCarried(headers);
  if (first !== undefined) count = fillCarried(headers, count, first);
  if (compiled !== undefined) {
    for (const [name, value] of compiled.lower.entries) {
      if (!carries(count, name)) headers.set(name, value);
    }
  }
}

/**
 * Edits a response's headers, copying the response first when its headers are immutable
 * (a `Response` from `fetch()` or `Response.redirect()`): the Fetch standard's guard throws a
 * TypeError on the first write, before anything changed. `Response.error()` is a network
 * error, not an answer: it has no headers to edit and cannot be copied (status 0), so it is
 * returned as it is. Told apart by its status, never its `type`: @hono/node-server's light
 * Response keeps the status at hand but builds the whole Fetch Response (a body stream and
 * all) for any other property, which costs more than the rest of bulwark's work on a request.
 */
export function editResponseHeaders<A, B = undefined>(
  response: Response,
  edit: (headers: Headers, arg: A, more?: B) => void,
  arg: A,
  more?: B,
): Response {
  if (response.status === 0) return response;
  try {
    edit(response.headers, arg, more);
    return response;
  } catch (error: unknown) {
    if (!(error instanceof TypeError)) throw error;
    const copy = new Response(response.body, response);
    edit(copy.headers, arg, more);
    return copy;
  }
}

/** A rejection as a Fetch `Response`: the core's one rendering, `{"detail": ...}` as JSON. */
export function rejectionResponse(error: BulwarkError): Response {
  const r = renderRejection(error);
  return new Response(r.body, { status: r.status, headers: r.headers });
}

/**
 * The answer of an app's `onReject` on a Fetch-based adapter: the `Response` it returns, or,
 * when it throws, rejects or returns anything else, `fallback()` (bulwark's default answer)
 * with the failure logged once (`misuse.on_reject`): a rejected request is never passed on.
 */
export function onRejectAnswer(
  call: () => unknown,
  fallback: () => Response,
  logger: LoggerLike,
): MaybePromise<Response> {
  const answered = (answer: unknown): Response => {
    if (answer instanceof Response) return answer;
    reportOnRejectFailure(logger, 'did not answer');
    return fallback();
  };
  const failed = (thrown: unknown): Response => {
    reportOnRejectFailure(logger, 'threw', thrown);
    return fallback();
  };
  let answer: unknown;
  try {
    answer = call();
  } catch (thrown: unknown) {
    return failed(thrown);
  }
  return isPromise(answer) ? answer.then(answered, failed) : answered(answer);
}
