import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import { DEFAULT_MAX_PAYLOAD_BYTES, createBodyReceiver } from 'bulwark';
import type { BodyReceiver, LoggerLike, PayloadLimitOptions } from 'bulwark';
import { hasBody, raiseBodyLimit } from './body-stream.js';
import { settleFastify } from './reject.js';
import { checkedPlugin, scopeSettings } from './route-settings.js';
import type { FastifyOnReject, FastifyRejectOptions } from './reject.js';
import { requestHeaders } from '../shared/node-headers.js';

/** Payload-limit options a route gives in `config.payloadLimit`, merged over the plugin's. */
export interface FastifyPayloadLimitRouteOptions
  extends PayloadLimitOptions, FastifyRejectOptions {}

/** Options for the Fastify `payloadLimit` plugin. */
export interface FastifyPayloadLimitOptions extends FastifyPayloadLimitRouteOptions {
  /** Apply to every route of the scope. With `false`, only routes whose `config.payloadLimit` is set. Default: `true`. */
  readonly global?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Per-route payload limit: options merged over the plugin's for this route, `false` for none. */
    payloadLimit?: FastifyPayloadLimitRouteOptions | false;
  }
  interface FastifyRequest {
    /** The raw request body, set by bulwark's `payloadLimit` and `verifyWebhook`. */
    rawBody?: Buffer;
  }
}

/** One route's compiled limit and how its rejections are answered. */
interface Limit {
  readonly receiver: BodyReceiver;
  readonly onReject: FastifyOnReject | undefined;
  readonly logger: LoggerLike;
}

function prepare(options: FastifyPayloadLimitRouteOptions): Limit {
  const { onReject, logger = console, ...rest } = options;
  return { receiver: createBodyReceiver(rest), onReject, logger };
}

const plugin: FastifyPluginCallback<FastifyPayloadLimitOptions> = (fastify, options, done) => {
  const { global = true, ...base } = options;
  const serverLimit = fastify.initialConfig.bodyLimit ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const limitFor = scopeSettings<FastifyPayloadLimitRouteOptions, Limit>(fastify, {
    read: (config) => config?.payloadLimit,
    global,
    defaults: prepare(base),
    compile: (own) => prepare({ ...base, ...own }),
    onRoute: (route, own) => {
      raiseBodyLimit(route, own?.limit ?? base.limit ?? DEFAULT_MAX_PAYLOAD_BYTES, serverLimit);
    },
  });
  // preParsing sees the payload stream before any content-type parser reads it. The bytes
  // bulwark read are handed on, so Fastify's own parsers still produce request.body.
  fastify.addHook('preParsing', async (request, reply, payload) => {
    // Bodyless requests first: they skip the per-route lookup.
    if (!hasBody(request.headers)) return payload;
    const limit = limitFor(request);
    if (limit === undefined) return payload;
    const receipt = await limit.receiver.receive(payload, requestHeaders(request.raw));
    return settleFastify(receipt, request, reply, payload, limit.onReject, limit.logger);
  });
  done();
};

/**
 * The payload limit as a Fastify plugin, for every route of the scope it is registered in
 * (declared before or after it): 413 over the limit (Mission Control's detail), 400 for the
 * smuggling framings, 415 for encoded bodies unless `inflate`. Leaves `request.rawBody`;
 * Fastify's content-type parsers then fill `request.body` as usual. A route overrides with
 * `config: { payloadLimit: { ... } }` or opts out with `false`.
 */
export const payloadLimit = fp(checkedPlugin(plugin), {
  fastify: '5.x',
  name: 'bulwark-payload-limit',
});
