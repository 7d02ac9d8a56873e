/**
 * The engine's control socket (design §9): a unix domain socket, mode 0600, speaking
 * NDJSON (protocol.ts), served on the io thread. Commands come from a CommandRegistry
 * that each owner fills in.
 *
 * Permissions: the socket is bound while the process umask is 0177, so it is created
 * 0600 with no window in which another user could connect; it is chmod-ed to 0600 again
 * after binding in case the filesystem ignores the umask for sockets. process.umask is
 * process-wide and main-thread only, which is where the io thread runs.
 */
import { chmod, stat } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { isMainThread } from 'node:worker_threads';
import { ControlConnection, type ConnectionLimits } from './control-connection.js';
import { ControlErrorCode, ControlSocketError, ControlSocketErrorCode } from './errors.js';
import { encodeReply, errorReply } from './protocol.js';
import type { CommandRegistry } from './registry.js';
import { ControlCounters } from './server-counters.js';
import { prepareSocketPath } from './socket-path.js';

export interface ControlServerOptions {
  path: string;
  registry: CommandRegistry;
  /** Longest request line in bytes (default 1 MiB). */
  maxLineBytes?: number;
  /** Concurrent clients (default 16); one more is told TOO_MANY_CONNECTIONS and closed. */
  maxConnections?: number;
  /** Concurrent requests per client (default 8). */
  maxInFlight?: number;
  /** Time limit of a command (default 10 s); a command may set its own. */
  commandTimeoutMs?: number;
  /** Unread reply bytes after which a client is disconnected (default 8 MiB). */
  maxPendingWriteBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

export interface ControlServerStats {
  path: string;
  connections: number;
  connectionsTotal: number;
  refusedConnections: number;
  lines: number;
  requests: number;
  handlerErrors: number;
  timeouts: number;
  slowClients: number;
  errors: Record<string, number>;
}

const SOCKET_MODE = 0o600;

export class ControlServer {
  readonly registry: CommandRegistry;
  private readonly requestedPath: string;
  private readonly limits: ConnectionLimits;
  private readonly maxConnections: number;
  private readonly counters = new ControlCounters();
  private readonly live = new Set<ControlConnection>();
  private server: Server | null = null;
  private boundPath: string | null = null;
  private nextId = 1;

  constructor(opts: ControlServerOptions) {
    this.requestedPath = opts.path;
    this.registry = opts.registry;
    this.maxConnections = positive('maxConnections', opts.maxConnections ?? 16);
    this.limits = {
      maxLineBytes: positive('maxLineBytes', opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES),
      maxInFlight: positive('maxInFlight', opts.maxInFlight ?? 8),
      commandTimeoutMs: positive('commandTimeoutMs', opts.commandTimeoutMs ?? 10_000),
      maxPendingWriteBytes: positive('maxPendingWriteBytes', opts.maxPendingWriteBytes ?? 8 << 20),
    };
  }

  /** The absolute socket path once listening. */
  get path(): string {
    return this.boundPath ?? this.requestedPath;
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  /** Checks the path (socket-path.ts), binds 0600 and listens. Throws ControlSocketError. */
  async start(): Promise<void> {
    if (this.server !== null) throw new Error('control server already started');
    if (!isMainThread) {
      throw new ControlSocketError(ControlSocketErrorCode.SETUP, this.requestedPath, 'must be started on the main (io) thread: it sets the process umask to bind');
    }
    const path = await prepareSocketPath(this.requestedPath);
    const server = createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        this.server = null;
        const code = err.code === 'EADDRINUSE' ? ControlSocketErrorCode.IN_USE : ControlSocketErrorCode.SETUP;
        reject(new ControlSocketError(code, path, err.code === 'EADDRINUSE' ? 'another process bound it first' : err.message, { cause: err }));
      };
      server.once('error', onError);
      const previous = process.umask(0o177);
      try {
        // bind(2) runs inside listen() synchronously: the socket file is born 0600.
        server.listen({ path, backlog: 64 }, () => {
          server.off('error', onError);
          resolve();
        });
      } finally {
        process.umask(previous);
      }
    });
    this.boundPath = path;
    try {
      await chmod(path, SOCKET_MODE);
      const st = await stat(path);
      if ((st.mode & 0o777) !== SOCKET_MODE) throw new Error(`mode is ${(st.mode & 0o777).toString(8)} after chmod`);
    } catch (err) {
      await this.close();
      throw new ControlSocketError(ControlSocketErrorCode.SETUP, path, `cannot make the socket private (0600): ${(err as Error).message}`, { cause: err });
    }
    server.on('error', () => {
      this.counters.socketErrors++;
    });
  }

  /** Stops listening, closes every client and removes the socket file. */
  async close(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    for (const c of this.live) c.destroy();
    this.live.clear();
    // net.Server unlinks its unix socket path when it closes.
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  stats(): ControlServerStats {
    const c = this.counters;
    return {
      path: this.path,
      connections: this.live.size,
      connectionsTotal: c.connections,
      refusedConnections: c.refusedConnections,
      lines: c.lines,
      requests: c.requests,
      handlerErrors: c.handlerErrors,
      timeouts: c.timeouts,
      slowClients: c.slowClients,
      errors: { ...c.errors },
    };
  }

  private accept(socket: Socket): void {
    if (this.live.size >= this.maxConnections) {
      this.counters.refusedConnections++;
      this.counters.countError(ControlErrorCode.TOO_MANY_CONNECTIONS);
      socket.on('error', () => {});
      socket.end(encodeReply(errorReply(null, ControlErrorCode.TOO_MANY_CONNECTIONS, `the engine serves at most ${this.maxConnections} control connections at once`)));
      return;
    }
    this.counters.connections++;
    const conn = new ControlConnection(this.nextId++, socket, this.registry, this.limits, this.counters);
    this.live.add(conn);
    socket.once('close', () => this.live.delete(conn));
  }
}

function positive(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`control server ${name} must be a positive integer, got ${v}`);
  return v;
}
