import { CIRCULAR, put, UNREADABLE } from '../redact/copy.js';
import { parsePath, WILDCARD, type Segment } from '../redact/paths.js';
import { failOption } from '../util/options.js';
import { safeCopy } from './render.js';
import { INVISIBLE } from './unicode.js';

/**
 * One state of the compiled allow-list. Deterministic: where an exact key and `*` both match,
 * their subtrees were merged at compile time, so a walk needs one node per position.
 */
interface FieldNode {
  /** A listed path ends here: the value is kept whole, with everything below it. */
  readonly keep: boolean;
  readonly children: ReadonlyMap<string, FieldNode>;
  /** Where `*` (any key or index) leads, if a path has a wildcard here. */
  readonly any: FieldNode | undefined;
  /**
   * The children that name array indices, ascending: without a wildcard, an array is visited at
   * those indices only, so a sparse array of length 2^32 - 1 costs nothing.
   */
  readonly indices: readonly number[];
}

/** A compiled `allowedFields` list: build it once with {@link compileAllowedFields}. */
export interface FieldFilter {
  /** The paths as given, for the instructions. */
  readonly paths: readonly string[];
  readonly root: FieldNode;
}

interface Draft {
  keep: boolean;
  readonly children: Map<string, Draft>;
  any: Draft | undefined;
}

