import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** True when the server closed the connection after the response. */
  readonly closed: boolean;
}

export interface RawRequestOptions {
  /** Bytes written after the head (already framed by the caller: chunked or not). */
  readonly body?: string | Buffer;
  /**
   * Keep writing this many filler bytes after `body` (framed as chunks when the head says
   * chunked), to see that the server answers without reading them. Default: 0.
   */
  readonly trailingBytes?: number;
  /** Give up after this many milliseconds. Default: 5000. */
  readonly timeoutMs?: number;
}

function parse(raw: Buffer, closed: boolean): RawResponse {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const head = end === -1 ? text : text.slice(0, end);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let body = end === -1 ? '' : text.slice(end + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    let out = '';
    let rest = body;
    for (;;) {
      const nl = rest.indexOf('\r\n');
      const size = parseInt(rest.slice(0, nl), 16);
      if (!(size > 0)) break;
      out += rest.slice(nl + 2, nl + 2 + size);
      rest = rest.slice(nl + 2 + size + 2);
    }
    body = out;
  }
  return {
    status: Number(statusLine.split(' ')[1] ?? 0),
    headers,
    text: Buffer.from(body, 'latin1').toString('utf8'),
    closed,
  };
}

/**
 * Sends `head` (the request line and headers, CRLF-separated, without the blank line) and
 * the body over a raw TCP socket, for the malformed shapes node:http refuses to send:
 * Content-Length with Transfer-Encoding, bodies shorter than declared, endless chunked
 * bodies. Resolves with the first response; the socket is then destroyed.
 */
export async function rawRequest(
  url: string,
  head: string,
  options: RawRequestOptions = {},
): Promise<RawResponse> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const done = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks);
      if (raw.length === 0) reject(new Error('no response'));
      else resolve(parse(raw, closed));
    };
    const timer = setTimeout(() => {
      done(false);
    }, options.timeoutMs ?? 5000);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
    });
    // A reset after the response was read still counts as a closed connection.
    socket.on('error', () => {
      done(true);
    });
    socket.on('end', () => {
      done(true);
    });
    socket.on('close', () => {
      done(true);
    });
    socket.write(`${head}\r\n\r\n`);
    if (options.body !== undefined) socket.write(options.body);
    let left = options.trailingBytes ?? 0;
    const chunked = /transfer-encoding:\s*chunked/i.test(head);
    const filler = Buffer.alloc(16 * 1024, 0x61);
    const frame = (n: number): Buffer =>
      chunked
        ? Buffer.concat([
            Buffer.from(`${n.toString(16)}\r\n`),
            filler.subarray(0, n),
            Buffer.from('\r\n'),
          ])
        : filler.subarray(0, n);
    const pump = (): void => {
      while (left > 0 && !settled) {
        const n = Math.min(left, filler.length);
        left -= n;
        if (!socket.write(frame(n))) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}
