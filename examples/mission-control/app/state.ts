/** Mission Control's entities, kept in memory for the example. */

export type Role = 'admin' | 'member';

export interface User {
  readonly id: string;
  readonly name: string;
  /** SHA-256 of the user's bearer token; compared in constant time. */
  readonly tokenDigest: Buffer;
}
export interface Organization {
  readonly id: string;
  readonly name: string;
}
export interface Membership {
  readonly organizationId: string;
  readonly userId: string;
  readonly role: Role;
}
export interface Gateway {
  readonly id: string;
  readonly organizationId: string;
  name: string;
  url: string;
  /** Credential for the gateway's websocket: accepted on writes, never returned on reads. */
  token: string | null;
  workspace_root: string;
}
export interface Board {
  readonly id: string;
  readonly organizationId: string;
  readonly gatewayId: string;
  name: string;
  board_type: string;
}
export interface Agent {
  readonly id: string;
  name: string;
  /** `null` for a gateway's main agent. */
  readonly boardId: string | null;
  readonly gatewayId: string;
  /** Public part of the token, the O(1) lookup key. */
  readonly tokenId: string;
  /** scrypt(token, salt). */
  readonly tokenHash: Buffer;
  readonly tokenSalt: Buffer;
  is_board_lead: boolean;
  status: string;
  last_seen_at: string | null;
}
export interface Task {
  readonly id: string;
  readonly boardId: string;
  title: string;
  status: 'inbox' | 'in_progress' | 'review' | 'done';
}
export interface BoardWebhook {
  readonly id: string;
  readonly boardId: string;
  description: string;
  secret: string | null;
  signature_header: string | null;
  enabled: boolean;
}
export interface WebhookPayload {
  readonly id: string;
  readonly boardId: string;
  readonly webhookId: string;
  readonly payload: unknown;
  readonly headers: Readonly<Record<string, string>>;
  readonly received_at: string;
}
export interface MemoryEntry {
  readonly id: string;
  readonly boardId: string;
  readonly content: string;
  readonly source: string;
  readonly created_at: string;
}
export interface GatewaySession {
  readonly id: string;
  readonly gatewayId: string;
  readonly messages: { readonly from: string; readonly content: string; readonly at: string }[];
}

/** All state, one Map per entity. */
export class State {
  readonly users = new Map<string, User>();
  readonly organizations = new Map<string, Organization>();
  readonly memberships: Membership[] = [];
  readonly gateways = new Map<string, Gateway>();
  readonly boards = new Map<string, Board>();
  readonly agents = new Map<string, Agent>();
  /** tokenId -> agent id. */
  readonly agentsByTokenId = new Map<string, string>();
  readonly tasks = new Map<string, Task>();
  readonly webhooks = new Map<string, BoardWebhook>();
  readonly payloads = new Map<string, WebhookPayload>();
  readonly memory = new Map<string, MemoryEntry>();
  readonly sessions = new Map<string, GatewaySession>();

  roleIn(userId: string, organizationId: string): Role | undefined {
    return this.memberships.find((m) => m.userId === userId && m.organizationId === organizationId)
      ?.role;
  }

  organizationIdsOf(userId: string): Set<string> {
    return new Set(
      this.memberships.filter((m) => m.userId === userId).map((m) => m.organizationId),
    );
  }

  /** The organization an agent acts for: its gateway's. */
  organizationOfAgent(agent: Agent): string | undefined {
    return this.gateways.get(agent.gatewayId)?.organizationId;
  }
}
