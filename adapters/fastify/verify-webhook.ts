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
import { checkedPlugin, scopeSettings } from './route-settings.js';
import type { FastifyOnReject, FastifyRejectOptions } from './reject.js';
import type { LoggerLike } from 'bulwark';
import './payload-limit.js';
import { requestHeaders } from '../shared/node-headers.js';

/** The secret, or a function of the request (per-webhook secrets, possibly looked up asynchronously). */
export type FastifyWebhookSecret = RequestWebhookSecret<FastifyRequest>;

/** Webhook options a route gives in `config.verifyWebhook`, merged over the plugin's. */
export interface FastifyWebhookRouteOptions
  extends Omit<RequestWebhookReceiverOptions<FastifyRequest>, 'secret'>, FastifyRejectOptions {
  /**
   * The secret (several while rotating), or a function of the request returning it; a
   * function returning `undefined` means "no secret for this webhook" (mission-control
   * then does not check, other schemes refuse). Required, on the plugin or on the route:
   * none given, or an empty one (an unset environment variable), is a `TypeError` at startup.
   */
  readonly secret?: FastifyWebhookSecret;
}

/** Options for the Fastify `verifyWebhook` plugin. */
export interface FastifyVerifyWebhookOptions extends FastifyWebhookRouteOptions {
  /**
   * Verify every route of the scope the plugin is registered in (a route opts out with
   * `config: { verifyWebhook: false }`). With `false`, only routes whose
   * `config.verifyWebhook` is set are verified. Default: `true`.
   */
  readonly global?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Per-route webhook verification: options merged over the plugin's, `false` for none. */
    verifyWebhook?: FastifyWebhookRouteOptions | false;
  }
}

/** One route's compiled verification and how its rejections are answered. */
interface Prepared {
  readonly receive: RequestWebhookReceiver<FastifyRequest>;
  readonly onReject: FastifyOnReject | undefined;
  readonly logger: LoggerLike;
}

function prepare(options: FastifyWebhookRouteOptions): Prepared {
  const { onReject, logger = console, ...rest } = options;
  return {
    receive: createRequestWebhookReceiver<FastifyRequest>({ ...rest, logger }),
    onReject,
    logger,
  };
}

function prepareDefaults(base: FastifyWebhookRouteOptions): Prepared {
  const key = base.publicKey ?? base.secret;
  if (key === undefined || key === '') {
    // The wiring of the issue that made this rule: `scope.register(verifyWebhook, { secret:
    // process.env.HOOK_SECRET })` with the variable unset must not leave the scope open.
    // discord is keyed by its public key; naming `secret` there would be refused in turn.
    const [option, what, env] =
      base.scheme === 'discord'
        ? ['publicKey', 'public key', 'DISCORD_PUBLIC_KEY']
        : ['secret', 'secret', 'WEBHOOK_SECRET'];
    throw new TypeError(
      `bulwark: verifyWebhook ${option}: ${key === '' ? `the ${what} is an empty string` : `no ${what} is given`}, and the plugin verifies every route of the scope it is registered in; write app.register(verifyWebhook, { ${option}: process.env.${env} }) (and make sure it is set), or app.register(verifyWebhook, { global: false }) with config: { verifyWebhook: { ${option} } } on each webhook route.`,
    );
  }
  return prepare(base);
}

const plugin: FastifyPluginCallback<FastifyVerifyWebhookOptions> = (fastify, options, done) => {
  const { global = true, ...base } = options;
  const serverLimit = fastify.initialConfig.bodyLimit ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const preparedFor = scopeSettings<FastifyWebhookRouteOptions, Prepared>(fastify, {
    read: (config) => config?.verifyWebhook,
    global,
    defaults: global ? prepareDefaults(base) : undefined,
    compile: (own) => prepare({ ...base, ...own }),
    onRoute: (route, own) => {
      raiseBodyLimit(route, own?.limit ?? base.limit ?? DEFAULT_MAX_PAYLOAD_BYTES, serverLimit);
    },
  });
  fastify.addHook('preParsing', async (request, reply, payload) => {
    const prepared = preparedFor(request);
    if (prepared === undefined) return payload;
    // Every request to a verified route is checked, a GET or an empty POST included: an
    // empty body can be signed, and an unsigned one is refused like any other.
    const receipt = await prepared.receive(
      request,
      payload,
      requestHeaders(request.raw),
      request.raw.url,
    );
    return settleFastify(receipt, request, reply, payload, prepared.onReject, prepared.logger);
  });
  done();
};

/**
 * Webhook verification as a Fastify plugin (payload limit included), for every route of
 * the scope it is registered in, as on Express and Koa where it verifies where it is
 * mounted: `scope.register(verifyWebhook, { secret })` then `scope.post('/hook', ...)`. A
 * route overrides with `config: { verifyWebhook: { ... } }` or opts out with `false`;
 * `global: false` verifies only routes that ask. It runs as a preParsing hook, so it reads
 * the raw bytes before any content-type parser (whatever the registration order); a
 * verified delivery goes on to Fastify's parsers (request.body) with `request.rawBody`
 * set. Invalid JSON is a 400 `{"detail": ...}` before Fastify parses.
 */
export const verifyWebhook = fp(checkedPlugin(plugin), {
  fastify: '5.x',
  name: 'bulwark-verify-webhook',
});
