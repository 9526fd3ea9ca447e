import { createHash } from 'node:crypto';
import type { RateLimitAlgorithm } from 'bulwark';
import { FIXED_WINDOW } from './scripts/fixed-window.js';
import { SLIDING_LOG } from './scripts/sliding-log.js';
import { SLIDING_WINDOW } from './scripts/sliding-window.js';
import { TOKEN_BUCKET } from './scripts/token-bucket.js';
import { batched } from './scripts/prelude.js';

/** A Lua script with its SHA1, computed once at load, for EVALSHA. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

function script(body: string): LuaScript {
  const source = batched(body);
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** One script per algorithm: one round trip, atomic decisions for a whole batch of calls. */
export const SCRIPTS: Readonly<Record<RateLimitAlgorithm, LuaScript>> = {
  'fixed-window': script(FIXED_WINDOW),
  'sliding-window': script(SLIDING_WINDOW),
  'sliding-log': script(SLIDING_LOG),
  'token-bucket': script(TOKEN_BUCKET),
};
