export { createWebhookVerifier, verifyWebhook } from './verifier.js';
export type { VerifyWebhookInput, WebhookVerifier, WebhookVerifierOptions } from './verifier.js';
export { signWebhook } from './signer.js';
export type { SignWebhookOptions } from './signer.js';
export { MemoryReplayStore } from './replay-store.js';
export type { MemoryReplayStoreOptions, ReplayStore } from './replay-store.js';
export { REPLAY_STORE_WARNING } from './replay-guard.js';
export type { ReplayOptions, ReplayStoreErrorPolicy } from './replay-guard.js';
export { INVALID_SIGNATURE, MISSING_SIGNATURE } from './errors.js';
export { WEBHOOK_SCHEMES } from './schemes/index.js';
export type { CustomWebhookScheme } from './schemes/custom.js';
export type {
  WebhookAccepted,
  WebhookLogger,
  WebhookRejected,
  WebhookRequestParts,
  WebhookSchemeName,
  WebhookSecret,
  WebhookSecrets,
  WebhookVerdict,
} from './types.js';
export { createWebhookReceiver } from './receiver.js';
export type { WebhookReceipt, WebhookReceiver, WebhookReceiverOptions } from './receiver.js';
export { createRequestWebhookReceiver } from './request-receiver.js';
export type {
  RequestWebhookReceiver,
  RequestWebhookReceiverOptions,
  RequestWebhookSecret,
} from './request-receiver.js';
