import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginApp } from '../../../examples/login/app.js';
import { http } from '../../helpers/http.js';
import type { HttpResponse } from '../../helpers/http.js';
import { serve } from '../../helpers/serve.js';
import type { WatchedServer } from '../../helpers/serve.js';

// The login example over real HTTP. Loopback is the trusted proxy, so each test speaks as
// its own client address through X-Forwarded-For.
let server: WatchedServer;

beforeAll(async () => {
  // scrypt at a low cost: the limits are under test here, not the password hash.
  server = await serve(createLoginApp({ trustedProxies: ['127.0.0.1'], scryptCost: 1024 }));
});

afterAll(async () => {
  await server.close();
});

let nextClient = 1;
const freshClient = (): string => `198.51.100.${String(nextClient++)}`;

function login(client: string, username: string, password: string): Promise<HttpResponse> {
  return http(`${server.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
    body: JSON.stringify({ username, password }),
  });
}

async function statuses(client: string, username: string, password: string, n: number) {
  const seen: number[] = [];
  for (let i = 0; i < n; i++) seen.push((await login(client, username, password)).status);
  return seen;
}

describe('the login example', () => {
  it('locks a user out from one client after five wrong passwords, the right one included', async () => {
    const client = freshClient();
    expect(await statuses(client, 'alice', 'guess', 5)).toEqual([401, 401, 401, 401, 401]);
    const refused = await login(client, 'alice', 'correct horse');
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text)).toEqual({ detail: 'Too Many Requests' });
    // Blocked for 15 minutes from the refusal: never longer, and a wait the client can read.
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Both limits are announced; the one that refused is the one reported.
    expect(refused.headers['ratelimit-policy']).toBe(
      '"login-user-ip";q=5;w=900, "login-ip-day";q=100;w=86400',
    );
    expect(refused.headers.ratelimit).toMatch(/^"login-user-ip";r=0;t=\d+$/);
  });

  it('keeps the lockout to that user and that client', async () => {
    const client = freshClient();
    await statuses(client, 'alice', 'guess', 6);
    // Another username from the same client, and the same user from another client, go on.
    expect((await login(client, 'bob', 'guess')).status).toBe(401);
    expect((await login(freshClient(), 'alice', 'correct horse')).status).toBe(200);
    // Usernames are compared lower-cased: "Alice" is still alice, still locked out.
    expect((await login(client, 'Alice', 'correct horse')).status).toBe(429);
  });

  it('counts failures in a row: a correct password starts the count again', async () => {
    const client = freshClient();
    expect(await statuses(client, 'alice', 'guess', 4)).toEqual([401, 401, 401, 401]);
    expect((await login(client, 'alice', 'correct horse')).status).toBe(200);
    expect(await statuses(client, 'alice', 'guess', 6)).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('never counts a successful login, however many', async () => {
    const client = freshClient();
    expect(await statuses(client, 'alice', 'correct horse', 120)).toEqual(Array(120).fill(200));
    const last = await login(client, 'alice', 'guess');
    expect(last.status).toBe(401);
    // 120 successes passed a limit of 100 a day; the run of failures starts at this one.
    expect(last.headers.ratelimit).toBe('"login-user-ip";r=4;t=900');
  });

  it('gives one client 100 failures a day, whichever usernames it tries', async () => {
    const client = freshClient();
    const seen: number[] = [];
    for (let i = 0; i < 100; i++)
      seen.push((await login(client, `user${String(i)}`, 'guess')).status);
    expect(seen).toEqual(Array(100).fill(401));
    const refused = await login(client, 'someone-new', 'guess');
    expect(refused.status).toBe(429);
    expect(refused.headers.ratelimit).toMatch(/^"login-ip-day";r=0;t=\d+$/);
    // Refused before the password is checked: the right one is refused too.
    expect((await login(client, 'alice', 'correct horse')).status).toBe(429);
  });
});
