/**
 * One client of the control socket. Lines are handled in arrival order; each gets
 * exactly one reply. Requests run concurrently up to `maxInFlight`; past that the
 * connection stops reading (the socket is paused) until one finishes, so a client that
 * pipelines thousands of requests holds at most one read chunk of lines in memory.
 * Replies to concurrent requests may come back out of order: match them by id.
 */
import type { Socket } from 'node:net';
import { ControlErrorCode, errorCodeOf } from './errors.js';
import { LineReader, type LineEvent } from './line-reader.js';
import { encodeReply, errorReply, okReply, parseRequestLine, type ControlReply, type ControlRequest, type ParsedLine } from './protocol.js';
import type { CommandRegistry } from './registry.js';
import type { ControlCounters } from './server-counters.js';

export interface ConnectionLimits {
  maxLineBytes: number;
  maxInFlight: number;
  commandTimeoutMs: number;
  /** Unread reply bytes after which the client counts as stuck and is disconnected. */
  maxPendingWriteBytes: number;
}

export class ControlConnection {
  readonly id: number;
  private readonly socket: Socket;
  private readonly registry: CommandRegistry;
  private readonly limits: ConnectionLimits;
  private readonly counters: ControlCounters;
  private readonly reader: LineReader;
  private readonly queue: ParsedLine[] = [];
  private readonly running = new Set<AbortController>();
  private inFlight = 0;
  private ended = false;
  private closed = false;

  constructor(id: number, socket: Socket, registry: CommandRegistry, limits: ConnectionLimits, counters: ControlCounters) {
    this.id = id;
    this.socket = socket;
    this.registry = registry;
    this.limits = limits;
    this.counters = counters;
    this.reader = new LineReader(limits.maxLineBytes);
    socket.on('data', (chunk: Buffer) => {
      for (const ev of this.reader.push(chunk)) this.queue.push(parseLine(ev));
      this.pump();
    });
    // The client may send its requests and close its side: answer them, then close ours.
    socket.on('end', () => {
      this.ended = true;
      this.maybeFinish();
    });
    socket.on('error', () => {
      this.counters.socketErrors++;
    });
    socket.on('close', () => {
      this.closed = true;
      for (const ac of this.running) ac.abort();
    });
  }

  /** Closes the connection now (server shutdown). */
  destroy(): void {
    this.socket.destroy();
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      const head = this.queue[0]!;
      if (head.ok && this.inFlight >= this.limits.maxInFlight) break;
      this.queue.shift();
      this.counters.lines++;
      if (head.ok) this.start(head.request);
      else this.send(errorReply(head.id, head.error.code, head.error.message));
    }
    if (this.queue.length > 0) this.socket.pause();
    else if (this.socket.isPaused()) this.socket.resume();
    this.maybeFinish();
  }

  private start(req: ControlRequest): void {
    const def = this.registry.get(req.cmd);
    if (def === undefined) {
      this.send(errorReply(req.id, ControlErrorCode.UNKNOWN_COMMAND, `unknown command ${JSON.stringify(req.cmd)}; known: ${this.registry.names().join(', ')}`));
      return;
    }
    const args = def.args.safeParse(req.args);
    if (!args.success) {
      const msg = args.error.issues
        .map((i) => {
          const where = ['args', ...i.path.map(String)].join('.');
          const keys = i.code === 'unrecognized_keys' ? ` ${i.keys.map((k) => JSON.stringify(k)).join(', ')}` : '';
          return `${where}: ${i.message.replace(/^Invalid input: /, '')}${keys}`;
        })
        .join('; ');
      this.send(errorReply(req.id, ControlErrorCode.INVALID_ARGS, msg));
      return;
    }
    this.inFlight++;
    this.counters.requests++;
    const ac = new AbortController();
    this.running.add(ac);
    const timeoutMs = def.timeoutMs ?? this.limits.commandTimeoutMs;
    let settled = false;
    const finish = (reply: ControlReply): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.running.delete(ac);
      this.inFlight--;
      this.send(reply);
      this.pump();
    };
    const timer = setTimeout(() => {
      ac.abort();
      this.counters.timeouts++;
      finish(errorReply(req.id, ControlErrorCode.TIMEOUT, `${req.cmd} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    Promise.resolve()
      .then(() => def.handler(args.data, { connectionId: this.id, signal: ac.signal }))
      .then(
        (result) => finish(okReply(req.id, result)),
        (err: unknown) => {
          this.counters.handlerErrors++;
          finish(errorReply(req.id, errorCodeOf(err), (err as Error)?.message ?? String(err)));
        },
      );
  }

  private send(reply: ControlReply): void {
    if (!reply.ok) this.counters.countError(reply.error.code);
    if (this.closed) return;
    let line: string;
    try {
      line = encodeReply(reply);
    } catch (err) {
      this.counters.countError(ControlErrorCode.INTERNAL);
      line = encodeReply(errorReply(reply.id, ControlErrorCode.INTERNAL, `result is not JSON-able: ${(err as Error).message}`));
    }
    this.socket.write(line);
    if (this.socket.writableLength > this.limits.maxPendingWriteBytes) {
      // The client does not read its replies; holding them would grow without bound.
      this.counters.slowClients++;
      this.socket.destroy();
    }
  }

  private maybeFinish(): void {
    if (this.ended && this.queue.length === 0 && this.inFlight === 0 && !this.closed) this.socket.end();
  }
}

function parseLine(ev: LineEvent): ParsedLine {
  switch (ev.kind) {
    case 'line':
      return parseRequestLine(ev.text);
    case 'tooLong':
      return { ok: false, id: null, error: { code: ControlErrorCode.LINE_TOO_LONG, message: `line longer than ${ev.limit} bytes; it was discarded up to its newline` } };
    case 'badEncoding':
      return { ok: false, id: null, error: { code: ControlErrorCode.BAD_ENCODING, message: `line of ${ev.bytes} bytes is not valid UTF-8` } };
  }
}
