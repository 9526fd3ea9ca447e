/**
 * The `for=` node of each element of a `Forwarded` header (RFC 7239 section 4), left to
 * right, as written (quotes removed, brackets and ports kept). An element without `for=`
 * yields `undefined`, which the caller skips; an element with broken syntax yields `null`,
 * where the caller must stop. Quoted strings may contain `,` and `;`, so the header is
 * tokenized rather than split, and that is what a client can abuse: an unbalanced quote or a
 * trailing backslash in the part the client wrote swallows the element a proxy appended
 * after it. Nothing left of a broken element can be trusted to be delimited as its writer
 * meant.
 */
export function forwardedForNodes(header: string): (string | undefined | null)[] {
  const nodes: (string | undefined | null)[] = [];
  let node: string | undefined;
  let broken = false;
  let i = 0;
  const n = header.length;
  while (i < n) {
    // One pair: token "=" (token / quoted-string), surrounded by optional whitespace.
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
    const nameStart = i;
    while (i < n && header[i] !== '=' && header[i] !== ';' && header[i] !== ',') i++;
    const name = header.slice(nameStart, i).trim().toLowerCase();
    let value = '';
    if (header[i] === '=') {
      i++;
      if (header[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const c = header[i];
          if (c === '\\' && i + 1 < n) {
            value += header.charAt(i + 1);
            i += 2;
          } else if (c === '"') {
            i++;
            closed = true;
            break;
          } else {
            value += header.charAt(i);
            i++;
          }
        }
        if (!closed) broken = true;
      } else {
        const start = i;
        while (i < n && header[i] !== ';' && header[i] !== ',') i++;
        value = header.slice(start, i).trim();
      }
    } else if (name !== '') broken = true;
    if (name === 'for') {
      if (node !== undefined) broken = true; // a second for= in one element is ambiguous
      node = value;
    }
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
    if (i >= n || header[i] === ',') {
      nodes.push(broken ? null : node);
      node = undefined;
      broken = false;
      i++;
    } else if (header[i] === ';') i++;
    else {
      broken = true;
      while (i < n && header[i] !== ';' && header[i] !== ',') i++;
    }
  }
  return nodes;
}

/**
 * The address in one node: `1.2.3.4`, `1.2.3.4:80`, `[2001:db8::1]`, `[2001:db8::1]:443`,
 * or a bare IPv6 address (X-Forwarded-For writes them so). Obfuscated identifiers
 * (`_hidden`), `unknown` and anything else return undefined.
 */
export function nodeAddress(node: string): string | undefined {
  const text = node.trim();
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) return undefined;
    const rest = text.slice(close + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
    return text.slice(1, close);
  }
  const colon = text.indexOf(':');
  if (colon !== -1 && colon === text.lastIndexOf(':')) {
    // One colon: IPv4 with a port.
    if (!/^\d{1,5}$/.test(text.slice(colon + 1))) return undefined;
    return text.slice(0, colon);
  }
  return text;
}
