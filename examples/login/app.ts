// The login recipe of docs/guide/rate-limiting.md as a small Express app: only failed logins
// count, five in a row for one user from one client lock that pair out for 15 minutes, and
// one client gets 100 failures a day whatever usernames it tries. Started by ./server.ts and
// by test/examples/login.
import { scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import express from 'express';
import type { Express, Request } from 'express';
import { rateLimit, securityHeaders } from 'bulwark/express';

/** Options for {@link createLoginApp}. */
export interface LoginAppOptions {
  /** Proxies whose forwarding headers are believed (`TRUSTED_PROXIES`). Default: none. */
  readonly trustedProxies?: readonly string[];
  /** The demo accounts, username to password. Default: `alice` / `correct horse`. */
  readonly users?: Readonly<Record<string, string>>;
  /** scrypt's cost N for the password hashes; the tests lower it to run fast. Default: `16384`. */
  readonly scryptCost?: number;
}

const FIFTEEN_MINUTES = 15 * 60_000;
const ONE_DAY = 86_400_000;

/** The username a login names, lower-cased so `Alice` and `alice` share one count. */
function usernameOf(req: Request): string {
  const body: unknown = req.body;
  const name = typeof body === 'object' && body !== null && 'username' in body ? body.username : '';
  return typeof name === 'string' ? name.trim().toLowerCase().slice(0, 100) : '';
}

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  length: number,
  options: { N: number },
) => Promise<Buffer>;

/** A password check that takes the same time whether or not the user exists. */
function passwordChecker(users: Readonly<Record<string, string>>, cost: number) {
  // A demo: real accounts keep a random salt per user, stored beside the hash.
  const salt = Buffer.from('bulwark-login-example');
  const hash = (password: string): Promise<Buffer> => scryptAsync(password, salt, 32, { N: cost });
  const stored = new Map(
    Object.entries(users).map(([name, pw]) => [name.toLowerCase(), hash(pw)] as const),
  );
  const nobody = hash('');
  return async (username: string, password: unknown): Promise<boolean> => {
    const given = await hash(typeof password === 'string' ? password : '');
    const expected = stored.get(username);
    return timingSafeEqual(given, await (expected ?? nobody)) && expected !== undefined;
  };
}

export function createLoginApp(options: LoginAppOptions = {}): Express {
  const trustedProxies = options.trustedProxies ?? [];
  const check = passwordChecker(
    options.users ?? { alice: 'correct horse' },
    options.scryptCost ?? 16_384,
  );
  const loginLimit = rateLimit({
    trustedProxies,
    limiter: [
      {
        // Five failures in a row for this user from this client: refused for 15 minutes.
        limiter: {
          name: 'login-user-ip',
          limit: 5,
          windowMs: FIFTEEN_MINUTES,
          algorithm: 'sliding-log',
          blockMs: FIFTEEN_MINUTES,
        },
        // `ip`: the client address the limit would key by (proxies applied, IPv6 by /64).
        key: (req, ip) => `${ip} ${usernameOf(req)}`,
        resetOnSuccess: true, // a correct password wipes the run of failures
      },
      // 100 failures a day from one client, whichever usernames it tries.
      { name: 'login-ip-day', limit: 100, windowMs: ONE_DAY },
    ],
    skipSuccessfulRequests: true, // a successful login is not counted at all
  });

  const app = express();
  app.use(securityHeaders());
  // The body is parsed before the limit, which keys by the username in it; kept small.
  app.post('/login', express.json({ limit: '4kb' }), loginLimit, async (req, res) => {
    const body: unknown = req.body;
    const password =
      typeof body === 'object' && body !== null && 'password' in body ? body.password : '';
    if (await check(usernameOf(req), password)) res.json({ ok: true });
    else res.status(401).json({ detail: 'Invalid username or password.' });
  });
  return app;
}
