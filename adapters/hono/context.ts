import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Context } from 'hono';
import { editResponseHeaders, webBodyStream } from '../shared/web.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The raw request body, set by bulwark's `payloadLimit` and `verifyWebhook`. */
    rawBody?: Buffer;
    /** The parsed request body, set by bulwark's `payloadLimit` and `verifyWebhook`. */
    body?: unknown;
  }
}

// The requests whose body bulwark read and handed to Hono's body cache, so a second bulwark
// middleware on the same request knows the cache is its own and not another reader's.
const readByBulwark = new WeakSet<Request>();

/**
 * Leaves an accepted body on the context (`c.get('rawBody')`, `c.get('body')`) and in Hono's
 * body cache, so `c.req.json()`, `c.req.text()`, `c.req.arrayBuffer()` and
 * `c.req.parseBody()` read the verified bytes: the stream itself is used up. The cache holds
 * promises (hono/src/request.ts `#cachedBody`), whatever its declared type says; one entry
 * is enough, Hono converts it for the other readers.
 */
export function keepBody(c: Context, rawBody: Buffer, body: unknown): void {
  c.set('rawBody', rawBody);
  c.set('body', body);
  const copy = rawBody.buffer.slice(rawBody.byteOffset, rawBody.byteOffset + rawBody.length);
  const cache = c.req.bodyCache as Record<string, Promise<unknown> | undefined>;
  cache.arrayBuffer = Promise.resolve(copy);
  readByBulwark.add(c.req.raw);
}

/** Whether another reader (`c.req.json()`, a validator) filled Hono's body cache first. */
export function bodyCachedByOthers(c: Context): boolean {
  return !readByBulwark.has(c.req.raw) && Object.keys(c.req.bodyCache).length > 0;
}

/**
 * The request body as a Node stream for the core's limited reader. A body another reader
 * used first (`c.req.json()`, a validator, `c.req.raw.arrayBuffer()`) is refused as consumed
 * (500, logged once), never read as an empty body; one bulwark read already (payloadLimit
 * before verifyWebhook) is read again from the bytes the core kept.
 */
export function bodyStream(c: Context): Readable {
  return webBodyStream(c.req.raw);
}

/**
 * Edits the response a middleware is about to return, or, when it returns none, the one
 * the app produced (`c.res`, after `next()`): a response with immutable headers (from
 * `fetch()`, `Response.redirect()`) is copied and the copy put in its place.
 */
export function editAnswer<A, B = undefined>(
  c: Context,
  answer: Response | undefined,
  edit: (headers: Headers, arg: A, more?: B) => void,
  arg: A,
  more?: B,
): Response | undefined {
  if (answer !== undefined) return editResponseHeaders(answer, edit, arg, more);
  const current = c.res;
  const edited = editResponseHeaders(current, edit, arg, more);
  if (edited !== current) c.res = edited;
  return undefined;
}

/**
 * Node's response when the app runs on @hono/node-server (`c.env.outgoing`, or nested under
 * `c.env.server`): the one place that tells a finished answer from a client that hung up.
 * Undefined elsewhere (Bun, Deno, Workers, `app.request()`).
 */
export function nodeOutgoing(c: Context): ServerResponse | undefined {
  const env: unknown = c.env;
  if (typeof env !== 'object' || env === null) return undefined;
  const bindings = env as { outgoing?: unknown; server?: { outgoing?: unknown } };
  const outgoing = bindings.outgoing ?? bindings.server?.outgoing;
  if (typeof (outgoing as { once?: unknown } | undefined)?.once !== 'function') return undefined;
  if (typeof (outgoing as { writableFinished?: unknown }).writableFinished !== 'boolean') {
    return undefined;
  }
  return outgoing as ServerResponse;
}

/**
 * Declares one of bulwark's mark slots (`rateLimitSlot`) on the prototype of a server's own
 * request objects: @hono/node-server builds each `c.req.raw` from one private prototype, so a
 * request that inherits the slot takes bulwark's mark as a plain property write, where any
 * other object needs a process-wide WeakMap entry (an ephemeron the garbage collector traces
 * while the request lives: about a microsecond per request on Node). The standard
 * `Request.prototype` (Bun, Deno, Workers, `app.request()`) is never touched; those requests
 * keep the WeakMap.
 */
export function declareRequestSlot(raw: object, slot: symbol): void {
  const proto: unknown = Object.getPrototypeOf(raw);
  if (typeof proto !== 'object' || proto === null || proto === Request.prototype) return;
  if (!Object.isExtensible(proto)) return;
  (proto as Record<symbol, unknown>)[slot] = null;
}
