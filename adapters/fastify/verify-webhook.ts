import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DEFAULT_MAX_PAYLOAD_BYTES, createRequestWebhookReceiver } from 'bulwark';
import type {
  RequestWebhookReceiver,
  RequestWebhookReceiverOptions,
  RequestWebhookSecret,
} from 'bulwark';
import { raiseBodyLimit } from './body-stream.js';
import { settleFastify } from './reject.js';
import { routeSettings } from './route-settings.js';
import type { FastifyRejectOptions } from './reject.js';
import './payload-limit.js';

/** The secret, or a function of the request (per-webhook secrets, possibly looked up asynchronously). */
export type FastifyWebhookSecret = RequestWebhookSecret<FastifyRequest>;

/** Webhook options a route gives in `config.verifyWebhook`, merged over the plugin's. */
export interface FastifyWebhookRouteOptions extends Omit<
  RequestWebhookReceiverOptions<FastifyRequest>,
  'secret'
> {
  /**
   * The secret (several while rotating), or a function of the request returning it; a
   * function returning `undefined` means "no secret for this webhook" (mission-control
   * then does not check, other schemes refuse). Default: none.
   */
  readonly secret?: FastifyWebhookSecret;
}

/** Options for the Fastify `verifyWebhook` plugin. */
export interface FastifyVerifyWebhookOptions
  extends FastifyWebhookRouteOptions, FastifyRejectOptions {
  /** Verify every route. With `false`, only routes whose `config.verifyWebhook` is set. Default: `false`. */
  readonly global?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Per-route webhook verification: options merged over the plugin's, `false` for none. */
    verifyWebhook?: FastifyWebhookRouteOptions | false;
  }
}

type Prepared = RequestWebhookReceiver<FastifyRequest>;

const prepare = (options: FastifyWebhookRouteOptions): Prepared =>
  createRequestWebhookReceiver<FastifyRequest>(options);

const plugin: FastifyPluginCallback<FastifyVerifyWebhookOptions> = (fastify, options, done) => {
  const { global = false, onReject, ...base } = options;
  const defaults = global ? prepare(base) : undefined;
  const serverLimit = fastify.initialConfig.bodyLimit ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const preparedFor = routeSettings<FastifyWebhookRouteOptions, Prepared>(fastify, {
    read: (config) => config?.verifyWebhook,
    global,
    defaults,
    compile: (own) => prepare({ ...base, ...own }),
    onRoute: (route, own) => {
      raiseBodyLimit(route, own?.limit ?? base.limit ?? DEFAULT_MAX_PAYLOAD_BYTES, serverLimit);
    },
  });
  fastify.addHook('preParsing', async (request, reply, payload) => {
    const prepared = preparedFor(request);
    if (prepared === undefined) return payload;
    // A webhook without a body is still verified (an empty body can be signed).
    const receipt = await prepared(request, payload, request.raw.headersDistinct);
    return settleFastify(receipt, request, reply, payload, onReject);
  });
  done();
};

/**
 * Webhook verification as a Fastify plugin (payload limit included), per route by default:
 * give a route `config: { verifyWebhook: { secret, scheme } }`. It runs as a preParsing
 * hook, so it reads the raw bytes before any content-type parser; a verified delivery goes
 * on to Fastify's parsers (request.body) with `request.rawBody` set. Invalid JSON is a 400
 * `{"detail": ...}` before Fastify parses.
 */
export const verifyWebhook = fp(plugin, { fastify: '5.x', name: 'bulwark-verify-webhook' });
