import { expect } from 'vitest';
import type { WebhookRejected, WebhookVerdict } from 'bulwark';

/** Headers as a sender writes them (`X-Hub-Signature-256`) turned into Node's lower-case names. */
export function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

/** The refusal, for reading its fields; a test failure when the delivery was accepted. */
export function refusal(verdict: WebhookVerdict): WebhookRejected {
  if (verdict.ok) throw new Error('expected the delivery to be refused');
  return verdict;
}

/** A refusal with this status, a non-empty client detail and a developer-facing reason. */
export function expectRefused(verdict: WebhookVerdict, status = 403): void {
  expect(verdict.ok).toBe(false);
  if (verdict.ok) return;
  expect(verdict.error.status).toBe(status);
  expect(typeof verdict.error.detail).toBe('string');
  expect(verdict.error.detail.length).toBeGreaterThan(0);
  expect(verdict.reason.length).toBeGreaterThan(0);
}
