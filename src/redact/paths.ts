import { normalizeKey } from './key-style.js';

/**
 * One state of the compiled path automaton: where a key leads, and whether a path ends here.
 * States form a graph, not a tree: `**` makes a state lead back to itself.
 */
export interface PathNode {
  /** Next state per exact key (normalized when matching is case-insensitive). */
  readonly children: Map<string, PathNode>;
  /** The keys of `children`, as an array: iterated on every call of the JSON fast path. */
  readonly childKeys: string[];
  /** Next state for any other key or index (`*`, or a live `**`). */
  wildcard: PathNode | undefined;
  /** A configured path ends at this state: the key that led here is redacted. */
  terminal: boolean;
  /** `[this]`, made once: the walkers pass state sets around without allocating. */
  readonly asStates: readonly PathNode[];
  /**
   * Every path through this state ends one key below it (`agents[*].token` at an agent): the
   * JSON fast path then needs no lookups beyond `hasOwn`. Set by compilePaths.
   */
  leafOnly: boolean;
}

export function newNode(): PathNode {
  const node = {
    children: new Map<string, PathNode>(),
    childKeys: [] as string[],
    wildcard: undefined as PathNode | undefined,
    terminal: false,
    asStates: [] as PathNode[],
    leafOnly: false,
  };
  node.asStates.push(node);
  return node;
}

/** Bounds the compiled automaton, so a hostile path list cannot make compilation explode. */
const MAX_NODES = 10_000;
/** Bounds its transitions too: states times the keys each must know (`**` lists many). */
const MAX_EDGES = 100_000;
const MAX_SEGMENTS = 256;

/** The segment value that stands for `*`. A symbol, so no real key can collide with it. */
export const WILDCARD: unique symbol = Symbol('wildcard');
/** The segment value that stands for `**`: zero or more keys or indices. */
export const GLOBSTAR: unique symbol = Symbol('globstar');
export type Segment = string | typeof WILDCARD | typeof GLOBSTAR;

function bad(path: string, problem: string): never {
  throw new TypeError(
    `bulwark: redact paths: ${JSON.stringify(path)} ${problem}; write paths such as ` +
      `'gateway.token', 'agents[*].token', '*.secret', '**.password' or 'headers["x-api-key"]'.`,
  );
}

/** The quote character around a bracketed key (`["x-api-key"]`), or '' when it is not quoted. */
function quoteOf(inner: string): string {
  for (const q of ['"', "'"]) {
    if (inner.length >= 2 && inner.startsWith(q) && inner.endsWith(q)) return q;
  }
  return '';
}

const IDENT = /[A-Za-z0-9_$-]/;

/**
 * Parses one path with a small hand-written scanner (no regular expression, no `Function`):
 * paths can come from configuration that users influence, and the redactor must run under a
 * CSP that forbids `eval`. `**` and `[**]` stand for any number of keys, `*` and `[*]` for
 * exactly one; a quoted `["**"]` is the literal key `**`.
 */
export function parsePath(path: string): Segment[] {
  if (path === '') bad(path, 'is empty');
  const out: Segment[] = [];
  let i = 0;
  let expectSegment = true;
  let stemEnd = 0; // where the last segment other than `**` ends, for the trailing-** message
  while (i < path.length) {
    const c = path[i];
    if (c === '[') {
      const close = path.indexOf(']', i);
      if (close === -1) bad(path, 'has an unclosed [');
      const inner = path.slice(i + 1, close).trim();
      if (inner === '*') out.push(WILDCARD);
      else if (inner === '**') out.push(GLOBSTAR);
      else if (/^\d+$/.test(inner)) out.push(String(Number(inner)));
      else if (quoteOf(inner) !== '') {
        const body = inner.slice(1, -1);
        if (body.includes(quoteOf(inner))) bad(path, 'has a quote inside a quoted key');
        out.push(body);
      } else bad(path, `has [${inner}], which is neither [*], [**], [number] nor ["quoted key"]`);
      i = close + 1;
      if (out[out.length - 1] !== GLOBSTAR) stemEnd = i;
      expectSegment = false;
      continue;
    }
    if (c === '.') {
      if (expectSegment) bad(path, 'has an empty segment');
      i++;
      expectSegment = true;
      continue;
    }
    if (!expectSegment) bad(path, `needs a '.' before position ${i}`);
    if (c === '*') {
      const globstar = path[i + 1] === '*';
      out.push(globstar ? GLOBSTAR : WILDCARD);
      i += globstar ? 2 : 1;
    } else {
      let j = i;
      while (j < path.length && IDENT.test(path[j] ?? '')) j++;
      if (j === i) bad(path, `has an unexpected ${JSON.stringify(c)} at position ${i}`);
      out.push(path.slice(i, j));
      i = j;
    }
    if (out[out.length - 1] !== GLOBSTAR) stemEnd = i;
    expectSegment = false;
  }
  if (expectSegment) bad(path, 'ends with a dot');
  if (out[out.length - 1] === GLOBSTAR) rejectTrailingGlobstar(path, path.slice(0, stemEnd));
  return out;
}

/**
 * `a.**` would redact `a` itself (zero keys) and so everything below it: the same as `a`, or,
 * as `**` alone, the whole value. Almost surely a path with its last key missing, so it is
 * refused with both fixes spelt out.
 */
function rejectTrailingGlobstar(path: string, stem: string): never {
  if (stem === '') {
    bad(path, "ends with **, which would redact every key: name the key, as in '**.token'");
  }
  const quoted = JSON.stringify(stem);
  bad(
    path,
    `ends with **, which would redact all of ${quoted}: to do that, write ${quoted}, or to ` +
      `redact a key at any depth below it, name the key, as in '${stem}.**.token'`,
  );
}

