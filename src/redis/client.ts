/**
 * What RedisStore calls on its client: an ioredis `Redis` or `Cluster` fits. A narrow
 * structural type, so the store never depends on how the client was built.
 */
export interface RedisStoreClient {
  /** Runs a cached script: one round trip per decision. */
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  /** Runs (and caches) a script's source, after NOSCRIPT. */
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  /** Forgets a key (`reset`). */
  del(...keys: string[]): Promise<number>;
  /** The readiness check (`ready`). */
  ping(): Promise<string>;
}

interface ConnectionOptions {
  host?: unknown;
  port?: unknown;
  path?: unknown;
  username?: unknown;
  password?: unknown;
  db?: unknown;
  tls?: unknown;
}

const text = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : '';

/**
 * The client's address as a URL for error messages (credentials included, for the caller to
 * mask): ioredis keeps the parsed connection options on `options` (Redis) or the seed nodes
 * on `startupNodes` (Cluster).
 */
export function clientUrl(client: unknown): string {
  const c = client as { options?: ConnectionOptions; startupNodes?: unknown };
  if (Array.isArray(c.startupNodes)) {
    const nodes = (c.startupNodes as unknown[]).map((n) => {
      if (typeof n === 'string' || typeof n === 'number') return String(n);
      const o = n as ConnectionOptions;
      return `${text(o.host) || '127.0.0.1'}:${text(o.port) || '6379'}`;
    });
    return `redis-cluster://${nodes.join(',')}`;
  }
  const o = c.options ?? {};
  const user = text(o.username);
  const password = text(o.password);
  const auth = password !== '' ? `${user}:${password}@` : user !== '' ? `${user}@` : '';
  const scheme = o.tls === undefined || o.tls === false ? 'redis' : 'rediss';
  if (text(o.path) !== '') return `${scheme}+unix://${auth}${text(o.path)}`;
  const db = text(o.db);
  return `${scheme}://${auth}${text(o.host) || 'localhost'}:${text(o.port) || '6379'}${db !== '' && db !== '0' ? `/${db}` : ''}`;
}
