import type {
  AppSpec,
  MiddlewareSpec,
  RateLimitMiddlewareSpec,
  Scenario,
  ScopeSpec,
  StartupScenario,
} from './types.js';

/**
 * The parts protect stands for, in its order. A run of these in a middleware list, in this
 * order, is what protect replaces: security headers (not `false`, which on Fastify means a
 * registered plugin that routes can still switch on), then cors, then a rate limit (not
 * one shared as an instance with another mount).
 */
function protectRun(
  use: readonly MiddlewareSpec[],
): { start: number; spec: MiddlewareSpec; end: number } | undefined {
  for (let start = 0; start < use.length; start++) {
    let i = start;
    let securityHeaders: MiddlewareSpec | undefined;
    let cors: MiddlewareSpec | undefined;
    let rateLimit: RateLimitMiddlewareSpec | undefined;
    const at = use[i];
    if (at?.kind === 'securityHeaders' && at.options !== false) securityHeaders = use[i++];
    const c = use[i];
    if (c?.kind === 'cors') cors = use[i++];
    const r = use[i];
    if (r?.kind === 'rateLimit' && r.options !== false && r.share === undefined) {
      rateLimit = r;
      i++;
    }
    if (i === start) continue;
    return {
      start,
      end: i,
      spec: {
        kind: 'protect',
        securityHeaders:
          securityHeaders?.kind === 'securityHeaders' ? (securityHeaders.options ?? {}) : false,
        ...(cors?.kind === 'cors' ? { cors: cors.options } : {}),
        ...(rateLimit === undefined ? {} : { rateLimit }),
      },
    };
  }
  return undefined;
}

/** The list with every run replaced by one protect, or undefined when it has none. */
function replaced(use: readonly MiddlewareSpec[]): readonly MiddlewareSpec[] | undefined {
  const out: MiddlewareSpec[] = [];
  let rest = use;
  for (let run = protectRun(rest); run !== undefined; run = protectRun(rest)) {
    out.push(...rest.slice(0, run.start), run.spec);
    rest = rest.slice(run.end);
  }
  return rest === use ? undefined : [...out, ...rest];
}

/**
 * The same scenarios (or wirings refused at startup) with the separate middlewares replaced by one `protect` wherever they
 * are mounted in its order: protect must behave exactly as they do, misuse cases included.
 * Scenarios with nothing to replace are left out; scenarios that shared an app still share
 * one.
 */
export function asProtect<T extends Scenario | StartupScenario>(scenarios: readonly T[]): T[] {
  const apps = new Map<AppSpec, AppSpec | undefined>();
  const convert = (app: AppSpec): AppSpec | undefined => {
    if (apps.has(app)) return apps.get(app);
    const use = replaced(app.use);
    let changed = use !== undefined;
    const scopes = app.scopes?.map((scope): ScopeSpec => {
      const scoped = replaced(scope.use);
      if (scoped === undefined) return scope;
      changed = true;
      return { ...scope, use: scoped };
    });
    const result = changed
      ? { ...app, use: use ?? app.use, ...(scopes === undefined ? {} : { scopes }) }
      : undefined;
    apps.set(app, result);
    return result;
  };
  const out: T[] = [];
  for (const scenario of scenarios) {
    const app = convert(scenario.app);
    if (app !== undefined) out.push({ ...scenario, name: `protect: ${scenario.name}`, app });
  }
  return out;
}
