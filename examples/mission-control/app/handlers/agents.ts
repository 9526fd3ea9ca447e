import { authenticateAgent, authenticateUser } from '../auth.js';
import { agentCanSee, boardForAgent } from '../access.js';
import type { AppRequest, AppResponse } from '../http.js';
import { json } from '../http.js';
import type { Services } from '../services.js';
import type { Agent } from '../state.js';
import { boardView, memoryOf, tasksOf } from './boards.js';

const agentView = (a: Agent) => ({
  id: a.id,
  name: a.name,
  board_id: a.boardId,
  gateway_id: a.gatewayId,
  is_board_lead: a.is_board_lead,
  status: a.status,
  last_seen_at: a.last_seen_at,
});

/** GET /api/v1/agents: the agents behind the user's organizations' gateways (no token material). */
export function listAgents({ state }: Services, req: AppRequest): AppResponse {
  const user = authenticateUser(state, req);
  const orgs = state.organizationIdsOf(user.id);
  return json(
    200,
    [...state.agents.values()]
      .filter((a) => orgs.has(state.organizationOfAgent(a) ?? ''))
      .map(agentView),
  );
}

export async function agentBoards(services: Services, req: AppRequest): Promise<AppResponse> {
  const agent = await authenticateAgent(services.state, req, services.logger);
  return json(
    200,
    [...services.state.boards.values()]
      .filter((b) => agentCanSee(services.state, agent, b))
      .map(boardView),
  );
}

export async function agentTasks(services: Services, req: AppRequest): Promise<AppResponse> {
  const agent = await authenticateAgent(services.state, req, services.logger);
  const board = boardForAgent(services.state, agent, req.params.board_id);
  return json(200, tasksOf(services.state, board.id));
}

/** Board memory, fenced webhook payloads included: what an agent would put in its prompt. */
export async function agentMemory(services: Services, req: AppRequest): Promise<AppResponse> {
  const agent = await authenticateAgent(services.state, req, services.logger);
  const board = boardForAgent(services.state, agent, req.params.board_id);
  return json(200, memoryOf(services.state, board.id));
}

export async function agentHeartbeat(services: Services, req: AppRequest): Promise<AppResponse> {
  const agent = await authenticateAgent(services.state, req, services.logger);
  agent.last_seen_at = new Date().toISOString();
  agent.status = 'online';
  return json(200, agentView(agent));
}
