/** What bulwark notes about one request or response object, for the layer that comes after. */
export interface Marks<V> {
  get(target: object): V | undefined;
  set(target: object, value: V): void;
  has(target: object): boolean;
}

type Slotted = Record<symbol, unknown>;

/**
 * The property a framework may give its request or response objects when it builds them
 * (Fastify's `decorateReply(markSlot(name), null)`), so that the mark `name` is a plain
 * property write instead of a WeakMap entry. Shared by every copy of bulwark in a process.
 */
export function markSlot(name: string): symbol {
  return Symbol.for(`${name}.slot`);
}

/**
 * Marks under one name for the whole process. On an object built with the name's slot
 * (see {@link markSlot}) the mark is that property; on any other object it is an entry in a
 * WeakMap kept on `globalThis` under `Symbol.for(name)`. Either way every copy of bulwark
 * loaded in a process (its ESM and CommonJS builds, two versions in one tree) reads and
 * writes the same marks.
 *
 * Why not always a property: frameworks add their own properties to Node's request and
 * response (Express adds a dozen after swapping their prototypes), and one more added per
 * request can turn such an object into a slow dictionary-mode object. Measured on Express 5:
 * about 3 KB allocated per request for two marks, against a few dozen bytes for two WeakMap
 * entries. Why a declared slot where a framework offers one: a WeakMap entry per request is
 * an ephemeron the garbage collector must trace in every young-generation collection; on
 * Fastify the two per-request WeakMap marks cost about as much server CPU as the security
 * headers and the rate-limit decision together, and a slot Fastify declares in its Reply
 * constructor keeps the object's shape fixed.
 */
export function sharedMarks<V>(name: string): Marks<V> {
  const key = Symbol.for(name);
  const holder = globalThis as { [key]?: unknown };
  let weak = holder[key];
  if (!(weak instanceof WeakMap)) {
    weak = new WeakMap<object, V>();
    Object.defineProperty(globalThis, key, { value: weak });
  }
  const map = weak as WeakMap<object, V>;
  const slot = markSlot(name);
  return {
    get: (target) =>
      slot in target
        ? (((target as Slotted)[slot] ?? undefined) as V | undefined)
        : map.get(target),
    set: (target, value) => {
      if (slot in target) (target as Slotted)[slot] = value;
      else map.set(target, value);
    },
    has: (target) =>
      slot in target
        ? (target as Slotted)[slot] !== undefined && (target as Slotted)[slot] !== null
        : map.has(target),
  };
}
