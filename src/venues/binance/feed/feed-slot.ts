/**
 * FeedSlot: one planned stream set kept subscribed for the life of the feed, across any
 * number of sockets. It holds the active connection and, during a make-before-break
 * replacement, a standby one; it reconnects lost connections with backoff under the
 * shared connection-attempt budget, and tells the owner exactly when its streams stop and
 * start being trustworthy:
 *
 *   live ──lost (drop, error, read deadline, …)──► onStreamsInterrupted ─backoff─► reconnect
 *     │                                                                   └─► onSubscribed(resubscribed)
 *     └─lifetime / serverShutdown──► standby opens and subscribes while the active still
 *        delivers ──standby live──► active closed ('replaced'), onHandover; no interruption.
 *        If the active dies first, the standby takes over as the reconnect (interruption).
 *
 * During a handover both sockets carry the same streams for a moment. The standby holds
 * its frames until the old socket is closed, so the sink sees the old copy up to its end,
 * then the new copy from its start: the overlap shows up as duplicate update ids, which
 * the book drops (u <= book id); a gap would show up as one and trigger a resync, as any
 * gap does.
 */
import type { FeedConfig } from './config.js';
import type { PlannedConnection } from './connection-plan.js';
import { FeedConnection, type ConnectionEnv, type ConnectionInfo, type ConnectionOwner, type FrameSink, type VenueError } from './connection.js';
import { CONN_COUNTER, ConnectionCounters } from './counters.js';
import { ReconnectBackoff } from './backoff.js';
import { interruptsStreams, type DisconnectReason, type HandoverReason } from './reasons.js';
import type { SlidingWindowLimit } from './sliding-window.js';

/** What the owner of a feed hears. Every method but onFrame is optional. */
export interface FeedHandler {
  onFrame: FrameSink;
  /** A socket completed its handshake (before subscribing). */
  onConnected?(conn: ConnectionInfo): void;
  /**
   * `streams` are subscribed and flowing. `resubscribed` is true after an interruption:
   * the books of these streams must be rebuilt (snapshot + buffered diffs).
   */
  onSubscribed?(conn: ConnectionInfo, streams: readonly string[], resubscribed: boolean): void;
  /**
   * `streams` stopped: frames may have been lost. Every book fed by them is invalid from
   * now until it has been resynced after the matching onSubscribed. Fired once per
   * interruption, however many reconnect attempts follow.
   */
  onStreamsInterrupted?(streams: readonly string[], reason: DisconnectReason, conn: ConnectionInfo): void;
  /** A socket ended, for any reason (including 'replaced' and 'stopped'). */
  onDisconnected?(conn: ConnectionInfo, reason: DisconnectReason, detail: string): void;
  /** The venue refused to subscribe `streams` (bad name, too many streams). Not retried. */
  onSubscribeError?(conn: ConnectionInfo, streams: readonly string[], error: VenueError): void;
  /** A make-before-break replacement finished: `to` carries the streams, `from` is closed. */
  onHandover?(from: ConnectionInfo, to: ConnectionInfo, reason: HandoverReason): void;
}

export interface SlotEnv {
  readonly cfg: FeedConfig;
  readonly handler: FeedHandler;
  readonly attempts: SlidingWindowLimit;
  readonly recvClock: () => bigint;
  readonly monoMs: () => number;
  readonly random: () => number;
  readonly nextConnectionId: () => number;
}

export class FeedSlot implements ConnectionOwner {
  readonly counters: ConnectionCounters;
  private readonly backoff: ReconnectBackoff;
  private active: FeedConnection | null = null;
  private standby: FeedConnection | null = null;
  private standbyReason: HandoverReason = 'lifetime';
  private timer: NodeJS.Timeout | null = null;
  private everLive = false;
  /**
   * The streams are not live: before the first subscription, and from an interruption
   * (reported once) until the next. Starts true so a failed first attempt reports nothing.
   */
  private interrupted = true;
  private stopped = false;
  private readonly connEnv: ConnectionEnv;

  constructor(
    readonly plan: PlannedConnection,
    private readonly env: SlotEnv,
    counterBlock?: Float64Array,
  ) {
    this.counters = new ConnectionCounters(plan.slot, counterBlock);
    this.backoff = new ReconnectBackoff(env.cfg.backoff, env.random);
    this.connEnv = { cfg: env.cfg, frames: env.handler, recvClock: env.recvClock, monoMs: env.monoMs, random: env.random };
  }

  /** The socket currently responsible for the streams (may still be subscribing). */
  get connection(): ConnectionInfo | null {
    return this.active;
  }

  get isLive(): boolean {
    return this.active?.isLive === true;
  }

  get handingOver(): boolean {
    return this.standby !== null;
  }

