import { isHit, isPathHit, matchKey, step, type CompiledRedaction } from './compile.js';
import type { PathNode } from './paths.js';
import { mayContainSecret } from './text.js';

/**
 * Read-only check: would the redacted copy differ from the input? Conservative: anything the
 * copy would transform (a class instance, Map, Set, Error, a value seen twice, a getter that
 * throws, a string that might hold a credential) answers true. Iterative, so depth is no risk.
 */
export function needsRedaction(c: CompiledRedaction, value: unknown): boolean {
  if (typeof value === 'string') return c.scrub !== undefined && mayContainSecret(value);
  if (typeof value !== 'object' || value === null) return false;
  const flat = checkFlat(c, value);
  if (flat !== undefined) return flat;
  const seen = new Set<object>();
  const values: unknown[] = [value];
  const stateStack: (readonly PathNode[])[] = [c.rootStates];
  const depths: number[] = [0];
  try {
    while (values.length > 0) {
      const v = values.pop();
      const states = stateStack.pop() ?? [];
      const depth = depths.pop() ?? 0;
      if (typeof v === 'string') {
        if (c.scrub !== undefined && mayContainSecret(v)) return true;
        continue;
      }
      if (typeof v !== 'object' || v === null) continue;
      if (seen.has(v) || depth > c.maxDepth) return true;
      seen.add(v);
      const proto: unknown = Object.getPrototypeOf(v);
      const isArray = Array.isArray(v);
      if (isArray ? proto !== Array.prototype : proto !== Object.prototype && proto !== null) {
        return true;
      }
      if ('toJSON' in v) return true;
      for (const k of Object.keys(v)) {
        const mk = matchKey(c, k);
        // Field names apply to object keys; array indices are reached by paths only.
        if (isArray ? isPathHit(states, mk) : isHit(c, states, k, mk)) return true;
        if (k === '__proto__') return true;
        values.push((v as Record<string, unknown>)[k]);
        stateStack.push(step(states, mk));
        depths.push(depth + 1);
      }
    }
  } catch {
    return true;
  }
  return false;
}

/**
 * The common log-call case without allocating: a plain object whose values are all
 * primitives. Answers undefined when the object has nested values (the full walk decides).
 */
function checkFlat(c: CompiledRedaction, value: object): boolean | undefined {
  if (Object.getPrototypeOf(value) !== Object.prototype || 'toJSON' in value) return undefined;
  const states = c.rootStates;
  try {
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      const v = (value as Record<string, unknown>)[k];
      if (typeof v === 'object' && v !== null) return undefined;
      if (k === '__proto__' || isHit(c, states, k, matchKey(c, k))) {
        return true;
      }
      if (typeof v === 'string' && c.scrub !== undefined && mayContainSecret(v)) return true;
    }
  } catch {
    return true;
  }
  return false;
}
