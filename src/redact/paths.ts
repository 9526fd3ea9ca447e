/** One node of the compiled path trie: where a key leads, and whether a path ends here. */
export interface PathNode {
  /** Child per exact key (lower-cased when matching is case-insensitive). */
  readonly children: Map<string, PathNode>;
  /** The keys of `children`, as an array: iterated on every call of the JSON fast path. */
  readonly childKeys: string[];
  /** Child for `*`, which matches any key or index. */
  wildcard: PathNode | undefined;
  /** A configured path ends at this node: the key that led here is redacted. */
  terminal: boolean;
  /** `[this]`, made once: the walkers pass state sets around without allocating. */
  readonly asStates: readonly PathNode[];
  /**
   * Every path through this node ends one key below it (`agents[*].token` at an agent): the
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

/** Bounds the compiled trie, so a hostile path list cannot make compilation explode. */
const MAX_NODES = 10_000;
const MAX_SEGMENTS = 256;

/** The segment value that stands for `*`. A symbol, so no real key can collide with it. */
export const WILDCARD: unique symbol = Symbol('wildcard');
export type Segment = string | typeof WILDCARD;

function bad(path: string, problem: string): never {
  throw new TypeError(
    `bulwark: redact paths: ${JSON.stringify(path)} ${problem}; write paths such as ` +
      `'gateway.token', 'agents[*].token', '*.secret' or 'headers["x-api-key"]'.`,
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
 * CSP that forbids `eval`.
 */
export function parsePath(path: string): Segment[] {
  if (path === '') bad(path, 'is empty');
  const out: Segment[] = [];
  let i = 0;
  let expectSegment = true;
  while (i < path.length) {
    const c = path[i];
    if (c === '[') {
      const close = path.indexOf(']', i);
      if (close === -1) bad(path, 'has an unclosed [');
      const inner = path.slice(i + 1, close).trim();
      if (inner === '*') out.push(WILDCARD);
      else if (/^\d+$/.test(inner)) out.push(String(Number(inner)));
      else if (quoteOf(inner) !== '') {
        const body = inner.slice(1, -1);
        if (body.includes(quoteOf(inner))) bad(path, 'has a quote inside a quoted key');
        out.push(body);
      } else bad(path, `has [${inner}], which is neither [*], [number] nor ["quoted key"]`);
      i = close + 1;
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
      out.push(WILDCARD);
      i++;
    } else {
      let j = i;
      while (j < path.length && IDENT.test(path[j] ?? '')) j++;
      if (j === i) bad(path, `has an unexpected ${JSON.stringify(c)} at position ${i}`);
      out.push(path.slice(i, j));
      i = j;
    }
    expectSegment = false;
  }
  if (expectSegment) bad(path, 'ends with a dot');
  return out;
}

/**
 * Compiles every path into one trie, then makes it deterministic: where an exact key and `*`
 * both match (`gateway.token` and `*.secret` at `gateway`), their subtrees are merged into the
 * exact child. Walking the result needs one node per position, never a set of them, so the
 * hot paths neither branch on overlaps nor allocate.
 */
export function compilePaths(paths: readonly string[], caseInsensitive: boolean): PathNode {
  const root = newNode();
  for (const path of paths) {
    if (typeof path !== 'string') bad(String(path), 'is not a string');
    const segments = parsePath(path);
    if (segments.length > MAX_SEGMENTS) bad(path, `has more than ${MAX_SEGMENTS} segments`);
    let node = root;
    for (const seg of segments) {
      if (seg === WILDCARD) {
        node.wildcard ??= newNode();
        node = node.wildcard;
      } else {
        const key = caseInsensitive ? seg.toLowerCase() : seg;
        let next = node.children.get(key);
        if (next === undefined) {
          next = newNode();
          node.children.set(key, next);
          node.childKeys.push(key);
        }
        node = next;
      }
    }
    node.terminal = true;
  }
  return determinize(root);
}

function determinize(root: PathNode): PathNode {
  let count = 0;
  const build = (nodes: readonly PathNode[]): PathNode => {
    if (++count > MAX_NODES) {
      bad('(all paths)', `expand to more than ${MAX_NODES} states through overlapping wildcards`);
    }
    const out = newNode();
    out.terminal = nodes.some((n) => n.terminal);
    const wilds: PathNode[] = [];
    for (const n of nodes) if (n.wildcard !== undefined) wilds.push(n.wildcard);
    const keys = new Set<string>();
    for (const n of nodes) for (const k of n.childKeys) keys.add(k);
    for (const k of keys) {
      const group: PathNode[] = [];
      for (const n of nodes) {
        const child = n.children.get(k);
        if (child !== undefined) group.push(child);
      }
      const child = build(group.concat(wilds));
      out.children.set(k, child);
      out.childKeys.push(k);
    }
    if (wilds.length > 0) out.wildcard = build(wilds);
    out.leafOnly =
      out.wildcard === undefined &&
      out.childKeys.length > 0 &&
      out.childKeys.every((k) => {
        const child = out.children.get(k);
        return (
          child !== undefined &&
          child.terminal &&
          child.childKeys.length === 0 &&
          child.wildcard === undefined
        );
      });
    return out;
  };
  return build([root]);
}