  start(): void {
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    const closing: Promise<void>[] = [];
    if (this.standby) closing.push(this.standby.close('stopped'));
    if (this.active) closing.push(this.active.close('stopped'));
    this.standby = this.active = null;
    await Promise.all(closing);
  }

  connectionOpened(conn: FeedConnection): void {
    this.env.handler.onConnected?.(conn);
  }

  connectionLive(conn: FeedConnection): void {
    const now = this.env.monoMs();
    if (conn === this.standby) return this.completeHandover(conn, now);
    if (conn !== this.active) return;
    this.backoff.live(now);
    this.counters.values[CONN_COUNTER.LIVE_SINCE_MONO_MS] = now;
    const resubscribed = this.everLive;
    this.everLive = true;
    this.interrupted = false;
    this.env.handler.onSubscribed?.(conn, conn.liveStreams(), resubscribed);
  }

  streamsRejected(conn: FeedConnection, streams: readonly string[], error: VenueError): void {
    this.env.handler.onSubscribeError?.(conn, streams, error);
  }

  shutdownAnnounced(conn: FeedConnection): void {
    if (conn === this.active) this.beginHandover('serverShutdown');
  }

  lifetimeReached(conn: FeedConnection): void {
    if (conn === this.active) this.beginHandover('lifetime');
  }

  connectionClosed(conn: FeedConnection, reason: DisconnectReason, detail: string): void {
    this.env.handler.onDisconnected?.(conn, reason, detail);
    if (this.stopped || !interruptsStreams(reason)) return;
    if (conn === this.standby) {
      this.standby = null;
      this.counters.values[CONN_COUNTER.HANDOVER_FAILURES]! += 1;
      // The active still delivers; try the replacement again later.
      this.schedule(() => this.beginHandover(this.standbyReason), this.backoff.next());
      return;
    }
    if (conn !== this.active) return;
    const now = this.env.monoMs();
    this.active = null;
    this.counters.values[CONN_COUNTER.LIVE_SINCE_MONO_MS] = 0;
    this.counters.countReconnect(reason);
    this.backoff.lost(now);
    this.clearTimer();
    if (!this.interrupted) {
      this.interrupted = true;
      this.env.handler.onStreamsInterrupted?.(conn.streams, reason, conn);
    }
    if (this.stopped) return; // the handler may stop the feed
    if (this.standby) {
      // The replacement is already on its way: it becomes the reconnect.
      const next = this.standby;
      this.standby = null;
      this.active = next;
      next.release();
      if (next.isLive) this.connectionLive(next);
      return;
    }
    this.schedule(() => this.connect(), this.backoff.next());
  }

  private completeHandover(conn: FeedConnection, now: number): void {
    const old = this.active;
    this.standby = null;
    this.active = conn;
    this.counters.values[this.standbyReason === 'lifetime' ? CONN_COUNTER.HANDOVERS_LIFETIME : CONN_COUNTER.HANDOVERS_SHUTDOWN]! += 1;
    if (old) void old.close('replaced');
    conn.release();
    this.backoff.live(now);
    this.counters.values[CONN_COUNTER.LIVE_SINCE_MONO_MS] = now;
    if (this.interrupted) {
      // The old socket never went live (serverShutdown while subscribing): this is the subscription.
      const resubscribed = this.everLive;
      this.everLive = true;
      this.interrupted = false;
      this.env.handler.onSubscribed?.(conn, conn.liveStreams(), resubscribed);
      return;
    }
    if (old) this.env.handler.onHandover?.(old, conn, this.standbyReason);
  }

  private beginHandover(reason: HandoverReason): void {
    if (this.stopped || this.standby || !this.active) return;
    this.standbyReason = reason;
    const conn = this.create(true, () => this.beginHandover(reason));
    if (!conn) return;
    this.standby = conn;
    conn.open();
  }

  private connect(): void {
    if (this.stopped || this.active) return;
    const conn = this.create(false, () => this.connect());
    if (!conn) return;
    this.active = conn;
    conn.open();
  }

  /** A new connection if the attempt budget allows, else schedules `retry` and returns null. */
  private create(hold: boolean, retry: () => void): FeedConnection | null {
    const now = this.env.monoMs();
    const wait = this.env.attempts.waitMs(now);
    if (wait > 0 || !this.env.attempts.take(now)) {
      this.counters.values[CONN_COUNTER.BUDGET_WAITS]! += 1;
      // +1: timers may fire a fraction of a ms before the fractional monotonic deadline.
      this.schedule(retry, Math.max(1, wait) + 1);
      return null;
    }
    return new FeedConnection(this.env.nextConnectionId(), this.plan, this.connEnv, this, this.counters, hold);
  }

  private schedule(fn: () => void, delayMs: number): void {
    this.clearTimer();
    // Not unref'd: while reconnecting no socket may be open, and this timer is what keeps
    // a feed-only process alive.
    this.timer = setTimeout(() => {
      this.timer = null;
      fn();
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
