import { HttpError, notFound } from './http.js';
import type { Agent, Board, State, User } from './state.js';

/**
 * Tenant isolation. A board outside the caller's organizations answers 404, exactly as a
 * board that does not exist, so ids of other tenants cannot be probed.
 */
export function boardForUser(state: State, user: User, boardId: string | undefined): Board {
  const board = boardId === undefined ? undefined : state.boards.get(boardId);
  if (board === undefined || !state.organizationIdsOf(user.id).has(board.organizationId))
    throw notFound('Board');
  return board;
}

export function requireAdmin(state: State, user: User, organizationId: string): void {
  if (state.roleIn(user.id, organizationId) !== 'admin') {
    throw new HttpError(403, 'Organization admin role required.');
  }
}

/**
 * A board agent sees its own board; a gateway's main agent sees the boards of its gateway's
 * organization, by id as well as in listings (Mission Control scoped only the listing).
 */
export function agentCanSee(state: State, agent: Agent, board: Board): boolean {
  if (agent.boardId !== null) return agent.boardId === board.id;
  return state.organizationOfAgent(agent) === board.organizationId;
}

export function boardForAgent(state: State, agent: Agent, boardId: string | undefined): Board {
  const board = boardId === undefined ? undefined : state.boards.get(boardId);
  if (board === undefined || !agentCanSee(state, agent, board)) throw notFound('Board');
  return board;
}
