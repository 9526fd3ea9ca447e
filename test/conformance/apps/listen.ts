import type { Server } from 'node:http';
import { watch } from '../../helpers/serve.js';
import type { AppSpec, RunningApp } from '../types.js';

/** Node server options for an app spec: the lenient parser and the head size limit. */
export function serverOptions(spec: AppSpec): {
  insecureHTTPParser: boolean;
  maxHeaderSize?: number;
} {
  return {
    insecureHTTPParser: spec.lenientParser ?? false,
    ...(spec.maxHeaderSize === undefined ? {} : { maxHeaderSize: spec.maxHeaderSize }),
  };
}

/**
 * Node's limit on the number of request header lines (`server.maxHeadersCount`, set on the
 * server object rather than through its options). Node 22 and later refuse a request with
 * more lines than it with 431; Node 20 dropped the extra lines.
 */
export function limitHeaderLines(server: Server, spec: AppSpec | undefined): void {
  if (spec?.maxHeadersCount !== undefined) server.maxHeadersCount = spec.maxHeadersCount;
}

/** Listens on 127.0.0.1, port 0, and closes every connection on close(). */
export function listen(server: Server, spec?: AppSpec): Promise<RunningApp> {
  limitHeaderLines(server, spec);
  return watch(server);
}
