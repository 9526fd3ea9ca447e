/**
 * A WeakMap from a request or response object to what bulwark noted about it, one per name
 * for the whole process: kept on `globalThis` under `Symbol.for(name)`, so every copy of
 * bulwark loaded in a process (its ESM and CommonJS builds, two versions in one tree) reads
 * and writes the same marks.
 *
 * Why not a symbol property on the object itself: frameworks add their own properties to
 * Node's request and response (Express adds a dozen after swapping their prototypes), and
 * one more added per request can turn such an object into a slow dictionary-mode object.
 * Measured on Express 5: about 3 KB allocated per request for two marks, against a few
 * dozen bytes for two WeakMap entries.
 */
export function sharedMarks<V>(name: string): WeakMap<object, V> {
  const key = Symbol.for(name);
  const holder = globalThis as { [key]?: unknown };
  const existing = holder[key];
  if (existing instanceof WeakMap) return existing as WeakMap<object, V>;
  const created = new WeakMap<object, V>();
  Object.defineProperty(globalThis, key, { value: created });
  return created;
}
