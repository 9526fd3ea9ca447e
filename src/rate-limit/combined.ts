import { isPromise } from '../util/maybe-promise.js';
import type { MaybePromise } from '../util/maybe-promise.js';
import { limiterParts } from './limiter.js';
import type { LimiterParts } from './limiter.js';
import type { RateLimitDecision, RateLimiter, RateLimitStore } from './types.js';

/** What several limits decided together: admitted only when every one admitted. */
export interface CombinedDecision {
  /** Whether every limit admitted the request (and each counted it). */
  readonly allowed: boolean;
  /**
   * Each limit's decision, in the order the limiters were given; undefined for a limit that
   * was not asked because an earlier one refused.
   */
  readonly decisions: readonly (RateLimitDecision | undefined)[];
}

/** Decides one request against every limit, each under its own key (same order as the limiters). */
export type CombinedLimit = (keys: readonly string[]) => MaybePromise<CombinedDecision>;

/** One limit of the combined decision: its place in the caller's order and its parts. */
interface Member {
  readonly index: number;
  readonly limiter: RateLimiter;
  readonly parts: LimiterParts;
}

/** Limits that share one store able to decide them in one atomic call. */
interface Group {
  readonly store: RateLimitStore;
  readonly members: Member[];
}

type Out = (RateLimitDecision | undefined)[];

function partsOf(limiter: RateLimiter, index: number): LimiterParts {
  const p = limiterParts(limiter);
  if (p === undefined) {
    throw new TypeError(
      `bulwark: rateLimit limiter[${index}]: not made by createRateLimiter; pass createRateLimiter({ ... }) or its options.`,
    );
  }
  return p;
}

/** The key of a member (the caller passes one per limiter, in order). */
const keyOf = (keys: readonly string[], m: Member): string => keys[m.index] ?? '';

/**
 * Compiles several limits into one decision, the way a login needs "10 a second and 100 a
 * minute" or "per user and per IP": the request is admitted only when every limit admits it,
 * and an admitting limit counts nothing when another refuses (a refusing limit counts the
 * attempt if its `countRejected` says so). Limits that share a store with `consumeAll`
 * (MemoryStore; RedisStore, one script call) are decided in one atomic step. Limits on
 * different stores are asked one store after another and an earlier store's counts are
 * taken back (refunded) when a later one refuses: briefly counted, never admitted beyond a
 * limit. Several limits on one request cost one store call per store, not one per limit.
 */
