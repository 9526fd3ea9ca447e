import { redact } from 'bulwark';
import { authenticateUser } from '../auth.js';
import { boardForUser, requireAdmin } from '../access.js';
import type { AppRequest, AppResponse } from '../http.js';
import { HttpError, json, notFound } from '../http.js';
import { newId } from '../ids.js';
import type { Services } from '../services.js';
import type { BoardWebhook, State } from '../state.js';
import { booleanField, objectBody, stringField } from '../validate.js';

/** A webhook as the API shows it: the secret becomes `has_secret`, never the value. */
export const webhookView = (w: BoardWebhook) =>
  redact(
    {
      id: w.id,
      board_id: w.boardId,
      description: w.description,
      secret: w.secret,
      signature_header: w.signature_header,
      enabled: w.enabled,
    },
    { fields: ['secret'] },
  );

function webhookOnBoard(
  state: State,
  boardId: string,
  webhookId: string | undefined,
): BoardWebhook {
  const hook = webhookId === undefined ? undefined : state.webhooks.get(webhookId);
  if (hook?.boardId !== boardId) throw notFound('Webhook');
  return hook;
}

// A header name the sender will use: a token, no CR/LF (it is matched against request
// headers, and echoed in docs and the CLI).
const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;

function readWebhookFields(body: Record<string, unknown>) {
  const signatureHeader = stringField(body, 'signature_header', { max: 64 });
  if (signatureHeader !== undefined && !HEADER_NAME.test(signatureHeader)) {
    throw new HttpError(
      422,
      'Field "signature_header" must be a header name (letters, digits, hyphens).',
    );
  }
  return {
    description: stringField(body, 'description', { max: 2000 }),
    secret: stringField(body, 'secret', { max: 256 }),
    signatureHeader,
    enabled: booleanField(body, 'enabled'),
  };
}

export function listWebhooks({ state }: Services, req: AppRequest): AppResponse {
  const board = boardForUser(state, authenticateUser(state, req), req.params.board_id);
  return json(
    200,
    [...state.webhooks.values()].filter((w) => w.boardId === board.id).map(webhookView),
  );
}

export function createWebhook({ state }: Services, req: AppRequest): AppResponse {
  const user = authenticateUser(state, req);
  const board = boardForUser(state, user, req.params.board_id);
  requireAdmin(state, user, board.organizationId);
  const fields = readWebhookFields(objectBody(req.body));
  if (fields.description === undefined)
    throw new HttpError(422, 'Field "description" is required.');
  const hook: BoardWebhook = {
    id: newId(),
    boardId: board.id,
    description: fields.description,
    secret: fields.secret ?? null,
    signature_header: fields.signatureHeader ?? null,
    enabled: fields.enabled ?? true,
  };
  state.webhooks.set(hook.id, hook);
  return json(201, webhookView(hook));
}

export function getWebhook({ state }: Services, req: AppRequest): AppResponse {
  const board = boardForUser(state, authenticateUser(state, req), req.params.board_id);
  return json(200, webhookView(webhookOnBoard(state, board.id, req.params.webhook_id)));
}

export function updateWebhook({ state }: Services, req: AppRequest): AppResponse {
  const user = authenticateUser(state, req);
  const board = boardForUser(state, user, req.params.board_id);
  requireAdmin(state, user, board.organizationId);
  const hook = webhookOnBoard(state, board.id, req.params.webhook_id);
  const fields = readWebhookFields(objectBody(req.body));
  if (fields.description !== undefined) hook.description = fields.description;
  if (fields.secret !== undefined) hook.secret = fields.secret === '' ? null : fields.secret;
  if (fields.signatureHeader !== undefined)
    hook.signature_header = fields.signatureHeader === '' ? null : fields.signatureHeader;
  if (fields.enabled !== undefined) hook.enabled = fields.enabled;
  return json(200, webhookView(hook));
}

export function deleteWebhook({ state }: Services, req: AppRequest): AppResponse {
  const user = authenticateUser(state, req);
  const board = boardForUser(state, user, req.params.board_id);
  requireAdmin(state, user, board.organizationId);
  const hook = webhookOnBoard(state, board.id, req.params.webhook_id);
  state.webhooks.delete(hook.id);
  return { status: 204 };
}

export function listPayloads({ state }: Services, req: AppRequest): AppResponse {
  const board = boardForUser(state, authenticateUser(state, req), req.params.board_id);
  const hook = webhookOnBoard(state, board.id, req.params.webhook_id);
  return json(
    200,
    [...state.payloads.values()]
      .filter((p) => p.webhookId === hook.id)
      .map((p) => ({
        id: p.id,
        board_id: p.boardId,
        webhook_id: p.webhookId,
        payload: p.payload,
        headers: p.headers,
        received_at: p.received_at,
      })),
  );
}

export { webhookOnBoard };
