import { flagOf, isPathHit, step, type CompiledRedaction } from './compile.js';
import { put } from './copy.js';
import { normalizeKey } from './key-style.js';
import type { PathNode } from './paths.js';

/** Thrown to leave the fast path for the safe deep copy (one instance: no stack capture). */
export const LEAVE_FAST_PATH = new Error('bulwark: value needs the safe redaction path');

/**
 * Recursion depth past which the fast path gives up. Only a `**` path keeps a state live this
 * deep (other paths have at most 256 segments); a cycle under it would otherwise recurse until
 * the stack overflows before the safe copy (iterative, cycle-aware) takes over.
 */
const MAX_SPINE_DEPTH = 1000;

function plainEnough(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  // Only plain objects and arrays: a class instance or an own `toJSON` could serialize
  // differently from its copy, so anything else takes the safe path.
  return (
    (proto === Object.prototype || proto === null || proto === Array.prototype) && !('toJSON' in v)
  );
}

/**
 * Redacts only along the configured paths, copying the objects on the way (the "spine") and
 * sharing every other subtree with the input, which stays untouched. JSON.stringify then does
 * the rest natively; if it meets a cycle, a BigInt or a throwing getter, the caller falls
 * back to the safe deep copy. Written without closures or per-node Maps: it runs per log line.
 */
export function redactSpine(
  c: CompiledRedaction,
  states: readonly PathNode[],
  value: unknown,
  depth: number,
): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const node = states[0];
  if (node === undefined) return value;
  if (!plainEnough(value)) throw LEAVE_FAST_PATH;
  if (Array.isArray(value)) {
    if (node.childKeys.length === 0 && node.wildcard !== undefined) {
      return spineArray(c, node.wildcard, value, depth);
    }
  } else if (node.leafOnly && c.mode === 'censor' && !c.caseInsensitive) {
    // The hot case: censor a few keys of one object. A shallow copy keeps every position.
    let out: Record<string, unknown> | undefined;
    for (const k of node.childKeys) {
      if (Object.hasOwn(value, k)) put((out ??= { ...value }), k, c.censor);
    }
    return out ?? value;
  } else if (node.leafOnly && c.mode === 'flag' && !c.caseInsensitive) {
    return flagLeaves(c, node, value as Record<string, unknown>);
  }
  if (depth > MAX_SPINE_DEPTH) throw LEAVE_FAST_PATH;
  const src = value as Record<string, unknown>;
  const all = node.wildcard !== undefined || c.caseInsensitive;
  const keys = all ? Object.keys(src) : node.childKeys;
  let hits: string[] | undefined;
  let changed: string[] | undefined;
  let changedTo: unknown[] | undefined;
  for (const k of keys) {
    if (!all && !Object.hasOwn(src, k)) continue;
    // Only paths are configured here (see CompiledRedaction.pathsOnly): no field lookups.
    const mk = c.caseInsensitive ? normalizeKey(k) : k;
    if (isPathHit(states, mk)) {
      (hits ??= []).push(k);
      continue;
    }
    const before = src[k];
    // Only an object can hold a key to redact (a `**` path reaches every value).
    if (typeof before !== 'object' || before === null) continue;
    const next = step(states, mk);
    if (next.length === 0) continue;
    const after = redactSpine(c, next, before, depth + 1);
    if (after !== before) {
      (changed ??= []).push(k);
      (changedTo ??= []).push(after);
    }
  }
  if (hits === undefined && changed === undefined) return value;
  if (Array.isArray(src) || c.mode === 'censor') {
    // Same keys, new values: a shallow copy keeps every position. Spread defines `__proto__`
    // as an own data key, as the safe copy does.
    const out = (Array.isArray(src) ? src.slice() : { ...src }) as Record<string, unknown>;
    if (changed !== undefined && changedTo !== undefined) {
      for (let i = 0; i < changed.length; i++) put(out, changed[i] ?? '', changedTo[i]);
    }
    if (hits !== undefined) {
      if (Array.isArray(src) && c.mode === 'remove') {
        return (out as unknown as unknown[]).filter((_v, i) => !hits.includes(String(i)));
      }
      for (const k of hits) put(out, k, c.mode === 'censor' ? c.censor : flagOf(src[k]));
    }
    return out;
  }
  // 'flag' renames keys and 'remove' drops them: rebuild in order.
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) {
    if (hits?.includes(k) === true) {
      if (c.mode === 'flag') put(out, c.flagPrefix + k, flagOf(src[k]));
    } else if (c.mode === 'flag' && hits?.includes(stripPrefix(c, k)) === true) {
      // A literal `has_token` beside a flagged `token`: the computed flag wins.
    } else {
      const at = changed?.indexOf(k) ?? -1;
      put(out, k, at === -1 ? src[k] : changedTo?.[at]);
    }
  }
  return out;
}

function stripPrefix(c: CompiledRedaction, key: string): string {
  return key.startsWith(c.flagPrefix) ? key.slice(c.flagPrefix.length) : '';
}

/**
 * An array under `[*]` with no index-specific path: every element gets the same treatment, so
 * the next state is looked up once instead of per index.
 */
function spineArray(c: CompiledRedaction, next: PathNode, src: unknown[], depth: number): unknown {
  if (next.terminal) {
    if (c.mode === 'remove') return [];
    return src.map((v) => (c.mode === 'censor' ? c.censor : flagOf(v)));
  }
  if (next.childKeys.length === 0 && next.wildcard === undefined) return src;
  let out: unknown[] | undefined;
  for (let i = 0; i < src.length; i++) {
    const before = src[i];
    const after = redactSpine(c, next.asStates, before, depth + 1);
    if (after !== before) (out ??= src.slice())[i] = after;
  }
  return out ?? src;
}

/** 'flag' mode on a node whose paths all end one key below: rename in one ordered pass. */
function flagLeaves(
  c: CompiledRedaction,
  node: PathNode,
  src: Record<string, unknown>,
): Record<string, unknown> {
  let any = false;
  for (const k of node.childKeys) if (Object.hasOwn(src, k)) any = true;
  if (!any) return src;
  const prefix = c.flagPrefix;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) {
    if (node.children.has(k)) {
      put(out, prefix + k, flagOf(src[k]));
    } else if (
      k.startsWith(prefix) &&
      node.children.has(k.slice(prefix.length)) &&
      Object.hasOwn(src, k.slice(prefix.length))
    ) {
      // A literal `has_token` beside a flagged `token`: the computed flag wins.
    } else {
      put(out, k, src[k]);
    }
  }
  return out;
}
