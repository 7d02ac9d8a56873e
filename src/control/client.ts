/**
 * A client of the control socket, for `veloz ctl`, tests and tools: connect, send
 * requests with fresh ids, match replies by id.
 */
import { createConnection, type Socket } from 'node:net';
import { LineReader } from './line-reader.js';
import type { ControlReply, RequestId } from './protocol.js';

export class ControlClientError extends Error {
  readonly code: 'CONNECT' | 'TIMEOUT' | 'CLOSED' | 'PROTOCOL';
  constructor(code: 'CONNECT' | 'TIMEOUT' | 'CLOSED' | 'PROTOCOL', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ControlClientError';
    this.code = code;
  }
}

interface Pending {
  resolve: (reply: ControlReply) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const MAX_REPLY_BYTES = 64 << 20;

export class ControlClient {
  private readonly socket: Socket;
  private readonly pending = new Map<RequestId, Pending>();
  private readonly reader = new LineReader(MAX_REPLY_BYTES);
  private nextId = 1;
  private closedError: Error | null = null;
  /** Replies with an id nobody waits for (e.g. a null-id error). */
  readonly unmatched: ControlReply[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      for (const ev of this.reader.push(chunk)) {
        if (ev.kind !== 'line') {
          this.failAll(new ControlClientError('PROTOCOL', `unreadable reply from the engine (${ev.kind})`));
          continue;
        }
        let reply: ControlReply;
        try {
          reply = JSON.parse(ev.text) as ControlReply;
        } catch {
          this.failAll(new ControlClientError('PROTOCOL', 'the engine sent a line that is not JSON'));
          continue;
        }
        const p = reply.id === null ? undefined : this.pending.get(reply.id);
        if (p === undefined) {
          this.unmatched.push(reply);
          continue;
        }
        this.settle(reply.id!, p, reply);
      }
    });
    socket.on('error', (err) => this.failAll(new ControlClientError('CLOSED', `control connection failed: ${err.message}`, { cause: err })));
    socket.on('close', () => {
      // A server that refuses a connection says why in a null-id error before closing.
      const why = this.unmatched.find((r) => r.id === null && !r.ok);
      const detail = why !== undefined && !why.ok ? `: [${why.error.code}] ${why.error.message}` : '';
      this.failAll(new ControlClientError('CLOSED', `the engine closed the control connection${detail}`));
    });
  }

  /** Connects to the socket at `path`; rejects with code CONNECT (the errno in `cause`). */
  static connect(path: string, timeoutMs = 5000): Promise<ControlClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ path });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ControlClientError('TIMEOUT', `no answer from ${path} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new ControlClient(socket));
      });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new ControlClientError('CONNECT', `${err.code ?? 'error'}: ${err.message}`, { cause: err }));
      });
    });
  }

  /** Sends one request; resolves with its reply (ok or not), rejects on timeout or close. */
  request(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<ControlReply> {
    if (this.closedError !== null) return Promise.reject(this.closedError);
    const id = `c${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ControlClientError('TIMEOUT', `${cmd}: no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.write(JSON.stringify({ id, cmd, args }) + '\n');
    });
  }

  /** Writes raw bytes (tests: malformed input). */
  writeRaw(data: string | Buffer): void {
    this.socket.write(data);
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  private settle(id: RequestId, p: Pending, reply: ControlReply): void {
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.resolve(reply);
  }

  private failAll(err: Error): void {
    if (this.closedError === null && err instanceof ControlClientError && err.code === 'CLOSED') this.closedError = err;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(err);
    }
  }
}