export function compileCombinedLimit(limiters: readonly RateLimiter[]): CombinedLimit {
  const members: Member[] = limiters.map((limiter, index) => ({
    index,
    limiter,
    parts: partsOf(limiter, index),
  }));
  const groups: Group[] = [];
  for (const m of members) {
    const group = groups.find((g) => g.store === m.parts.store);
    if (group === undefined) {
      groups.push({ store: m.parts.store, members: [m] });
      continue;
    }
    if (group.members.some((o) => o.parts.policy.name === m.parts.policy.name)) {
      throw new TypeError(
        `bulwark: rateLimit limiter[${m.index}]: a second limit named "${m.parts.policy.name}" on the same store would count into the first one's keys; give each limit its own name.`,
      );
    }
    group.members.push(m);
  }

  const refundAdmitted = (list: readonly Member[], keys: readonly string[], out: Out): void => {
    for (const m of list) {
      const d = out[m.index];
      if (d?.allowed === true) void m.limiter.refund(keyOf(keys, m), d);
    }
  };

  /** One after another: stops at the first refusal and takes back what the group counted. */
  const oneByOne = (
    list: readonly Member[],
    keys: readonly string[],
    out: Out,
    from: number,
  ): MaybePromise<boolean> => {
    for (let at = from; at < list.length; at++) {
      const m = list[at];
      if (m === undefined) break;
      const d = m.limiter.decide(keyOf(keys, m));
      if (isPromise(d)) {
        return d.then((late) => {
          out[m.index] = late;
          if (late.allowed) return oneByOne(list, keys, out, at + 1);
          refundAdmitted(list, keys, out);
          return false;
        });
      }
      out[m.index] = d;
      if (!d.allowed) {
        refundAdmitted(list, keys, out);
        return false;
      }
    }
    return true;
  };

  const settled = (
    group: Group,
    keys: readonly string[],
    out: Out,
    decisions: readonly RateLimitDecision[] | undefined,
  ): MaybePromise<boolean> => {
    if (decisions === undefined) return oneByOne(group.members, keys, out, 0);
    const ok = decisions.every((d) => d.allowed);
    group.members.forEach((m, at) => {
      const d = decisions[at];
      // A limit that would have admitted what another refused counted nothing: no event.
      if (d !== undefined) out[m.index] = m.parts.settle(keyOf(keys, m), d, 1, !ok && d.allowed);
    });
    return ok;
  };

  const storeFailed = (
    group: Group,
    keys: readonly string[],
    out: Out,
    error: unknown,
  ): MaybePromise<boolean> => {
    // Each limit's own failure policy answers (fail open, closed, or its fallback limiter).
    const answers = group.members.map((m) => m.parts.failed(error, keyOf(keys, m), 1));
    const finish = (ds: readonly RateLimitDecision[]): boolean => {
      group.members.forEach((m, at) => (out[m.index] = ds[at]));
      if (ds.every((d) => d.allowed)) return true;
      refundAdmitted(group.members, keys, out);
      return false;
    };
    if (!answers.some(isPromise)) return finish(answers as RateLimitDecision[]);
    return Promise.all(answers.map((a) => Promise.resolve(a))).then(finish);
  };

  /** Hands a group's answer on, without a promise step when it is ready now. */
  const chain = (
    ok: MaybePromise<boolean>,
    next: (yes: boolean) => MaybePromise<CombinedDecision>,
  ): MaybePromise<CombinedDecision> => (isPromise(ok) ? ok.then(next) : next(ok));

  /** Decides one group and continues with `next`: one promise step per store call. */
  const decideGroup = (
    group: Group,
    keys: readonly string[],
    out: Out,
    next: (yes: boolean) => MaybePromise<CombinedDecision>,
  ): MaybePromise<CombinedDecision> => {
    const { store, members: list } = group;
    const first = list[0];
    if (first === undefined || list.length === 1 || store.consumeAll === undefined) {
      return chain(oneByOne(list, keys, out, 0), next);
    }
    let result: ReturnType<NonNullable<RateLimitStore['consumeAll']>>;
    try {
      const calls = list.map((m) => ({ policy: m.parts.policy, key: keyOf(keys, m), cost: 1 }));
      result = store.consumeAll(calls, first.parts.clock());
    } catch (error: unknown) {
      return chain(storeFailed(group, keys, out, error), next);
    }
    if (!isPromise(result)) return chain(settled(group, keys, out, result), next);
    return result.then(
      (ds) => chain(settled(group, keys, out, ds), next),
      (error: unknown) => chain(storeFailed(group, keys, out, error), next),
    );
  };

  const refuse = (upTo: number, keys: readonly string[], out: Out): CombinedDecision => {
    groups.slice(0, upTo).forEach((g) => {
      refundAdmitted(g.members, keys, out);
    });
    return { allowed: false, decisions: out };
  };

  const run = (g: number, keys: readonly string[], out: Out): MaybePromise<CombinedDecision> => {
    const group = groups[g];
    if (group === undefined) return { allowed: true, decisions: out };
    return decideGroup(group, keys, out, (yes) =>
      yes ? run(g + 1, keys, out) : refuse(g, keys, out),
    );
  };

  return (keys) => {
    const out: Out = new Array<RateLimitDecision | undefined>(members.length);
    // A key this process knows to be refused is refused before any store is asked.
    for (const m of members) {
      const hit = m.parts.cached(keyOf(keys, m), 1);
      if (hit !== undefined) {
        out[m.index] = hit;
        return { allowed: false, decisions: out };
      }
    }
    return run(0, keys, out);
  };
}
