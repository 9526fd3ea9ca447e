import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { protect as expressProtect } from 'bulwark/express';
import { protect as fastifyProtect } from 'bulwark/fastify';
import { protect as koaProtect } from 'bulwark/koa';
import { checkProtectOptions } from '../../../adapters/shared/protect-options.js';

const limiter = { limit: 10, windowMs: 60_000 };

describe('checkProtectOptions', () => {
  it('accepts each part alone and all three together', () => {
    expect(() => {
      checkProtectOptions({});
    }).not.toThrow();
    expect(() => {
      checkProtectOptions({ securityHeaders: false, rateLimit: { limiter } });
    }).not.toThrow();
    expect(() => {
      checkProtectOptions({ securityHeaders: false, cors: { origins: [] } });
    }).not.toThrow();
    expect(() => {
      checkProtectOptions({ securityHeaders: {}, cors: { origins: [] }, rateLimit: { limiter } });
    }).not.toThrow();
  });

  it('names the part a misspelt key meant, so a limit cannot be dropped silently', () => {
    expect(() => {
      checkProtectOptions({ ratelimit: { limiter } });
    }).toThrow(/unknown option "ratelimit"; write rateLimit/);
    expect(() => {
      checkProtectOptions({ helmet: {} });
    }).toThrow(/unknown option "helmet"; the parts are securityHeaders, cors, rateLimit/);
  });

  it('refuses options that are not an object, and a protect with every part off', () => {
    for (const bad of [null, 'strict', [], 3]) {
      expect(() => {
        checkProtectOptions(bad);
      }).toThrow(/options must be an object; write protect\(\{/);
    }
    expect(() => {
      checkProtectOptions({ securityHeaders: false, cors: false, rateLimit: false });
    }).toThrow(/every part is off/);
  });
});

describe('protect refuses bad options at startup on every framework', () => {
  const bad = { ratelimit: { limiter } } as never;

  it('Express and Koa throw when the middleware is created', () => {
    expect(() => expressProtect(bad)).toThrow(/write rateLimit/);
    expect(() => koaProtect(bad)).toThrow(/write rateLimit/);
  });

  it('Fastify rejects the registration, as any plugin boot error', async () => {
    const app = Fastify();
    await expect(app.register(fastifyProtect, bad)).rejects.toThrow(/write rateLimit/);
    await app.close();
  });

  it("a part's own bad options fail as that middleware's would", async () => {
    const part = { rateLimit: { limiter: { limit: 0, windowMs: 1000 } } };
    expect(() => expressProtect(part)).toThrow(/bulwark: /);
    expect(() => koaProtect(part)).toThrow(/bulwark: /);
    const app = Fastify();
    await expect(app.register(fastifyProtect, part)).rejects.toThrow(/bulwark: /);
    await app.close();
  });
});
