import type { Server } from 'node:http';
import { watch } from '../../helpers/serve.js';
import type { RunningApp } from '../types.js';

/** Listens on 127.0.0.1, port 0, and closes every connection on close(). */
export function listen(server: Server): Promise<RunningApp> {
  return watch(server);
}
