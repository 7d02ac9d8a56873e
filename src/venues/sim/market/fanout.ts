/**
 * Frames out to market-data connections: a queue per connection written by flush() inside
 * one uWS cork per connection, the injected stream faults applied on the way (gap,
 * duplicate, reorder, malformed, truncated, stall, drop, serverShutdown), and
 * backpressure tracking for the 'max' flow mode.
 */
import type { ArmedStreamFault, SimFaults } from '../faults.js';
import type { SimClock } from '../server/plugin.js';
import { MAX_HELD_FRAMES, type CloseReason, type MdConnection } from './connection.js';
import * as msg from './messages.js';
import type { StreamOut } from './symbol-feed.js';

/** Buffered bytes above which a connection counts as behind ('max' flow waits). */
const HIGH_WATER_BYTES = 1 << 20;

export interface FanoutOptions {
  clock: SimClock;
  faults: SimFaults;
  /** Closes a connection for a reason (the socket server owns sockets). */
  close: (conn: MdConnection, reason: CloseReason) => void;
}

export class FrameFanout {
  readonly conns = new Set<MdConnection>();
  private dirty: MdConnection[] = [];
  private flushScheduled = false;
  private stallTimer: NodeJS.Timeout | null = null;
  private behind = 0;
  private readonly unsubscribeFaults: () => void;

  constructor(private readonly options: FanoutOptions) {
    this.unsubscribeFaults = options.faults.onStreamFault((f) => this.applyStreamFault(f));
  }

  /** Forgets a closed connection; false if it was not known. */
  remove(conn: MdConnection): boolean {
    if (!this.conns.delete(conn)) return false;
    conn.closed = true;
    if (conn.backpressured) this.behind--;
    conn.pending.length = 0;
    return true;
  }

  /** True while some connection has more than HIGH_WATER_BYTES unsent. */
  isBackpressured(): boolean {
    return this.behind > 0;
  }

  /** The socket's drain event: its buffer went down. */
  drained(conn: MdConnection): void {
    if (conn.backpressured && conn.socket.getBufferedAmount() < HIGH_WATER_BYTES / 2) {
      conn.backpressured = false;
      this.behind--;
    }
  }

  /** Sends the serverShutdown event to every connection (raw or combined form). */
  announceShutdown(): void {
    const payload = msg.serverShutdown(this.options.clock.nowMs());
    for (const c of this.conns) this.enqueue(c, c.combined ? msg.combined('!serverShutdown', payload) : payload);
    this.flush();
  }

  stop(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.unsubscribeFaults();
  }

  /** Queues one payload for every subscriber of `out` (wrapped for combined connections). */
  deliver(out: StreamOut, payload: string, isDiff: boolean): void {
    let wrapped: string | null = null;
    const stream = out.name;
    for (const c of out.subs) {
      const frame = c.combined ? (wrapped ??= msg.combined(stream, payload)) : payload;
      if ((c.faults !== null || c.held !== null) && this.faulted(c, stream, frame, isDiff)) continue;
      this.enqueue(c, frame);
    }
    out.sent += out.subs.size;
  }

  /** Applies armed message faults; true when the frame was fully handled here. */
  private faulted(c: MdConnection, stream: string, frame: string, isDiff: boolean): boolean {
    const faults = this.options.faults;
    if (c.takeFault('malformed', stream)) {
      faults.noteFired('malformed');
      this.enqueue(c, '{"e":"depthUpdate","E":,"s":' + frame.length + ']}');
    }
    if (c.takeFault('truncated', stream)) {
      faults.noteFired('truncated');
      this.enqueue(c, frame.slice(0, Math.max(1, frame.length >> 1)));
    }
    if (!isDiff) return false;
    if (c.held !== null) {
      this.enqueue(c, frame);
      this.enqueue(c, c.held);
      c.held = null;
      return true;
    }
    if (c.takeFault('gap', stream)) {
      faults.noteFired('gap');
      return true;
    }
    if (c.takeFault('duplicate', stream)) {
      faults.noteFired('duplicate');
      this.enqueue(c, frame);
      this.enqueue(c, frame);
      return true;
    }
    if (c.takeFault('reorder', stream)) {
      faults.noteFired('reorder');
      c.held = frame;
      return true;
    }
    return false;
  }

  private applyStreamFault(f: ArmedStreamFault): void {
    const now = this.options.clock.nowMs();
    for (const c of [...this.conns]) {
      if (!c.matches(f.stream)) continue;
      switch (f.kind) {
        case 'drop':
          this.options.faults.noteFired('drop');
          this.options.close(c, 'drop');
          break;
        case 'stall':
          this.options.faults.noteFired('stall');
          c.stalledUntil = Math.max(c.stalledUntil, now + f.ms);
          break;
        case 'serverShutdown': {
          this.options.faults.noteFired('serverShutdown');
          const payload = msg.serverShutdown(now);
          this.enqueue(c, c.combined ? msg.combined('!serverShutdown', payload) : payload);
          this.flush();
          const t = setTimeout(() => this.options.close(c, 'shutdown'), f.ms);
          t.unref();
          break;
        }
        default:
          c.addFault(f.kind, f.count, f.stream);
      }
    }
  }

  /** Queues a frame for one connection and makes sure a flush follows. */
  enqueue(c: MdConnection, frame: string | Uint8Array): void {
    if (c.closed) return;
    c.pending.push(frame);
    if (!c.dirty) {
      c.dirty = true;
      this.dirty.push(c);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    }
  }

  /** Writes every queued frame, one cork per connection. Stalled connections keep theirs. */
  flush(): void {
    this.flushScheduled = false;
    if (this.dirty.length === 0) return;
    const list = this.dirty;
    this.dirty = [];
    const now = this.options.clock.nowMs();
    let nextStallEnd = Infinity;
    for (const c of list) {
      if (c.closed) continue;
      if (c.stalledUntil > now) {
        if (c.pending.length > MAX_HELD_FRAMES) {
          this.options.close(c, 'stallOverflow');
          continue;
        }
        this.dirty.push(c);
        nextStallEnd = Math.min(nextStallEnd, c.stalledUntil);
        continue;
      }
      c.dirty = false;
      const frames = c.pending;
      const socket = c.socket;
      socket.cork(() => {
        for (let i = 0; i < frames.length; i++) socket.send(frames[i] as string | Uint8Array);
      });
      c.framesSent += frames.length;
      frames.length = 0;
      if (!c.backpressured && !c.closed && socket.getBufferedAmount() > HIGH_WATER_BYTES) {
        c.backpressured = true;
        this.behind++;
      }
    }
    if (nextStallEnd !== Infinity && !this.stallTimer) {
      this.stallTimer = setTimeout(() => {
        this.stallTimer = null;
        this.flush();
      }, Math.max(1, nextStallEnd - now));
      this.stallTimer.unref();
    }
  }
}
