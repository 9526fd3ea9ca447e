import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import { DEFAULT_MAX_PAYLOAD_BYTES, createBodyReceiver } from 'bulwark';
import type { BodyReceiver, PayloadLimitOptions } from 'bulwark';
import { hasBody, raiseBodyLimit } from './body-stream.js';
import { settleFastify } from './reject.js';
import { routeSettings } from './route-settings.js';
import type { FastifyRejectOptions } from './reject.js';

/** Options for the Fastify `payloadLimit` plugin. */
export interface FastifyPayloadLimitOptions extends PayloadLimitOptions, FastifyRejectOptions {
  /** Apply to every route. With `false`, only routes whose `config.payloadLimit` is set. Default: `true`. */
  readonly global?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Per-route payload limit: options merged over the plugin's for this route, `false` for none. */
    payloadLimit?: PayloadLimitOptions | false;
  }
  interface FastifyRequest {
    /** The raw request body, set by bulwark's `payloadLimit` and `verifyWebhook`. */
    rawBody?: Buffer;
  }
}

const plugin: FastifyPluginCallback<FastifyPayloadLimitOptions> = (fastify, options, done) => {
  const { global = true, onReject, ...base } = options;
  const defaults = createBodyReceiver(base);
  const serverLimit = fastify.initialConfig.bodyLimit ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const receiverFor = routeSettings<PayloadLimitOptions, BodyReceiver>(fastify, {
    read: (config) => config?.payloadLimit,
    global,
    defaults,
    compile: (own) => createBodyReceiver({ ...base, ...own }),
    onRoute: (route, own) => {
      raiseBodyLimit(route, own?.limit ?? base.limit ?? DEFAULT_MAX_PAYLOAD_BYTES, serverLimit);
    },
  });
  // preParsing sees the payload stream before any content-type parser reads it. The bytes
  // bulwark read are handed on, so Fastify's own parsers still produce request.body.
  fastify.addHook('preParsing', async (request, reply, payload) => {
    // Bodyless requests first: they skip the per-route lookup.
    if (!hasBody(request.headers)) return payload;
    const receiver = receiverFor(request);
    if (receiver === undefined) return payload;
    const receipt = await receiver.receive(payload, request.raw.headersDistinct);
    return settleFastify(receipt, request, reply, payload, onReject);
  });
  done();
};

/**
 * The payload limit as a Fastify plugin, global by default: 413 over the limit (Mission
 * Control's detail), 400 for the smuggling framings, 415 for encoded bodies unless
 * `inflate`. Leaves `request.rawBody`; Fastify's content-type parsers then fill
 * `request.body` as usual. A route overrides with `config: { payloadLimit: { ... } }` or
 * opts out with `false`.
 */
export const payloadLimit = fp(plugin, { fastify: '5.x', name: 'bulwark-payload-limit' });
