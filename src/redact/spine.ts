import { flagOf, isHit, step, type CompiledRedaction } from './compile.js';
import { put } from './copy.js';
import type { PathNode } from './paths.js';

/** Thrown to leave the fast path for the safe deep copy (one instance: no stack capture). */
export const LEAVE_FAST_PATH = new Error('bulwark: value needs the safe redaction path');

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
 * back to the safe deep copy.
 */
export function redactSpine(
  c: CompiledRedaction,
  states: readonly PathNode[],
  value: unknown,
): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (!plainEnough(value)) throw LEAVE_FAST_PATH;
  const src = value as Record<string, unknown>;
  let wild = false;
  for (const s of states) if (s.wildcard !== undefined) wild = true;
  let changes: Map<string, unknown> | undefined;
  let hits: Set<string> | undefined;
  const visit = (k: string): void => {
    const mk = c.caseInsensitive ? k.toLowerCase() : k;
    if (isHit(c, states, mk)) {
      (hits ??= new Set()).add(k);
      return;
    }
    const next = step(states, mk);
    if (next.length === 0) return;
    const before = src[k];
    const after = redactSpine(c, next, before);
    if (after !== before) (changes ??= new Map()).set(k, after);
  };
  if (wild || c.caseInsensitive) {
    for (const k of Object.keys(src)) visit(k);
  } else {
    for (const s of states) {
      for (const k of s.children.keys()) if (Object.hasOwn(src, k)) visit(k);
    }
  }
  if (changes === undefined && hits === undefined) return value;
  if (Array.isArray(src)) {
    const out: unknown[] = [];
    for (let i = 0; i < src.length; i++) {
      const k = String(i);
      if (hits?.has(k) === true) {
        if (c.mode === 'censor') out.push(c.censor);
        else if (c.mode === 'flag') out.push(flagOf(src[i]));
      } else out.push(changes?.has(k) === true ? changes.get(k) : src[i]);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  const flags = new Set<string>();
  if (c.mode === 'flag' && hits !== undefined) for (const h of hits) flags.add(c.flagPrefix + h);
  for (const k of Object.keys(src)) {
    if (hits?.has(k) === true) {
      if (c.mode === 'censor') put(out, k, c.censor);
      else if (c.mode === 'flag') put(out, c.flagPrefix + k, flagOf(src[k]));
    } else if (!flags.has(k)) {
      put(out, k, changes?.has(k) === true ? changes.get(k) : src[k]);
    }
  }
  return out;
}
