import { connect } from 'node:net';
import type { Socket } from 'node:net';

/** One response read off a raw connection. */
export interface RawReply {
  readonly status: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What happened to one request on a raw connection. */
export type RawOutcome =
  | { readonly kind: 'reply'; readonly reply: RawReply; readonly closed: boolean }
  /** The server closed (or reset) the connection without answering. */
  | { readonly kind: 'closed' };

interface Pending {
  resolve(outcome: RawOutcome): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A raw TCP connection that sends hand-written request bytes and reads the responses one by
 * one, so keep-alive connections can be reused across thousands of attack requests. A
 * response is framed by its Content-Length, chunked encoding, or the connection closing.
 */
export class RawConnection {
  readonly #socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #pending: Pending | undefined;
  #ended = false;
  #connected: Promise<void>;

  constructor(url: string) {
    const { port, hostname } = new URL(url);
    this.#socket = connect(Number(port), hostname);
    this.#socket.setNoDelay(true);
    this.#connected = new Promise((resolve, reject) => {
      this.#socket.once('connect', resolve);
      this.#socket.once('error', reject);
    });
    this.#socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#drain(false);
    });
    const ended = (): void => {
      this.#ended = true;
      this.#drain(true);
    };
    this.#socket.on('end', ended);
    this.#socket.on('close', ended);
    // A reset after (or instead of) an answer is a closed connection, not a test failure.
    this.#socket.on('error', ended);
  }

  /** True once the server closed the connection. */
  get closed(): boolean {
    return this.#ended;
  }

  /** Resolves when the TCP connection is established. */
  ready(): Promise<void> {
    return this.#connected;
  }

  /** Writes bytes without waiting for an answer (a trickle, a body after the head). */
  write(bytes: string | Buffer): void {
    if (!this.#ended) this.#socket.write(bytes);
  }

  /** Writes `bytes` (unless empty) and waits for the next response or the connection closing. */
  async send(bytes: string | Buffer, timeoutMs = 5000): Promise<RawOutcome> {
    await this.#connected;
    const outcome = this.next(timeoutMs);
    if (bytes.length > 0) this.write(bytes);
    return outcome;
  }

  /** Waits for the next response or the connection closing. */
  next(timeoutMs = 5000): Promise<RawOutcome> {
    if (this.#pending !== undefined) throw new Error('one request at a time');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending = undefined;
        reject(new Error(`no response within ${String(timeoutMs)} ms`));
      }, timeoutMs);
      this.#pending = { resolve, reject, timer };
      this.#drain(this.#ended);
    });
  }

  /** Half-closes the client side (no more bytes will come). */
  end(): void {
    this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #drain(ended: boolean): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    const parsed = parseOne(this.#buffer, ended);
    if (parsed === undefined) {
      if (!ended) return;
      this.#settle(pending, { kind: 'closed' });
      return;
    }
    this.#buffer = this.#buffer.subarray(parsed.used);
    // The server announced the close, or already closed: either way the connection is done.
    const closed = ended || /\bclose\b/i.test(parsed.reply.headers.connection ?? '');
    this.#settle(pending, { kind: 'reply', reply: parsed.reply, closed });
  }

  #settle(pending: Pending, outcome: RawOutcome): void {
    clearTimeout(pending.timer);
    this.#pending = undefined;
    pending.resolve(outcome);
  }
}

function parseOne(buffer: Buffer, ended: boolean): { reply: RawReply; used: number } | undefined {
  const end = buffer.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const head = buffer.subarray(0, end).toString('latin1');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const status = Number(statusLine.split(' ')[1] ?? 0);
  const start = end + 4;
  const length = headers['content-length'];
  if (length !== undefined) {
    const stop = start + Number(length);
    if (buffer.length < stop) return undefined;
    return { reply: { status, headers, body: buffer.toString('utf8', start, stop) }, used: stop };
  }
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    let at = start;
    const parts: Buffer[] = [];
    for (;;) {
      const nl = buffer.indexOf('\r\n', at);
      if (nl === -1) return undefined;
      const size = parseInt(buffer.toString('latin1', at, nl), 16);
      if (size === 0) {
        const tail = buffer.indexOf('\r\n\r\n', nl);
        if (tail === -1) return undefined;
        return {
          reply: { status, headers, body: Buffer.concat(parts).toString('utf8') },
          used: tail + 4,
        };
      }
      if (buffer.length < nl + 2 + size + 2) return undefined;
      parts.push(buffer.subarray(nl + 2, nl + 2 + size));
      at = nl + 2 + size + 2;
    }
  }
  // No framing: the body runs to the end of the connection (or there is none, for 1xx/204/304).
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) {
    return { reply: { status, headers, body: '' }, used: start };
  }
  if (!ended) return undefined;
  return { reply: { status, headers, body: buffer.toString('utf8', start) }, used: buffer.length };
}
