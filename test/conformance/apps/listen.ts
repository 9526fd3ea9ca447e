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

/** Listens on 127.0.0.1, port 0, and closes every connection on close(). */
export function listen(server: Server): Promise<RunningApp> {
  return watch(server);
}
