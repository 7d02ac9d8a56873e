/**
 * FeedConnection: the handler that alone owns one WebSocket to the venue. It subscribes
 * its planned streams (SUBSCRIBE requests paced under the venue's incoming-message limit,
 * replies matched by id with a timeout), hands every data frame to the sink as received,
 * answers pings (ws echoes the payload in its automatic pong), and declares itself dead
 * when no frame arrives for readDeadlineMs even if TCP says the peer is there. It never
 * reconnects: it reports to its owner (the slot), which decides.
 *
 * Per-frame path: one clock read, a first-bytes check, two counter stores, the sink call.
 * No JSON.parse, no closure, no object per frame. Liveness is judged by a timer that looks
 * at how many frames arrived since its last tick, so frames do not touch timers.
 *
 * A standby connection (make-before-break) holds its frames until its owner releases it,
 * so the sink never sees two connections' copies of a stream interleaved: first the old
 * connection's frames up to its close, then the new one's from its first frame on.
 */
import WebSocket from 'ws';
import type { FeedConfig } from './config.js';
import type { PlannedConnection } from './connection-plan.js';
import { CONN_COUNTER, type ConnectionCounters } from './counters.js';
import { classifyFrame, FRAME_DATA, FRAME_SHUTDOWN, parseControlReply, type FrameKind } from './frame-kind.js';
import type { DisconnectReason } from './reasons.js';
import { SlidingWindowLimit } from './sliding-window.js';
import type { StreamRoute } from './stream-names.js';

/** What the sink learns about the connection a frame came from. */
export interface ConnectionInfo {
  /** Unique per socket in this process; a reconnect gets a new id. */
  readonly id: number;
  /** The plan slot: the same for every reconnect of the same stream set. */
  readonly slot: number;
  readonly route: StreamRoute;
  readonly url: string;
  /** true: frames carry the {"stream","data"} wrapper. */
  readonly combined: boolean;
  readonly streams: readonly string[];
}

/**
 * Receives every market-data frame. `frame` is the Buffer ws delivered (a fresh buffer per
 * message, safe to keep); `recvNs` is CLOCK_MONOTONIC ns taken when the message event ran.
 * The sink must not throw (it runs inside ws's parser): bad frames are the decoder's to
 * count, not exceptions.
 */
export type FrameSink = (frame: Buffer, recvNs: bigint, conn: ConnectionInfo) => void;

export interface VenueError {
  code: number;
  msg: string;
}

/** The slot that owns a connection; every call is made at most once per event. */
export interface ConnectionOwner {
  connectionOpened(conn: FeedConnection): void;
  /** Every SUBSCRIBE answered (some may have been refused). */
  connectionLive(conn: FeedConnection): void;
  streamsRejected(conn: FeedConnection, streams: readonly string[], error: VenueError): void;
  shutdownAnnounced(conn: FeedConnection): void;
  lifetimeReached(conn: FeedConnection): void;
  connectionClosed(conn: FeedConnection, reason: DisconnectReason, detail: string): void;
}

export interface ConnectionEnv {
  readonly cfg: FeedConfig;
  /** Called as a method, so a class instance can be the sink. */
  readonly frames: { onFrame: FrameSink };
  /** Receive stamps: CLOCK_MONOTONIC ns. */
  readonly recvClock: () => bigint;
  /** Monotonic ms for deadlines. */
  readonly monoMs: () => number;
  readonly random: () => number;
}

type State = 'idle' | 'connecting' | 'subscribing' | 'live' | 'closed';

/** A SUBSCRIBE sent and not yet answered. */
interface PendingRequest {
  id: number;
  streams: readonly string[];
  sentMs: number;
}

/** Frames a standby may hold before it gives up holding and delivers directly. */
const MAX_HELD_FRAMES = 200_000;
/** Extra ms on the 1 s window of SUBSCRIBE pacing: absorbs jitter between our sends and the venue's count. */
const PACING_MARGIN_MS = 100;
/** How long a polite close may take before the socket is cut. */
const CLOSE_GRACE_MS = 1000;

let nextRequestId = 1;

export class FeedConnection implements ConnectionInfo {
  readonly combined: boolean;
  readonly route: StreamRoute;
  readonly url: string;
  readonly slot: number;
  readonly streams: readonly string[];
  private state: State = 'idle';
  private ws: WebSocket | null = null;
  private readonly chunks: (readonly string[])[] = [];
  private readonly awaiting: PendingRequest[] = [];
  private readonly rejected = new Set<string>();
  private readonly pacing: SlidingWindowLimit;
  private pumpTimer: NodeJS.Timeout | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private lifetimeTimer: NodeJS.Timeout | null = null;
  private framesSeen = 0;
  private pingsSeen = 0;
  private activitySeen = -1;
  private lastActivityMs = 0;
  private errorDetail = '';
  private shutdownNoticed = false;
  private holding: boolean;
  private heldFrames: Buffer[] = [];
  private heldNs: bigint[] = [];
  private closedPromise: Promise<void> | null = null;
  private resolveClosed: (() => void) | null = null;

