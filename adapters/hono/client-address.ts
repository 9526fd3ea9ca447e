import type { Context } from 'hono';
import type { ClientAddressInput, HeaderBag } from 'bulwark';

/**
 * Where the client address comes from on runtimes other than @hono/node-server, such as
 * `(c) => getConnInfo(c).remote.address` with `getConnInfo` from `hono/bun` or `hono/deno`,
 * or `(c) => c.req.header('cf-connecting-ip')` on Cloudflare Workers (set by Cloudflare's
 * edge; trust it only there). `undefined` means the runtime gave none.
 */
export type HonoClientAddress = (c: Context) => string | undefined;

/**
 * The request headers as the core reads them, looked up by name when read: the core reads
 * a few (Origin, the forwarding headers), and copying every header of every request into an
 * object would cost more than those lookups. `Headers` lowers names and joins repeated
 * lines with `, `, so a second Origin reads as one value the core refuses.
 */
export function headerView(headers: Headers): HeaderBag {
  return new Proxy<Record<string, string | undefined>>(
    {},
    {
      get: (_target, name) =>
        typeof name === 'string' ? (headers.get(name) ?? undefined) : undefined,
      has: (_target, name) => typeof name === 'string' && headers.has(name),
    },
  );
}

interface NodeIncoming {
  readonly socket?: { readonly remoteAddress?: string | undefined };
  readonly headers?: HeaderBag;
}

interface NodeBindings {
  readonly incoming?: NodeIncoming;
}

/**
 * The socket peer @hono/node-server hands the app in `c.env.incoming` (its `HttpBindings`);
 * hosts that nest the bindings under `c.env.server` (as its own `getConnInfo` reads them)
 * too. `null` when the app does not run on it: another runtime, or `app.request()`.
 */
function nodePeer(c: Context): ClientAddressInput | null {
  const env: unknown = c.env;
  if (typeof env !== 'object' || env === null) return null;
  const bindings = env as NodeBindings & { readonly server?: NodeBindings };
  const incoming = bindings.incoming ?? bindings.server?.incoming;
  const socket = incoming?.socket;
  // No socket object: not node-server's bindings (a Workers binding may be named anything).
  if (typeof socket !== 'object') return null;
  // Node's own request headers: reading c.req.raw.headers would make @hono/node-server build
  // the full Fetch Request it otherwise never creates, a large part of a request's cost.
  return {
    remoteAddress: socket.remoteAddress,
    headers: incoming?.headers ?? headerView(c.req.raw.headers),
  };
}

/**
 * The peer reader the core's rate limit is compiled with: the address from `clientAddress`
 * when given, else the node-server socket's. With neither, `undefined`: the core then
 * refuses the request (500, `misuse.client_address` logged once) instead of counting every
 * client in one bucket.
 */
export function peerReader(
  clientAddress: HonoClientAddress | undefined,
): (c: Context) => ClientAddressInput | undefined {
  if (clientAddress !== undefined && typeof clientAddress !== 'function') {
    throw new TypeError(
      "bulwark: rateLimit clientAddress: not a function; write clientAddress: (c) => getConnInfo(c).remote.address (hono/bun, hono/deno) or (c) => c.req.header('cf-connecting-ip') behind Cloudflare.",
    );
  }
  if (clientAddress !== undefined) {
    return (c) => {
      const address: unknown = clientAddress(c);
      // Anything but a non-empty string (an object such as getConnInfo(c).remote) is no
      // address: refused and logged, never one shared bucket.
      return typeof address !== 'string' || address === ''
        ? undefined
        : { remoteAddress: address, headers: headerView(c.req.raw.headers) };
    };
  }
  // On node-server a socket already closed reports no address: the core's own "unknown
  // client" key, as on Express and Koa. Elsewhere no address at all: refused by the core.
  return (c) => nodePeer(c) ?? undefined;
}
