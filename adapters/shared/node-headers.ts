import type { IncomingMessage, ServerResponse } from 'node:http';
import { applySecurityHeaders, compileSecurityHeaders } from 'bulwark';
import type { HeaderAccess, HeaderBag, SecurityHeadersOptions } from 'bulwark';

/** Header access on Node's own response object, which Express and Koa both expose. */
export const nodeResponseHeaders: HeaderAccess<ServerResponse> = {
  get: (res, name) => res.getHeader(name),
  set: (res, name, value) => res.setHeader(name, value),
  remove: (res, name) => {
    res.removeHeader(name);
  },
  names: (res) => res.getHeaderNames(),
};

/** Express's app, as its response objects reach it (`res.app`). */
interface PoweredByApp {
  disable?: (setting: string) => unknown;
}

/** Sets every header of a precomputed record (a rate-limit outcome's) on Node's response. */
export function setNodeHeaders(
  res: ServerResponse,
  headers: Readonly<Record<string, string | undefined>>,
): void {
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) res.setHeader(name, value);
  }
}

/**
 * The request headers with every repeated header kept as an array (Node's
 * `headersDistinct`), so a second Content-Length or signature header is seen rather than
 * merged away. Request objects that only imitate Node's (Fastify's `inject()`, other test
 * tools) lack it: their plain `headers` are read instead.
 */
export function requestHeaders(req: IncomingMessage): HeaderBag {
  const { headersDistinct } = req as Partial<Pick<IncomingMessage, 'headersDistinct'>>;
  return headersDistinct ?? req.headers;
}

/**
 * The per-response work of the security headers on Node's response, compiled once, for the
 * adapters whose response is Node's (Express, and Nest on either platform). `removePoweredBy`
 * (default true) drops Express's `X-Powered-By`, which advertises the stack to scanners.
 */
export function nodeHeadersStep(
  options: (SecurityHeadersOptions & { readonly removePoweredBy?: boolean }) | false,
): (res: ServerResponse) => void {
  let removePoweredBy = false;
  let headerOptions: SecurityHeadersOptions | false = false;
  if (options !== false) {
    const { removePoweredBy: remove = true, ...rest } = options;
    removePoweredBy = remove;
    headerOptions = rest;
  }
  const compiled = compileSecurityHeaders(headerOptions);
  // The Express app this step last turned X-Powered-By off on.
  let quieted: PoweredByApp | undefined;
  return (res) => {
    if (removePoweredBy) {
      // Express writes X-Powered-By in each app's handle(), before any middleware runs:
      // turning its own setting off on the app serving the request (what Express's docs
      // advise) stops it at the source for the requests that follow. The removal stays for
      // this one, and for a header an enclosing app wrote.
      const { app } = res as ServerResponse & { app?: PoweredByApp };
      if (app !== quieted && typeof app?.disable === 'function') {
        app.disable('x-powered-by');
        quieted = app;
      }
      res.removeHeader('X-Powered-By');
    }
    applySecurityHeaders(res, nodeResponseHeaders, compiled);
  };
}