  constructor(
    readonly id: number,
    plan: PlannedConnection,
    private readonly env: ConnectionEnv,
    private readonly owner: ConnectionOwner,
    private readonly counters: ConnectionCounters,
    hold: boolean,
  ) {
    this.slot = plan.slot;
    this.route = plan.route;
    this.url = plan.url;
    this.streams = plan.streams;
    this.combined = env.cfg.mode === 'combined';
    this.holding = hold;
    this.pacing = new SlidingWindowLimit(env.cfg.subscribeRatePerSec, 1000 + PACING_MARGIN_MS);
    const per = env.cfg.streamsPerSubscribe;
    for (let i = 0; i < plan.streams.length; i += per) this.chunks.push(plan.streams.slice(i, i + per));
  }

  get isLive(): boolean {
    return this.state === 'live';
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Streams subscribed and not refused (all of them once live, unless the venue refused some). */
  liveStreams(): readonly string[] {
    return this.rejected.size === 0 ? this.streams : this.streams.filter((s) => !this.rejected.has(s));
  }

  open(): void {
    if (this.state !== 'idle') throw new Error(`feed connection ${this.id} opened twice`);
    this.state = 'connecting';
    this.counters.values[CONN_COUNTER.CONNECT_ATTEMPTS]! += 1;
    const cfg = this.env.cfg;
    const ws = new WebSocket(this.url, {
      perMessageDeflate: false,
      handshakeTimeout: cfg.connectTimeoutMs,
      maxPayload: cfg.maxPayloadBytes,
      skipUTF8Validation: !cfg.validateUtf8,
      autoPong: true,
    });
    this.ws = ws;
    ws.on('open', this.onOpen);
    ws.on('message', this.onMessage);
    ws.on('ping', this.onPing);
    ws.on('error', this.onError);
    ws.on('close', this.onClose);
  }

  /** Delivers the held frames in arrival order, then every frame as it comes. */
  release(): void {
    if (!this.holding) return;
    this.holding = false;
    const frames = this.heldFrames;
    const stamps = this.heldNs;
    this.heldFrames = [];
    this.heldNs = [];
    for (let i = 0; i < frames.length; i++) this.env.frames.onFrame(frames[i] as Buffer, stamps[i] as bigint, this);
  }

  /** Closes on our initiative ('replaced', 'stopped'); resolves when the socket is gone. */
  close(reason: DisconnectReason): Promise<void> {
    const ws = this.ws;
    if (this.state !== 'closed') {
      this.finish(reason, 'closed by the feed');
      if (ws && ws.readyState !== WebSocket.CLOSED) {
        this.closedPromise = new Promise<void>((resolve) => (this.resolveClosed = resolve));
        if (ws.readyState === WebSocket.OPEN) {
          ws.close(1000);
          setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
        } else {
          ws.terminate();
        }
      }
    }
    return this.closedPromise ?? Promise.resolve();
  }

  private readonly onOpen = (): void => {
    if (this.state !== 'connecting') return;
    this.state = 'subscribing';
    this.counters.values[CONN_COUNTER.CONNECTS]! += 1;
    const cfg = this.env.cfg;
    this.lastActivityMs = this.env.monoMs();
    const tickMs = Math.max(5, Math.min(1000, Math.floor(Math.min(cfg.readDeadlineMs, cfg.subscribeTimeoutMs) / 8)));
    this.tickTimer = setInterval(this.tick, tickMs);
    this.tickTimer.unref();
    const lifetime = cfg.lifetimeMs - Math.floor(this.env.random() * cfg.lifetimeSpreadMs);
    this.lifetimeTimer = setTimeout(this.onLifetime, lifetime);
    this.lifetimeTimer.unref();
    this.owner.connectionOpened(this);
    if (this.state !== 'subscribing') return;
    if (this.chunks.length === 0) this.goLive();
    else this.pump();
  };

  private readonly onMessage = (data: Buffer): void => {
    const recvNs = this.env.recvClock();
    if (this.state === 'closed') return;
    this.framesSeen++;
    const kind = classifyFrame(data);
    if (kind === FRAME_DATA) {
      const v = this.counters.values;
      v[CONN_COUNTER.FRAMES]! += 1;
      v[CONN_COUNTER.BYTES]! += data.length;
      this.counters.lastFrameNs = recvNs;
      if (this.holding) this.hold(data, recvNs);
      else this.env.frames.onFrame(data, recvNs, this);
      return;
    }
    this.control(kind, data);
  };

  private readonly onPing = (): void => {
    // ws has already queued the pong echoing the payload (autoPong).
    this.pingsSeen++;
    const v = this.counters.values;
    v[CONN_COUNTER.PINGS]! += 1;
    v[CONN_COUNTER.PONGS]! += 1;
  };

  private readonly onError = (err: Error): void => {
    if (this.errorDetail === '') this.errorDetail = err.message;
    // ws emits 'close' after 'error'; terminate makes sure the socket is gone.
    this.ws?.terminate();
  };

  private readonly onClose = (code: number, reason: Buffer): void => {
    if (this.state !== 'closed') {
      const why: DisconnectReason = this.errorDetail !== '' ? 'error' : this.shutdownNoticed ? 'serverShutdown' : 'remoteClose';
      const detail = this.errorDetail !== '' ? this.errorDetail : `close code ${code}${reason.length > 0 ? ` "${reason.toString('utf8').slice(0, 120)}"` : ''}`;
      this.finish(why, detail);
    }
    const resolve = this.resolveClosed;
    this.resolveClosed = null;
    resolve?.();
  };

  private readonly onLifetime = (): void => {
    this.lifetimeTimer = null;
    if (this.state === 'live' || this.state === 'subscribing') this.owner.lifetimeReached(this);
  };

  private readonly tick = (): void => {
    if (this.state === 'closed') return;
    const now = this.env.monoMs();
    this.counters.sync();
    const activity = this.framesSeen + this.pingsSeen;
    if (activity !== this.activitySeen) {
      this.activitySeen = activity;
      this.lastActivityMs = now;
    } else if (now - this.lastActivityMs >= this.env.cfg.readDeadlineMs) {
      this.counters.values[CONN_COUNTER.READ_DEADLINE_EXPIRIES]! += 1;
      return this.fail('readDeadline', `no frame for ${Math.round(now - this.lastActivityMs)} ms`);
    }
    const oldest = this.awaiting[0];
    if (oldest && now - oldest.sentMs >= this.env.cfg.subscribeTimeoutMs) {
      this.counters.values[CONN_COUNTER.SUBSCRIBE_TIMEOUTS]! += 1;
      this.fail('subscribeTimeout', `no reply to SUBSCRIBE id ${oldest.id} in ${this.env.cfg.subscribeTimeoutMs} ms`);
    }
  };

  private readonly pump = (): void => {
    this.pumpTimer = null;
    const ws = this.ws;
    while (this.state === 'subscribing' && ws && this.chunks.length > 0) {
      const now = this.env.monoMs();
      const wait = this.pacing.waitMs(now);
      if (wait > 0) {
        this.pumpTimer = setTimeout(this.pump, wait);
        this.pumpTimer.unref();
        return;
      }
      this.pacing.take(now);
      const streams = this.chunks.shift() as readonly string[];
      const id = nextRequestId++;
      this.awaiting.push({ id, streams, sentMs: now });
      this.counters.values[CONN_COUNTER.SUBSCRIBE_REQUESTS]! += 1;
      ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: streams, id }));
    }
  };

  private control(kind: FrameKind, data: Buffer): void {
    const v = this.counters.values;
    v[CONN_COUNTER.CONTROL_FRAMES]! += 1;
    if (kind === FRAME_SHUTDOWN) {
      if (this.shutdownNoticed) return;
      this.shutdownNoticed = true;
      this.owner.shutdownAnnounced(this);
      return;
    }
    const reply = parseControlReply(data);
    const at = reply === null ? -1 : this.awaiting.findIndex((p) => p.id === reply.id);
    if (reply === null || at < 0) {
      v[CONN_COUNTER.BAD_CONTROL_FRAMES]! += 1;
      if (reply?.error) v[CONN_COUNTER.SUBSCRIBE_ERRORS]! += 1;
      return;
    }
    const request = this.awaiting[at] as PendingRequest;
    this.awaiting.splice(at, 1);
    if (reply.error) {
      v[CONN_COUNTER.SUBSCRIBE_ERRORS]! += 1;
      for (const s of request.streams) this.rejected.add(s);
      this.owner.streamsRejected(this, request.streams, reply.error);
      if (this.state === 'closed') return;
    } else {
      v[CONN_COUNTER.SUBSCRIBE_ACKS]! += 1;
    }
    if (this.state === 'subscribing' && this.chunks.length === 0 && this.awaiting.length === 0) this.goLive();
  }

  private goLive(): void {
    this.state = 'live';
    this.owner.connectionLive(this);
  }

  private hold(frame: Buffer, recvNs: bigint): void {
    if (this.heldFrames.length >= MAX_HELD_FRAMES) {
      // The old connection is taking too long to hand over: deliver rather than grow.
      this.release();
      this.env.frames.onFrame(frame, recvNs, this);
      return;
    }
    this.heldFrames.push(frame);
    this.heldNs.push(recvNs);
  }

  private fail(reason: DisconnectReason, detail: string): void {
    const ws = this.ws;
    this.finish(reason, detail);
    ws?.terminate();
  }

  private finish(reason: DisconnectReason, detail: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.lifetimeTimer) clearTimeout(this.lifetimeTimer);
    this.pumpTimer = this.tickTimer = this.lifetimeTimer = null;
    this.heldFrames = [];
    this.heldNs = [];
    this.holding = false;
    this.counters.sync();
    this.owner.connectionClosed(this, reason, detail);
  }
}
