import type { AppRequest, AppResponse } from './http.js';
import type { Services } from './services.js';
import {
  agentBoards,
  agentHeartbeat,
  agentMemory,
  agentTasks,
  listAgents,
} from './handlers/agents.js';
import {
  createTask,
  getBoard,
  listBoards,
  listMemory,
  listOrganizations,
  listTasks,
} from './handlers/boards.js';
import {
  createGateway,
  getGateway,
  listGateways,
  sendSessionMessage,
  updateGateway,
} from './handlers/gateways.js';
import { healthz, readyz } from './handlers/health.js';
import { ingestWebhook } from './handlers/ingest.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listPayloads,
  listWebhooks,
  updateWebhook,
} from './handlers/webhooks.js';

export type Handler = (services: Services, req: AppRequest) => AppResponse | Promise<AppResponse>;

/**
 * How a framework must mount a route:
 * - `json`: parse a JSON body (if any) before the handler;
 * - `agent`: JSON, behind bulwark's rateLimit adapter with the agent-auth limiter, so every
 *   authentication attempt is counted per IP before a token is looked at;
 * - `ingest`: no body parser at all: the handler reads the raw stream itself, after the board,
 *   rate-limit, webhook and enabled checks, exactly in Mission Control's order.
 */
export type RouteKind = 'json' | 'agent' | 'ingest';

export interface Route {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Express/Fastify style: `/api/v1/boards/:board_id`. */
  readonly path: string;
  readonly kind: RouteKind;
  readonly handler: Handler;
}

const V1 = '/api/v1';

export const routes: readonly Route[] = [
  { method: 'GET', path: '/healthz', kind: 'json', handler: () => healthz() },
  { method: 'GET', path: '/readyz', kind: 'json', handler: (s) => readyz(s) },
  { method: 'GET', path: `${V1}/organizations`, kind: 'json', handler: listOrganizations },
  { method: 'GET', path: `${V1}/boards`, kind: 'json', handler: listBoards },
  { method: 'GET', path: `${V1}/boards/:board_id`, kind: 'json', handler: getBoard },
  { method: 'GET', path: `${V1}/boards/:board_id/tasks`, kind: 'json', handler: listTasks },
  { method: 'POST', path: `${V1}/boards/:board_id/tasks`, kind: 'json', handler: createTask },
  { method: 'GET', path: `${V1}/boards/:board_id/memory`, kind: 'json', handler: listMemory },
  { method: 'GET', path: `${V1}/boards/:board_id/webhooks`, kind: 'json', handler: listWebhooks },
  { method: 'POST', path: `${V1}/boards/:board_id/webhooks`, kind: 'json', handler: createWebhook },
  {
    method: 'GET',
    path: `${V1}/boards/:board_id/webhooks/:webhook_id`,
    kind: 'json',
    handler: getWebhook,
  },
  {
    method: 'PATCH',
    path: `${V1}/boards/:board_id/webhooks/:webhook_id`,
    kind: 'json',
    handler: updateWebhook,
  },
  {
    method: 'DELETE',
    path: `${V1}/boards/:board_id/webhooks/:webhook_id`,
    kind: 'json',
    handler: deleteWebhook,
  },
  {
    method: 'POST',
    path: `${V1}/boards/:board_id/webhooks/:webhook_id`,
    kind: 'ingest',
    handler: ingestWebhook,
  },
  {
    method: 'GET',
    path: `${V1}/boards/:board_id/webhooks/:webhook_id/payloads`,
    kind: 'json',
    handler: listPayloads,
  },
  { method: 'GET', path: `${V1}/gateways`, kind: 'json', handler: listGateways },
  { method: 'POST', path: `${V1}/gateways`, kind: 'json', handler: createGateway },
  { method: 'GET', path: `${V1}/gateways/:gateway_id`, kind: 'json', handler: getGateway },
  { method: 'PATCH', path: `${V1}/gateways/:gateway_id`, kind: 'json', handler: updateGateway },
  {
    method: 'POST',
    path: `${V1}/gateways/sessions/:session_id/message`,
    kind: 'json',
    handler: sendSessionMessage,
  },
  { method: 'GET', path: `${V1}/agents`, kind: 'json', handler: listAgents },
  { method: 'GET', path: `${V1}/agent/boards`, kind: 'agent', handler: agentBoards },
  { method: 'GET', path: `${V1}/agent/boards/:board_id/tasks`, kind: 'agent', handler: agentTasks },
  {
    method: 'GET',
    path: `${V1}/agent/boards/:board_id/memory`,
    kind: 'agent',
    handler: agentMemory,
  },
  { method: 'POST', path: `${V1}/agent/heartbeat`, kind: 'agent', handler: agentHeartbeat },
];
