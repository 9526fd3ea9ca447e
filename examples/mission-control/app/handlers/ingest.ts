import {
  createHeaderRedactor,
  rateLimitError,
  readLimitedBody,
  sanitizeField,
  verifyWebhook,
  wrapExternalData,
} from 'bulwark';
import type { AppRequest, AppResponse } from '../http.js';
import { HttpError, json, notFound } from '../http.js';
import { newId } from '../ids.js';
import type { Services } from '../services.js';
import { clientKeyOf } from '../client.js';

/**
 * Credential headers never stored with a delivery: bulwark's defaults (authorization, cookies,
 * and every name holding token, secret, signature, hmac, api-key, session, ...), plus the
 * signature headers Mission Control itself verifies, named so the rule does not rest on the
 * defaults alone. Compiled once; `'remove'` drops them rather than storing a placeholder.
 */
const withoutCredentials = createHeaderRedactor({
  mode: 'remove',
  names: ['x-hub-signature-256', 'x-webhook-signature'],
});

/**
 * The headers kept with a stored delivery: content-type, user-agent and x-* headers, minus
 * every credential header and the webhook's own signature header, so stored deliveries never
 * hold a credential. The custom header name differs per webhook, so it is dropped here by name
 * rather than compiled into a redactor on every request.
 */
function storedHeaders(
  req: AppRequest,
  customSignatureHeader: string | null,
): Record<string, string> {
  const custom = customSignatureHeader?.toLowerCase();
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value !== 'string' || name === custom) continue;
    if (name === 'content-type' || name === 'user-agent' || name.startsWith('x-')) {
      kept[name] = value;
    }
  }
  return withoutCredentials(kept);
}

function parsePayload(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // non-JSON deliveries (form posts, plain text) are kept as text
  }
}

/**
 * POST /api/v1/boards/{board_id}/webhooks/{webhook_id}: the public ingest, in Mission
 * Control's order of checks: board 404, rate limit 429, webhook-on-board 404, disabled 410,
 * payload 413, signature 403; then store, fence into board memory, notify, 202.
 */
export async function ingestWebhook(services: Services, req: AppRequest): Promise<AppResponse> {
  const { state, logger } = services;
  const board = state.boards.get(req.params.board_id ?? '');
  if (board === undefined) throw notFound('Board');

  const decision = await services.ingestLimiter.consume(
    clientKeyOf(services, req.remoteAddress, req.headers),
  );
  const limitHeaders = services.ingestHeaders(decision);
  if (!decision.allowed) throw rateLimitError(decision, limitHeaders);

  const hook = state.webhooks.get(req.params.webhook_id ?? '');
  if (hook?.boardId !== board.id) throw notFound('Webhook');
  if (!hook.enabled) throw new HttpError(410, 'Webhook is disabled.');

  const body = await readLimitedBody(req.raw, {
    limit: services.maxPayloadBytes,
    headers: req.headers,
  });

  if (hook.secret !== null) {
    const verdict = await verifyWebhook({
      body,
      headers: req.headers,
      secret: hook.secret,
      scheme: 'mission-control',
      ...(hook.signature_header === null ? {} : { headerName: hook.signature_header }),
    });
    if (!verdict.ok) throw verdict.error;
  }

  const payload = parsePayload(body);
  const payloadId = newId();
  const now = new Date().toISOString();
  state.payloads.set(payloadId, {
    id: payloadId,
    boardId: board.id,
    webhookId: hook.id,
    payload,
    headers: storedHeaders(req, hook.signature_header),
    received_at: now,
  });
  // The payload is untrusted text that agents will read: it goes into memory inside the
  // external-data fence, where it cannot close the fence or pose as instructions.
  const memoryId = newId();
  state.memory.set(memoryId, {
    id: memoryId,
    boardId: board.id,
    content: wrapExternalData(payload),
    source: `webhook:${hook.id}`,
    created_at: now,
  });

  const lead = [...state.agents.values()].find((a) => a.boardId === board.id && a.is_board_lead);
  logger.info(
    {
      event: 'webhook.delivered',
      board_id: board.id,
      webhook_id: hook.id,
      payload_id: payloadId,
      lead_agent_id: lead?.id ?? null,
      instruction: sanitizeField(hook.description),
    },
    'webhook payload stored; lead agent notified',
  );
  return {
    ...json(202, { ok: true, board_id: board.id, webhook_id: hook.id, payload_id: payloadId }),
    headers: limitHeaders,
  };
}
