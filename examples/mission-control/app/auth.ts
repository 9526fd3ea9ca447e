import { createHash, timingSafeEqual } from 'node:crypto';
import { logAuthFailure } from 'bulwark';
import type { AppRequest } from './http.js';
import { HttpError } from './http.js';
import type { Agent, State, User } from './state.js';
import { tokenIdOf, tokenMatches } from './tokens.js';
import type { AppLogger } from './logger.js';

const unauthorized = (): HttpError =>
  new HttpError(401, 'Not authenticated.', { 'WWW-Authenticate': 'Bearer' });

export function bearerToken(req: AppRequest): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m?.[1];
}

export const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * A user from `Authorization: Bearer`. Every user's digest is compared with timingSafeEqual
 * and the loop never exits early, so response time does not reveal how much of a token
 * matched or which user it nearly was.
 */
export function authenticateUser(state: State, req: AppRequest): User {
  const token = bearerToken(req);
  if (token === undefined) throw unauthorized();
  const presented = digest(token);
  let found: User | undefined;
  for (const user of state.users.values()) {
    if (timingSafeEqual(user.tokenDigest, presented)) found = user;
  }
  if (found === undefined) throw unauthorized();
  return found;
}

/**
 * An agent from `X-Agent-Token`, with `Authorization: Bearer` as the fallback. The per-IP
 * rate limit runs before this (mounted on the agent routes), so guessing is bounded. A
 * failure is logged through logAuthFailure: a short prefix of a wrong token, and only which
 * headers were present when there was none.
 */
export async function authenticateAgent(
  state: State,
  req: AppRequest,
  logger: AppLogger,
): Promise<Agent> {
  const header = req.headers['x-agent-token'];
  const token =
    (typeof header === 'string' && header !== '' ? header : undefined) ?? bearerToken(req);
  if (token === undefined) {
    logAuthFailure(logger, { path: req.path, headers: req.headers });
    throw unauthorized();
  }
  const tokenId = tokenIdOf(token);
  const agentId = tokenId === undefined ? undefined : state.agentsByTokenId.get(tokenId);
  const agent = agentId === undefined ? undefined : state.agents.get(agentId);
  if (agent === undefined || !(await tokenMatches(token, agent.tokenHash, agent.tokenSalt))) {
    logAuthFailure(logger, { path: req.path, token });
    throw unauthorized();
  }
  return agent;
}
