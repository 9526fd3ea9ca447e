import {
  EMPTY_STATES,
  flagOf,
  isAnyKeyHit,
  isHit,
  isPathHit,
  matchKey,
  step,
  stepAnyKey,
  type CompiledRedaction,
} from './compile.js';
import type { PathNode } from './paths.js';

/** Placeholders written where a value cannot be copied faithfully. */
export const CIRCULAR = '[Circular]';
export const UNREADABLE = '[Unreadable]';
export const TOO_DEEP = '[Too deep]';

type Slots = Record<string | number, unknown>;

const VISIT = 0;
const EXIT = 1;
const EXIT_SET = 2;
const EXIT_MAP = 3;

/**
 * One unit of work on the explicit stack. The walk is iterative, so a value nested a million
 * levels deep cannot overflow the call stack, and every job has the same shape, which keeps
 * V8 on its fast path.
 */
class Job {
  constructor(
    readonly src: unknown,
    readonly target: Slots,
    readonly key: string | number,
    readonly states: readonly PathNode[],
    readonly depth: number,
    readonly kind: number,
    /** EXIT_SET / EXIT_MAP: the collected elements or entries; VISIT: 1 = toJSON already called. */
    readonly extra: unknown,
  ) {}
}

/**
 * Writes a key as plain data. `out.__proto__ = x` would replace the copy's prototype instead
 * of creating a key (prototype pollution of the copy, and through it of whatever reads it);
 * defining the property makes `__proto__` an ordinary own key, as JSON.parse does.
 */