/** Bounds compilation, so an allow-list with many overlapping wildcards cannot explode. */
const MAX_NODES = 10_000;
const MAX_SEGMENTS = 64;
// eslint-disable-next-line no-control-regex -- control characters and line breaks are the point
const UNWRITABLE = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;
const QUOTED = /\[\s*(["']).*?\1\s*\]/g;
const SYNTAX = `write paths such as 'title', 'author.name', 'items[*].id' or 'meta["content-type"]'`;

/** parsePath, with its diagnosis reworded for this option (it speaks of redact paths). */
function parse(path: string, fail: (problem: string, instead: string) => never): Segment[] {
  try {
    return parsePath(path);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const m = /^bulwark: [^:]+: (.*?); write /.exec(why);
    return fail(m?.[1] ?? why, SYNTAX);
  }
}

const draft = (): Draft => ({ keep: false, children: new Map(), any: undefined });

/**
 * Parses and compiles `allowedFields` with the redaction path syntax (`parsePath`): dots,
 * `*` / `[*]`, `[0]` and `["quoted key"]`. Misconfiguration is a TypeError at creation.
 */
export function compileAllowedFields(scope: string, given: unknown): FieldFilter {
  const fail = (problem: string, instead: string): never =>
    failOption(scope, 'allowedFields', problem, instead);
  if (!Array.isArray(given)) fail('must be an array of field paths', "write ['title', 'body']");
  const paths = given as unknown[];
  // An empty list would fence `{}` for every input: almost certainly a configuration slip
  // (`allowedFields: config.fields ?? []`), so it is refused rather than silently honoured.
  if (paths.length === 0) fail('is empty', 'list at least one field, or leave the option out');
  const root = draft();
  for (const path of paths) {
    if (typeof path !== 'string') fail(`${String(path)} is not a string`, SYNTAX);
    const p = path as string;
    // The paths are repeated in fenceInstructions: a line break or invisible character in a
    // quoted key would forge or hide a line of the system prompt.
    if (UNWRITABLE.test(p) || p.replace(INVISIBLE, '') !== p) {
      fail(`${JSON.stringify(p)} has a control, line-break or invisible character`, SYNTAX);
    }
    // `**` (any depth) would let an allow-list reach fields nobody listed by name; only `*`
    // (exactly one key) is supported. Quoted `["**"]` stays the literal key.
    if (p.replace(QUOTED, '').includes('**')) {
      fail(`${JSON.stringify(p)} uses **, which allowedFields does not support`, SYNTAX);
    }
    const segments = parse(p, fail);
    if (segments.length > MAX_SEGMENTS) {
      fail(`${JSON.stringify(p)} has more than ${MAX_SEGMENTS} segments`, 'write a shorter path');
    }
    let node = root;
    for (const seg of segments) {
      if (seg === WILDCARD) {
        node.any ??= draft();
        node = node.any;
      } else if (typeof seg === 'string') {
        let next = node.children.get(seg);
        if (next === undefined) node.children.set(seg, (next = draft()));
        node = next;
      } else {
        // A segment kind this walker does not know (the redaction syntax may grow): refuse
        // it rather than guess what it should keep.
        fail(`${JSON.stringify(p)} uses a segment allowedFields does not support`, SYNTAX);
      }
    }
    node.keep = true;
  }
  // A copy: the caller's array may change later; the instructions must keep naming these.
  return { paths: Object.freeze([...(paths as string[])]), root: determinize(root, scope) };
}

const KEEP: FieldNode = { keep: true, children: new Map(), any: undefined, indices: [] };

function determinize(root: Draft, scope: string): FieldNode {
  let count = 0;
  const build = (nodes: readonly Draft[]): FieldNode => {
    if (++count > MAX_NODES) {
      failOption(
        scope,
        'allowedFields',
        `expands to more than ${MAX_NODES} states through overlapping wildcards`,
        'list fewer wildcard paths',
      );
    }
    // A kept value is copied whole: whatever else matches below it changes nothing.
    if (nodes.some((n) => n.keep)) return KEEP;
    const wilds: Draft[] = [];
    for (const n of nodes) if (n.any !== undefined) wilds.push(n.any);
    const keys = new Set<string>();
    for (const n of nodes) for (const k of n.children.keys()) keys.add(k);
    const children = new Map<string, FieldNode>();
    for (const k of keys) {
      const group: Draft[] = [];
      for (const n of nodes) {
        const c = n.children.get(k);
        if (c !== undefined) group.push(c);
      }
      children.set(k, build(group.concat(wilds)));
    }
    const indices = [...keys]
      .filter((k) => /^(0|[1-9]\d*)$/.test(k) && Number(k) < 2 ** 32 - 1)
      .map(Number)
      .sort((a, b) => a - b);
    return { keep: false, children, any: wilds.length > 0 ? build(wilds) : undefined, indices };
  };
  return build([root]);
}

/** Marks a value that has no place in the output (not a container where one was expected). */
const DROP: unique symbol = Symbol('drop');

type Slots = Record<string, unknown>;

interface Walk {
  readonly onStack: Set<object>;
  /** Per node, the result already built for an object: a shared (diamond) input costs once. */
  readonly memo: Map<FieldNode, Map<object, unknown>>;
}

/**
 * The allowed fields of `data`, as a plain copy. Fail-closed: only keys on a listed path are
 * read at all (a getter elsewhere never runs), and a value that cannot hold the fields a path
 * names (a string, a number, a Map, a Date…) where an object or array was expected is dropped,
 * never copied. At the top this gives `{}`: a string cannot be field-filtered, so none of it
 * is fenced.
 */
export function selectFields(filter: FieldFilter, data: unknown): unknown {
  const out = select({ onStack: new Set(), memo: new Map() }, filter.root, data, '');
  return out === DROP ? {} : out;
}

function select(w: Walk, node: FieldNode, value: unknown, key: string): unknown {
  if (node.keep) return safeCopy(value);
  if (typeof value !== 'object' || value === null) return DROP;
  if (w.onStack.has(value)) return CIRCULAR;
  let memo = w.memo.get(node);
  const known = memo?.get(value);
  if (known !== undefined) return known;
  w.onStack.add(value);
  let out: unknown;
  try {
    out = container(w, node, value, key);
  } catch {
    // A proxy whose traps throw, a toJSON that throws: say so instead of failing the call,
    // as redact does.
    out = UNREADABLE;
  } finally {
    w.onStack.delete(value);
  }
  if (typeof out === 'object' && out !== null) {
    if (memo === undefined) w.memo.set(node, (memo = new Map<object, unknown>()));
    memo.set(value, out);
  }
  return out;
}

function container(w: Walk, node: FieldNode, value: object, key: string): unknown {
  let v: object = value;
  if (!(v instanceof Map) && !(v instanceof Set)) {
    // JSON.stringify calls toJSON once and writes what it returns; so the fields are picked
    // from that, and a class cannot show more through toJSON than the list allows.
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const r: unknown = toJSON.call(v, key);
      if (typeof r !== 'object' || r === null) return DROP;
      v = r;
    }
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    const len = v.length;
    const item = (i: number, child: FieldNode): void => {
      let val: unknown;
      try {
        val = (v as unknown[])[i];
      } catch {
        out.push(UNREADABLE);
        return;
      }
      const r = select(w, child, val, String(i));
      if (r !== DROP) out.push(r);
    };
    if (node.any === undefined) {
      for (const i of node.indices) {
        const child = node.children.get(String(i));
        if (i < len && child !== undefined) item(i, child);
      }
    } else {
      for (let i = 0; i < len; i++) item(i, node.children.get(String(i)) ?? node.any);
    }
    return out;
  }
  // Maps and Sets write as {} in JSON, binary data and patterns have no named fields: there is
  // nothing a path could select inside them.
  if (
    v instanceof Map ||
    v instanceof Set ||
    v instanceof ArrayBuffer ||
    ArrayBuffer.isView(v) ||
    v instanceof RegExp
  ) {
    return DROP;
  }
  const out: Slots = {};
  for (const k of Object.keys(v)) {
    const child = node.children.get(k) ?? node.any;
    if (child === undefined) continue;
    let val: unknown;
    try {
      val = (v as Slots)[k];
    } catch {
      put(out, k, UNREADABLE);
      continue;
    }
    const r = select(w, child, val, k);
    // put: an own "__proto__" key stays a plain key of the copy, never its prototype.
    if (r !== DROP) put(out, k, r);
  }
  return out;
}