/** A state of the path automaton before determinization: a trie plus `**` edges. */
interface NfaNode {
  readonly id: number;
  readonly children: Map<string, NfaNode>;
  wildcard: NfaNode | undefined;
  /** `**` follows here: a free (ε) edge to a node that every key leads back to. */
  glob: NfaNode | undefined;
  /** This node stands for `**`: any key or index leads back to it. */
  readonly loops: boolean;
  terminal: boolean;
}

/**
 * Compiles every path into one trie, then makes it deterministic (see determinize). Walking
 * the result needs one state per position, never a set of them, so the hot paths neither
 * branch on overlaps nor allocate. Segments are normalized (see normalizeKey) when matching
 * is case-insensitive.
 */
export function compilePaths(paths: readonly string[], caseInsensitive: boolean): PathNode {
  let ids = 0;
  const nfa = (loops: boolean): NfaNode => ({
    id: ids++,
    children: new Map(),
    wildcard: undefined,
    glob: undefined,
    loops,
    terminal: false,
  });
  const root = nfa(false);
  for (const path of paths) {
    if (typeof path !== 'string') bad(String(path), 'is not a string');
    const segments = parsePath(path);
    if (segments.length > MAX_SEGMENTS) bad(path, `has more than ${MAX_SEGMENTS} segments`);
    let node = root;
    for (const seg of segments) {
      if (seg === GLOBSTAR) {
        if (node.loops) continue; // `**.**` is `**`
        node.glob ??= nfa(true);
        node = node.glob;
      } else if (seg === WILDCARD) {
        node.wildcard ??= nfa(false);
        node = node.wildcard;
      } else {
        const key = caseInsensitive ? normalizeKey(seg) : seg;
        let next = node.children.get(key);
        if (next === undefined) {
          next = nfa(false);
          node.children.set(key, next);
        }
        node = next;
      }
    }
    node.terminal = true;
  }
  return determinize(root);
}

/** `nodes` plus every node reachable from them through `**` edges, sorted by id. */
function closure(nodes: readonly NfaNode[]): NfaNode[] {
  const set = new Set(nodes);
  const out = [...set];
  // for-of visits the nodes pushed during the loop too.
  for (const n of out) {
    const g = n.glob;
    if (g !== undefined && !set.has(g)) {
      set.add(g);
      out.push(g);
    }
  }
  return out.sort((a, b) => a.id - b.id);
}

/**
 * Subset construction: each state of the result stands for the set of trie nodes a key
 * sequence can reach. Where an exact key and `*` both match (`gateway.token` and `*.secret`
 * at `gateway`), the exact key's state holds both; `**` keeps its node in every later set,
 * which gives the graph its loops. States are memoized by the nodes that lead anywhere plus
 * whether a path ends there, so equal sets are one state (`**.a` … `**.z` end in one state,
 * not 26), and states and transitions are capped: overlapping wildcards can otherwise need
 * exponentially many.
 */
function determinize(root: NfaNode): PathNode {
  const made = new Map<string, PathNode>();
  const work: { nodes: NfaNode[]; state: PathNode }[] = [];
  let edges = 0;
  const stateFor = (reached: NfaNode[]): PathNode => {
    const terminal = reached.some((n) => n.terminal);
    // Nodes that end a path and lead nowhere only make the state terminal.
    const nodes = reached.filter((n) => n.loops || n.wildcard !== undefined || n.children.size > 0);
    const id = (terminal ? 'T' : '') + nodes.map((n) => n.id).join(',');
    let state = made.get(id);
    if (state === undefined) {
      if (made.size >= MAX_NODES) {
        bad('(all paths)', `expand to more than ${MAX_NODES} states through overlapping wildcards`);
      }
      state = newNode();
      state.terminal = terminal;
      made.set(id, state);
      work.push({ nodes, state });
    }
    return state;
  };
  const start = stateFor(closure([root]));
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    const { nodes, state } = item;
    // Where any key leads: the `*` children, and the `**` nodes themselves.
    const anyKey: NfaNode[] = [];
    for (const n of nodes) {
      if (n.wildcard !== undefined) anyKey.push(n.wildcard);
      if (n.loops) anyKey.push(n);
    }
    const keys = new Set<string>();
    for (const n of nodes) for (const k of n.children.keys()) keys.add(k);
    edges += keys.size + 1;
    if (edges > MAX_EDGES) {
      bad('(all paths)', `expand to more than ${MAX_EDGES} transitions through ** and wildcards`);
    }
    for (const k of keys) {
      const group: NfaNode[] = [];
      for (const n of nodes) {
        const child = n.children.get(k);
        if (child !== undefined) group.push(child);
      }
      state.children.set(k, stateFor(closure(group.concat(anyKey))));
      state.childKeys.push(k);
    }
    if (anyKey.length > 0) state.wildcard = stateFor(closure(anyKey));
  }
  for (const state of made.values()) state.leafOnly = isLeafOnly(state);
  return start;
}

function isLeafOnly(state: PathNode): boolean {
  return (
    state.wildcard === undefined &&
    state.childKeys.length > 0 &&
    state.childKeys.every((k) => {
      const child = state.children.get(k);
      return (
        child !== undefined &&
        child.terminal &&
        child.childKeys.length === 0 &&
        child.wildcard === undefined
      );
    })
  );
}