export function put(target: Slots, key: string | number, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

const MISSING = Symbol('missing');

/**
 * Copies already made, per source object and path state. A shared (not circular) reference
 * reached again in the same state gets the same copy: a diamond-shaped input (`{ l: x, r: x }`
 * nested 60 deep) is then copied in linear work, not 2^60, also under a `**` path, which
 * keeps a state live at every depth. The copy of an object depends only on the object and the
 * state, so sharing it changes nothing in the output.
 */
class Memo {
  private plain: Map<object, unknown> | undefined;
  private byState: Map<PathNode, Map<object, unknown>> | undefined;

  get(states: readonly PathNode[], src: object): unknown {
    const s = states[0];
    const m = s === undefined ? this.plain : this.byState?.get(s);
    if (m === undefined) return MISSING;
    const made = m.get(src);
    return made === undefined ? MISSING : made; // no copy is ever undefined
  }

  set(states: readonly PathNode[], src: object, made: unknown): void {
    const s = states[0];
    if (s === undefined) {
      (this.plain ??= new Map()).set(src, made);
      return;
    }
    const byState = (this.byState ??= new Map<PathNode, Map<object, unknown>>());
    let m = byState.get(s);
    if (m === undefined) byState.set(s, (m = new Map<object, unknown>()));
    m.set(src, made);
  }
}

/** The state of one deepRedact call, passed to helpers instead of closing over it. */
interface Walk {
  readonly c: CompiledRedaction;
  readonly stack: Job[];
  readonly scrub: ((text: string) => string) | undefined;
}

/** Writes a primitive directly, or a placeholder plus a job for an object. */
function child(
  w: Walk,
  out: Slots,
  key: string | number,
  val: unknown,
  states: readonly PathNode[],
  depth: number,
): void {
  if (typeof val === 'object' && val !== null) {
    put(out, key, undefined); // keeps the key's position; the job fills it
    w.stack.push(new Job(val, out, key, states, depth, VISIT, 0));
  } else {
    put(out, key, w.scrub !== undefined && typeof val === 'string' ? w.scrub(val) : val);
  }
}

/** Copies an object's own enumerable keys, redacting the matched ones. */
function copyKeys(
  w: Walk,
  src: object,
  out: Slots,
  keys: readonly string[],
  states: readonly PathNode[],
  depth: number,
): void {
  const c = w.c;
  let flagged: Set<string> | undefined;
  if (c.mode === 'flag') {
    // A literal `has_token` next to a flagged `token` must not overwrite the flag (or be
    // overwritten by it in an order-dependent way): the computed flag wins.
    for (const k of keys) {
      if (isHit(c, states, k, matchKey(c, k))) (flagged ??= new Set()).add(c.flagPrefix + k);
    }
  }
  for (const k of keys) {
    const mk = matchKey(c, k);
    if (isHit(c, states, k, mk)) {
      if (c.mode === 'censor') put(out, k, c.censor);
      else if (c.mode === 'flag') {
        let set = true; // a getter that throws still means something is there
        try {
          set = flagOf((src as Slots)[k]);
        } catch {
          /* keep true */
        }
        put(out, c.flagPrefix + k, set);
      }
      continue;
    }
    if (flagged?.has(k) === true) continue;
    let val: unknown;
    try {
      val = (src as Slots)[k];
    } catch {
      put(out, k, UNREADABLE);
      continue;
    }
    child(w, out, k, val, step(states, mk), depth);
  }
}

/**
 * The safe deep copy behind every redactor: cycles become `'[Circular]'`, getters and proxies
 * that throw become `'[Unreadable]'`, `toJSON` is honoured as JSON.stringify would, Buffers,
 * typed arrays, Dates, Maps, Sets and Errors are copied as themselves, and a shared (not
 * circular) reference outside every path is copied once and shared in the copy, so a
 * diamond-shaped input cannot blow up exponentially.
 */
export function deepRedact(c: CompiledRedaction, value: unknown): unknown {
  const box: Slots = { v: undefined };
  const stack: Job[] = [new Job(value, box, 'v', c.rootStates, 0, VISIT, 0)];
  const w: Walk = { c, stack, scrub: c.scrub };
  const onStack = new Set<object>();
  const memo = new Memo();
  const scrub = c.scrub;

  for (let job = stack.pop(); job !== undefined; job = stack.pop()) {
    const { target, key, states, depth } = job;
    const src = job.src;
    if (job.kind !== VISIT) {
      const done = src as object;
      onStack.delete(done);
      if (job.kind === EXIT) continue;
      const items = job.extra as unknown[];
      const made = job.kind === EXIT_SET ? new Set(items) : new Map(items as [unknown, unknown][]);
      put(target, key, made);
      memo.set(states, done, made);
      continue;
    }
    if (typeof src !== 'object' || src === null) {
      put(target, key, scrub !== undefined && typeof src === 'string' ? scrub(src) : src);
      continue;
    }
    if (onStack.has(src)) {
      put(target, key, CIRCULAR);
      continue;
    }
    if (depth > c.maxDepth) {
      put(target, key, TOO_DEEP);
      continue;
    }
    const known = memo.get(states, src);
    if (known !== MISSING) {
      put(target, key, known);
      continue;
    }
    const leaf = copyLeaf(src);
    if (leaf !== NOT_LEAF) {
      put(target, key, leaf);
      memo.set(states, src, leaf);
      continue;
    }
    const d = depth + 1;
    try {
      if (job.extra !== 1 && !(src instanceof Map) && !(src instanceof Set)) {
        const toJSON = (src as { toJSON?: unknown }).toJSON;
        if (typeof toJSON === 'function') {
          // JSON.stringify calls toJSON once; so do we, then redact what it returned, so a
          // class cannot smuggle a secret out through its own serialization.
          const r: unknown = toJSON.call(src, String(key));
          if (typeof r === 'object' && r !== null) {
            stack.push(new Job(r, target, key, states, depth, VISIT, 1));
          } else {
            put(target, key, scrub !== undefined && typeof r === 'string' ? scrub(r) : r);
          }
          continue;
        }
      }
      if (Array.isArray(src)) {
        const out: unknown[] = [];
        put(target, key, out);
        memo.set(states, src, out);
        onStack.add(src);
        stack.push(new Job(src, target, key, states, depth, EXIT, 0));
        const len = src.length;
        for (let i = 0; i < len; i++) {
          let val: unknown;
          try {
            val = (src as unknown[])[i];
          } catch {
            out.push(UNREADABLE);
            continue;
          }
          if (states.length === 0) {
            child(w, out as unknown as Slots, out.length, val, EMPTY_STATES, d);
            continue;
          }
          // Fields name object keys: an index is redacted by a path only.
          const k = String(i);
          if (isPathHit(states, k)) {
            if (c.mode === 'censor') out.push(c.censor);
            else if (c.mode === 'flag') out.push(flagOf(val));
            continue;
          }
          child(w, out as unknown as Slots, out.length, val, step(states, k), d);
        }
        continue;
      }
      if (src instanceof Map) {
        const items: unknown[] = [];
        onStack.add(src);
        stack.push(new Job(src, target, key, states, depth, EXIT_MAP, items));
        for (const [k, val] of src as Map<unknown, unknown>) {
          const pair: Slots = [] as unknown as Slots;
          // A key that is not a string has no name to match: only `*` and `**` reach past it.
          let nextStates = stepAnyKey(states);
          if (typeof k === 'string') {
            const mk = matchKey(c, k);
            if (isHit(c, states, k, mk)) {
              if (c.mode === 'censor') items.push([k, c.censor]);
              else if (c.mode === 'flag') items.push([c.flagPrefix + k, flagOf(val)]);
              continue;
            }
            nextStates = step(states, mk);
          }
          items.push(pair);
          child(w, pair, 0, k, EMPTY_STATES, d);
          child(w, pair, 1, val, nextStates, d);
        }
        continue;
      }
      if (src instanceof Set) {
        const items: unknown[] = [];
        onStack.add(src);
        stack.push(new Job(src, target, key, states, depth, EXIT_SET, items));
        // Elements have no key: `s[*]` and `**` reach them, as they would an array's.
        const hit = isAnyKeyHit(states);
        const next = stepAnyKey(states);
        for (const val of src as Set<unknown>) {
          if (hit) {
            if (c.mode === 'censor') items.push(c.censor);
            else if (c.mode === 'flag') items.push(flagOf(val));
            continue;
          }
          child(w, items as unknown as Slots, items.length, val, next, d);
        }
        continue;
      }
      if (src instanceof Error) {
        const msg = src.message;
        const err = new Error(scrub === undefined ? msg : scrub(msg));
        err.name = src.name;
        const stackText = src.stack;
        if (stackText !== undefined) err.stack = scrub === undefined ? stackText : scrub(stackText);
        put(target, key, err);
        memo.set(states, src, err);
        onStack.add(src);
        stack.push(new Job(src, target, key, states, depth, EXIT, 0));
        // `cause` is not enumerable: listed here so fields and paths apply to it as well.
        const keys = Object.keys(src);
        if ('cause' in src && !keys.includes('cause')) keys.unshift('cause');
        copyKeys(w, src, err as unknown as Slots, keys, states, d);
        continue;
      }
      const keys = Object.keys(src);
      const out: Slots = {};
      put(target, key, out);
      memo.set(states, src, out);
      onStack.add(src);
      stack.push(new Job(src, target, key, states, depth, EXIT, 0));
      copyKeys(w, src, out, keys, states, d);
    } catch {
      // A proxy whose traps throw, a toJSON that throws: the value is unreadable, and the
      // copy says so instead of failing the whole call.
      put(target, key, UNREADABLE);
    }
  }
  return box.v;
}

const NOT_LEAF = Symbol('not a leaf');

/** Values copied whole, without looking inside: binary data, dates, patterns. */
function copyLeaf(src: object): unknown {
  if (Buffer.isBuffer(src)) return Buffer.from(src);
  if (ArrayBuffer.isView(src)) {
    if (src instanceof DataView) {
      return new DataView(src.buffer.slice(src.byteOffset, src.byteOffset + src.byteLength));
    }
    return (src as Uint8Array).slice();
  }
  if (src instanceof ArrayBuffer) return src.slice(0);
  if (src instanceof Date) return new Date(src.getTime());
  if (src instanceof RegExp) return new RegExp(src.source, src.flags);
  return NOT_LEAF;
}
