import { redact, sanitizeField } from 'bulwark';
import { authenticateUser } from '../auth.js';
import { requireAdmin } from '../access.js';
import type { AppRequest, AppResponse } from '../http.js';
import { HttpError, json, notFound } from '../http.js';
import { newId } from '../ids.js';
import type { Services } from '../services.js';
import type { Gateway, State, User } from '../state.js';
import { objectBody, stringField } from '../validate.js';

/**
 * A gateway as the API shows it: the token is replaced by `has_token` on every read.
 * Mission Control returned the raw token here (its has_token change was reverted).
 */
export const gatewayView = (g: Gateway) =>
  redact(
    {
      id: g.id,
      organization_id: g.organizationId,
      name: g.name,
      url: g.url,
      token: g.token,
      workspace_root: g.workspace_root,
    },
    { fields: ['token'] },
  );

function adminOrganizations(state: State, user: User): Set<string> {
  return new Set(
    state.memberships
      .filter((m) => m.userId === user.id && m.role === 'admin')
      .map((m) => m.organizationId),
  );
}

/** A gateway of an organization the user administers; anything else is 404, as if absent. */
function gatewayForAdmin(state: State, user: User, gatewayId: string | undefined): Gateway {
  const gateway = gatewayId === undefined ? undefined : state.gateways.get(gatewayId);
  if (gateway === undefined || !adminOrganizations(state, user).has(gateway.organizationId))
    throw notFound('Gateway');
  return gateway;
}

function validUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HttpError(
      422,
      'Field "url" must be an absolute ws://, wss://, http:// or https:// URL.',
    );
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) {
    throw new HttpError(
      422,
      'Field "url" must be an absolute ws://, wss://, http:// or https:// URL.',
    );
  }
  return value;
}

export function listGateways({ state }: Services, req: AppRequest): AppResponse {
  const user = authenticateUser(state, req);
  const orgs = adminOrganizations(state, user);
  return json(
    200,
    [...state.gateways.values()].filter((g) => orgs.has(g.organizationId)).map(gatewayView),
  );
}

export function getGateway({ state }: Services, req: AppRequest): AppResponse {
  return json(
    200,
    gatewayView(gatewayForAdmin(state, authenticateUser(state, req), req.params.gateway_id)),
  );
}

export function createGateway({ state, logger }: Services, req: AppRequest): AppResponse {
  const user = authenticateUser(state, req);
  const body = objectBody(req.body);
  const organizationId = stringField(body, 'organization_id', { required: true }) ?? '';
  if (
    !state.organizations.has(organizationId) ||
    state.roleIn(user.id, organizationId) === undefined
  )
    throw notFound('Organization');
  requireAdmin(state, user, organizationId);
  const gateway: Gateway = {
    id: newId(),
    organizationId,
    name: stringField(body, 'name', { required: true, max: 200 }) ?? '',
    url: validUrl(stringField(body, 'url', { required: true, max: 2000 }) ?? ''),
    token: stringField(body, 'token', { max: 512 }) ?? null,
    workspace_root: stringField(body, 'workspace_root', { max: 1000 }) ?? '/',
  };
  state.gateways.set(gateway.id, gateway);
  logger.info({ event: 'gateway.created', gateway: gatewayView(gateway) }, 'gateway created');
  return json(201, gatewayView(gateway));
}

export function updateGateway({ state, logger }: Services, req: AppRequest): AppResponse {
  const gateway = gatewayForAdmin(state, authenticateUser(state, req), req.params.gateway_id);
  const body = objectBody(req.body);
  const name = stringField(body, 'name', { max: 200 });
  const url = stringField(body, 'url', { max: 2000 });
  const token = stringField(body, 'token', { max: 512 });
  if (name !== undefined) gateway.name = name;
  if (url !== undefined) gateway.url = validUrl(url);
  if (token !== undefined) gateway.token = token === '' ? null : token;
  logger.info({ event: 'gateway.updated', gateway: gatewayView(gateway) }, 'gateway updated');
  return json(200, gatewayView(gateway));
}

/**
 * POST /api/v1/gateways/sessions/{session_id}/message: only an admin of the gateway's own
 * organization may speak into its sessions. Sessions of other tenants answer 404.
 */
export function sendSessionMessage({ state, logger }: Services, req: AppRequest): AppResponse {
  const user = authenticateUser(state, req);
  const session = state.sessions.get(req.params.session_id ?? '');
  const gateway = session === undefined ? undefined : state.gateways.get(session.gatewayId);
  if (
    session === undefined ||
    gateway === undefined ||
    state.roleIn(user.id, gateway.organizationId) === undefined
  )
    throw notFound('Session');
  requireAdmin(state, user, gateway.organizationId);
  const content = stringField(objectBody(req.body), 'content', { required: true, max: 8000 }) ?? '';
  const message = { from: user.id, content, at: new Date().toISOString() };
  session.messages.push(message);
  logger.info(
    {
      event: 'gateway.session_message',
      session_id: session.id,
      gateway_id: gateway.id,
      preview: sanitizeField(content),
    },
    'message sent to gateway session',
  );
  return json(202, { ok: true, session_id: session.id });
}
