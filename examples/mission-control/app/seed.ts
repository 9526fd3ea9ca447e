import { digest } from './auth.js';
import { newId, randomToken } from './ids.js';
import type { State } from './state.js';
import { issueAgentToken } from './tokens.js';

/** What the server prints at start so a person can try it, and what the tests drive it with. */
export interface Seeded {
  readonly organizationId: string;
  readonly otherOrganizationId: string;
  readonly boardId: string;
  readonly otherBoardId: string;
  readonly gatewayId: string;
  readonly otherGatewayId: string;
  readonly webhookId: string;
  readonly unsignedWebhookId: string;
  readonly disabledWebhookId: string;
  readonly otherWebhookId: string;
  readonly sessionId: string;
  readonly tokens: {
    /** Org admin of the seeded organization. */
    readonly admin: string;
    /** Plain member of the seeded organization. */
    readonly member: string;
    /** Admin of the other organization. */
    readonly otherAdmin: string;
    readonly boardAgent: string;
    readonly mainAgent: string;
    readonly otherMainAgent: string;
  };
  readonly secrets: {
    readonly webhook: string;
    readonly gateway: string;
    readonly otherGateway: string;
  };
}

async function addAgent(
  state: State,
  name: string,
  gatewayId: string,
  boardId: string | null,
  lead: boolean,
): Promise<string> {
  const issued = await issueAgentToken();
  const id = newId();
  state.agents.set(id, {
    id,
    name,
    boardId,
    gatewayId,
    tokenId: issued.tokenId,
    tokenHash: issued.hash,
    tokenSalt: issued.salt,
    is_board_lead: lead,
    status: 'online',
    last_seen_at: null,
  });
  state.agentsByTokenId.set(issued.tokenId, id);
  return issued.token;
}

/** Two tenants, so isolation can be seen and tested: Acme (ours) and Globex (the other). */
export async function seed(state: State): Promise<Seeded> {
  const user = (name: string) => {
    const token = `mcu_${randomToken(24)}`;
    const id = newId();
    state.users.set(id, { id, name, tokenDigest: digest(token) });
    return { id, token };
  };
  const admin = user('Ada Admin');
  const member = user('Max Member');
  const otherAdmin = user('Olga Other');

  const org = { id: newId(), name: 'Acme' };
  const other = { id: newId(), name: 'Globex' };
  state.organizations.set(org.id, org);
  state.organizations.set(other.id, other);
  state.memberships.push(
    { organizationId: org.id, userId: admin.id, role: 'admin' },
    { organizationId: org.id, userId: member.id, role: 'member' },
    { organizationId: other.id, userId: otherAdmin.id, role: 'admin' },
  );

  const gatewaySecret = `gwt_${randomToken(24)}`;
  const otherGatewaySecret = `gwt_${randomToken(24)}`;
  const gateway = {
    id: newId(),
    organizationId: org.id,
    name: 'acme-gw',
    url: 'wss://gateway.acme.example/ws',
    token: gatewaySecret,
    workspace_root: '/srv/acme',
  };
  const otherGateway = {
    id: newId(),
    organizationId: other.id,
    name: 'globex-gw',
    url: 'wss://gateway.globex.example/ws',
    token: otherGatewaySecret,
    workspace_root: '/srv/globex',
  };
  state.gateways.set(gateway.id, gateway);
  state.gateways.set(otherGateway.id, otherGateway);

  const board = {
    id: newId(),
    organizationId: org.id,
    gatewayId: gateway.id,
    name: 'Launch',
    board_type: 'goal',
  };
  const otherBoard = {
    id: newId(),
    organizationId: other.id,
    gatewayId: otherGateway.id,
    name: 'Secret plans',
    board_type: 'goal',
  };
  state.boards.set(board.id, board);
  state.boards.set(otherBoard.id, otherBoard);
  for (const [b, title] of [
    [board, 'Write the launch post'],
    [otherBoard, 'Globex internal task'],
  ] as const) {
    const id = newId();
    state.tasks.set(id, { id, boardId: b.id, title, status: 'inbox' });
  }

  const boardAgent = await addAgent(state, 'launch-lead', gateway.id, board.id, true);
  const mainAgent = await addAgent(state, 'acme-main', gateway.id, null, false);
  const otherMainAgent = await addAgent(state, 'globex-main', otherGateway.id, null, false);

  const webhookSecret = `whsec_${randomToken(24)}`;
  const hook = (boardId: string, description: string, secret: string | null, enabled = true) => {
    const id = newId();
    state.webhooks.set(id, { id, boardId, description, secret, signature_header: null, enabled });
    return id;
  };
  const webhookId = hook(board.id, 'Summarise each GitHub push for the team.', webhookSecret);
  const unsignedWebhookId = hook(board.id, 'Record uptime alerts.', null);
  const disabledWebhookId = hook(board.id, 'Old integration.', webhookSecret, false);
  const otherWebhookId = hook(otherBoard.id, 'Globex alerts.', null);

  const sessionId = `session-${newId()}`;
  state.sessions.set(sessionId, { id: sessionId, gatewayId: gateway.id, messages: [] });

  return {
    organizationId: org.id,
    otherOrganizationId: other.id,
    boardId: board.id,
    otherBoardId: otherBoard.id,
    gatewayId: gateway.id,
    otherGatewayId: otherGateway.id,
    webhookId,
    unsignedWebhookId,
    disabledWebhookId,
    otherWebhookId,
    sessionId,
    tokens: {
      admin: admin.token,
      member: member.token,
      otherAdmin: otherAdmin.token,
      boardAgent,
      mainAgent,
      otherMainAgent,
    },
    secrets: { webhook: webhookSecret, gateway: gatewaySecret, otherGateway: otherGatewaySecret },
  };
}
