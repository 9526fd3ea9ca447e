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

/** Limits that share one store able to decide them in one atomic call. */
interface Group {
  readonly store: RateLimitStore;
  readonly members: readonly number[];
}

function partsOf(limiter: RateLimiter, index: number): LimiterParts {
  const p = limiterParts(limiter);
  if (p === undefined) {
    throw new TypeError(
      `bulwark: rateLimit limiter[${index}]: not made by createRateLimiter; pass createRateLimiter({ ... }) or its options.`,
    );
  }
  return p;
}

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
  const all = limiters.map(partsOf);
  const names = new Map<RateLimitStore, Set<string>>();
  all.forEach((p, i) => {
    const seen = names.get(p.store) ?? new Set<string>();
    if (seen.has(p.policy.name)) {
      throw new TypeError(
        `bulwark: rateLimit limiter[${i}]: a second limit named "${p.policy.name}" on the same store would count into the first one's keys; give each limit its own name.`,
      );
    }
    seen.add(p.policy.name);
    names.set(p.store, seen);
  });
  const groups: Group[] = [];
  all.forEach((p, i) => {
    const group = groups.find((g) => g.store === p.store);
    if (group === undefined) groups.push({ store: p.store, members: [i] });
    else (group.members as number[]).push(i);
  });

  const refundAdmitted = (
    members: readonly number[],
    keys: readonly string[],
    out: (RateLimitDecision | undefined)[],
  ): void => {
    for (const i of members) {
      const d = out[i];
      if (d?.allowed === true) void limiters[i]!.refund(keys[i]!, d);
    }
  };

  /** One after another: stops at the first refusal and takes back what the group counted. */
  const oneByOne = (
    members: readonly number[],
    keys: readonly string[],
    out: (RateLimitDecision | undefined)[],
    from: number,
  ): MaybePromise<boolean> => {
    for (let m = from; m < members.length; m++) {
      const i = members[m]!;
      const d = limiters[i]!.decide(keys[i]!);
      if (isPromise(d)) {
        return d.then((late) => {
          out[i] = late;
          if (late.allowed) return oneByOne(members, keys, out, m + 1);
          refundAdmitted(members, keys, out);
          return false;
        });
      }
      out[i] = d;
      if (!d.allowed) {
        refundAdmitted(members, keys, out);
        return false;
      }
    }
    return true;
  };

  const settled = (
    group: Group,
    keys: readonly string[],
    out: (RateLimitDecision | undefined)[],
    decisions: readonly RateLimitDecision[] | undefined,
  ): MaybePromise<boolean> => {
    if (decisions === undefined) return oneByOne(group.members, keys, out, 0);
    let ok = true;
    group.members.forEach((i, m) => {
      const d = all[i]!.settle(keys[i]!, decisions[m]!, 1);
      out[i] = d;
      if (!d.allowed) ok = false;
    });
    return ok;
  };

  const storeFailed = (
    group: Group,
    keys: readonly string[],
    out: (RateLimitDecision | undefined)[],
    error: unknown,
  ): MaybePromise<boolean> => {
    // Each limit's own failure policy answers (fail open, closed, or its fallback limiter).
    const answers = group.members.map((i) => all[i]!.failed(error, keys[i]!, 1));
    const finish = (ds: readonly RateLimitDecision[]): boolean => {
      group.members.forEach((i, m) => (out[i] = ds[m]));
      if (ds.every((d) => d.allowed)) return true;
      refundAdmitted(group.members, keys, out);
      return false;
    };
    if (answers.some(isPromise)) return Promise.all(answers).then(finish);
    return finish(answers as RateLimitDecision[]);
  };

  const decideGroup = (
    group: Group,
    keys: readonly string[],
    out: (RateLimitDecision | undefined)[],
  ): MaybePromise<boolean> => {
    const { store, members } = group;
    if (members.length === 1 || store.consumeAll === undefined) {
      return oneByOne(members, keys, out, 0);
    }
    let result: ReturnType<NonNullable<RateLimitStore['consumeAll']>>;
    try {
      const calls = members.map((i) => ({ policy: all[i]!.policy, key: keys[i]!, cost: 1 }));
      result = store.consumeAll(calls, all[members[0]!]!.clock());
    } catch (error: unknown) {
      return storeFailed(group, keys, out, error);
    }
    if (!isPromise(result)) return settled(group, keys, out, result);
    return result.then(
      (ds) => settled(group, keys, out, ds),
      (error: unknown) => storeFailed(group, keys, out, error),
    );
  };

  const refuse = (
    upTo: number,
    keys: readonly string[],
    out: (RateLimitDecision | undefined)[],
  ): CombinedDecision => {
    for (let g = 0; g < upTo; g++) refundAdmitted(groups[g]!.members, keys, out);
    return { allowed: false, decisions: out };
  };

  const run = (
    g: number,
    keys: readonly string[],
    out: (RateLimitDecision | undefined)[],
  ): MaybePromise<CombinedDecision> => {
    for (; g < groups.length; g++) {
      const ok = decideGroup(groups[g]!, keys, out);
      if (isPromise(ok)) {
        const at = g;
        return ok.then((yes) => (yes ? run(at + 1, keys, out) : refuse(at, keys, out)));
      }
      if (!ok) return refuse(g, keys, out);
    }
    return { allowed: true, decisions: out };
  };

  return (keys) => {
    const out = new Array<RateLimitDecision | undefined>(all.length);
    // A key this process knows to be refused is refused before any store is asked.
    for (let i = 0; i < all.length; i++) {
      const hit = all[i]!.cached(keys[i]!, 1);
      if (hit !== undefined) {
        out[i] = hit;
        return { allowed: false, decisions: out };
      }
    }
    return run(0, keys, out);
  };
}
