/**
 * One WebSocket API connection (`ws` client): requests {"id","method","params"} matched to
 * replies by id, each with its own timeout; user data through
 * userDataStream.subscribe.signature, renewed after every (re)connect; events
 * {"subscriptionId","event"} handed on in arrival order; every reply's `rateLimits` to
 * the budget; reconnect with exponential backoff and jitter; a client ping every
 * heartbeat, and a socket silent for two heartbeats is dropped.
 *
 * A request is never sent twice. Once a frame is handed to an open socket, a timeout, a
 * failed write or a lost connection makes it `unknown` (the caller resolves it by
 * querying); only a request refused before that (socket not open) is `notSent`. A reply that arrives after its request timed out is counted and
 * dropped (the order's fate reaches the oms through its execution reports and queries).
 */
import WebSocket from 'ws';
import type { VelozLogger } from '../../../core/log/index.js';
import type { ParamValue } from '../sign/rest-sign.js';
import type { ArrivalCounter } from './arrival.js';
import type { ClockOffset } from './clock-offset.js';
import { ReconnectDelay } from './reconnect-delay.js';
import type { RateLimitEntry } from './request-budget.js';
import type { RequestSigner } from './request-signer.js';
import { bannedUntilFromMessage, type TransportReply } from './transport-reply.js';
import type { Json } from './reply-fields.js';

export interface WsApiSessionOptions {
  url: URL;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  heartbeatMs: number;
  subscribeUserData: boolean;
}

export type SessionState =
  | { status: 'up'; connects: number; subscriptionId: number | null }
  | { status: 'down'; reason: string; retryInMs: number }
  | { status: 'stopped' };

export interface WsApiHandlers {
  onEvent(event: Json, seq: number, receivedNs: bigint): void;
  onRateLimits(entries: readonly RateLimitEntry[], sentServerMs: number): void;
  onState(state: SessionState): void;
  /** Runs on every open, before the user-data subscription (e.g. a clock sync). */
  onOpen?(): Promise<void>;
}

export interface WsApiCounters {
  connects: number;
  connectFailures: number;
  disconnects: number;
  requests: number;
  replies: number;
  errors: number;
  timeouts: number;
  lateReplies: number;
  disconnectedPending: number;
  notSent: number;
  events: number;
  foreignEvents: number;
  badFrames: number;
  subscribeFailures: number;
  heartbeatDrops: number;
}

interface Pending {
  id: number;
  sentServerMs: number;
  timer: NodeJS.Timeout;
  onWritten: (() => void) | undefined;
  resolve(r: TransportReply): void;
}

/** Ids of timed-out requests remembered (bounded) so their late replies are recognised. */
const MAX_EXPIRED_IDS = 4096;

export class WsApiSession {
  readonly counters: WsApiCounters = {
    connects: 0,
    connectFailures: 0,
    disconnects: 0,
    requests: 0,
    replies: 0,
    errors: 0,
    timeouts: 0,
    lateReplies: 0,
    disconnectedPending: 0,
    notSent: 0,
    events: 0,
    foreignEvents: 0,
    badFrames: 0,
    subscribeFailures: 0,
    heartbeatDrops: 0,
  };
  private ws: WebSocket | null = null;
  private open = false;
  private stopped = false;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly expired = new Set<number>();
  private readonly delay: ReconnectDelay;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private lastInboundMs = 0;
  private subscriptionId: number | null = null;
  private firstUp: ((up: boolean) => void) | null = null;

  constructor(
    private readonly opts: WsApiSessionOptions,
    private readonly signer: RequestSigner,
    private readonly clock: ClockOffset,
    private readonly arrivals: ArrivalCounter,
    private readonly handlers: WsApiHandlers,
    private readonly log?: VelozLogger,
  ) {
    this.delay = new ReconnectDelay(opts.reconnectInitialMs, opts.reconnectMaxMs);
  }

  /** Connects; resolves true once up, false if the first attempt failed (retries go on). */
  start(): Promise<boolean> {
    return new Promise((resolve) => {
      this.firstUp = resolve;
      this.connect();
    });
  }

  /** Whether a request sent now would be written on an open socket. */
  get isOpen(): boolean {
    return this.open;
  }

  get subscribed(): boolean {
    return this.subscriptionId !== null;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  request(method: string, params: Record<string, ParamValue> | undefined, signed: boolean, timeoutMs = this.opts.requestTimeoutMs, onWritten?: () => void): Promise<TransportReply> {
    const ws = this.ws;
    if (!this.open || ws === null || ws.readyState !== WebSocket.OPEN) {
      this.counters.notSent++;
      return Promise.resolve({ kind: 'notSent', msg: 'the WebSocket API session is not open' });
    }
    this.counters.requests++;
    const id = ++this.nextId;
    let sentServerMs: number;
    let p: Record<string, ParamValue> | undefined = params;
    if (signed) {
      const s = this.signer.ws(params ?? {});
      p = s.params;
      sentServerMs = s.timestampMs;
    } else sentServerMs = this.clock.nowMs();
    const text = JSON.stringify(p === undefined ? { id, method } : { id, method, params: p });
    return new Promise<TransportReply>((resolve) => {
      const entry: Pending = {
        id,
        sentServerMs,
        onWritten,
        resolve,
        timer: setTimeout(() => this.expire(id), timeoutMs),
      };
      this.pending.set(id, entry);
      // Handed to an open socket: from here on a failure leaves the outcome unknown (the
      // frame may be in the kernel before the write callback says so).
      ws.send(text, (err) => {
        if (!err) {
          entry.onWritten?.();
          return;
        }
        if (this.pending.get(id) !== entry) return;
        this.pending.delete(id);
        clearTimeout(entry.timer);
        this.counters.disconnectedPending++;
        resolve({ kind: 'unknown', reason: 'IO_ERROR', msg: `the write failed after the request was handed to the socket: ${err.message}`, seq: this.arrivals.next() });
      });
    });
  }

  /** Closes for good; pending requests end as unknown (or notSent). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const ws = this.ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000);
        ws.once('close', () => {
          clearTimeout(t);
          resolve();
        });
        ws.close(1000, 'client stopping');
      });
    }
    this.onClosed('stopped');
    this.handlers.onState({ status: 'stopped' });
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.opts.url, { perMessageDeflate: false, handshakeTimeout: this.opts.connectTimeoutMs, maxPayload: 16 << 20 });
    this.ws = ws;
    let opened = false;
    ws.on('open', () => {
      opened = true;
      this.open = true;
      this.counters.connects++;
      this.lastInboundMs = this.clock.localNowMs();
      this.startHeartbeat(ws);
      void this.afterOpen(ws);
    });
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('pong', () => (this.lastInboundMs = this.clock.localNowMs()));
    ws.on('ping', () => (this.lastInboundMs = this.clock.localNowMs()));
    ws.on('error', (err) => {
      if (!opened) this.counters.connectFailures++;
      this.log?.warn({ url: this.opts.url.href, err: err.message }, 'binance ws-api socket error');
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      if (opened) this.counters.disconnects++;
      this.onClosed(`closed ${code}${reason.length > 0 ? ' ' + reason.toString() : ''}`);
    });
  }

  private async afterOpen(ws: WebSocket): Promise<void> {
    try {
      await this.handlers.onOpen?.();
    } catch (err) {
      this.log?.warn({ err: (err as Error).message }, 'binance ws-api: on-open step failed');
    }
    if (this.ws !== ws || !this.open) return;
    if (this.opts.subscribeUserData) await this.subscribe();
    if (this.ws !== ws || !this.open) return;
    this.delay.reset();
    this.handlers.onState({ status: 'up', connects: this.counters.connects, subscriptionId: this.subscriptionId });
    const first = this.firstUp;
    this.firstUp = null;
    first?.(true);
  }

  private async subscribe(): Promise<void> {
    this.subscriptionId = null;
    const r = await this.request('userDataStream.subscribe.signature', {}, true);
    if (r.kind === 'ok') {
      const sid = (r.body as { subscriptionId?: unknown } | null)?.subscriptionId;
      if (typeof sid === 'number' && Number.isSafeInteger(sid)) {
        this.subscriptionId = sid;
        return;
      }
    }
    this.counters.subscribeFailures++;
    this.log?.error({ reply: r.kind === 'error' ? { code: r.code, msg: r.msg } : r.kind }, 'binance ws-api: user-data subscription failed; no execution reports on this session');
  }

  private onClosed(reason: string): void {
    const wasOpen = this.open;
    this.open = false;
    this.subscriptionId = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      this.counters.disconnectedPending++;
      p.resolve({ kind: 'unknown', reason: 'DISCONNECTED', msg: `connection lost before the reply (${reason})`, seq: this.arrivals.next() });
    }
    this.pending.clear();
    if (this.stopped) return;
    const retryInMs = this.delay.next();
    if (wasOpen || this.delay.attempts === 1) this.log?.warn({ reason, retryInMs }, 'binance ws-api session down');
    this.handlers.onState({ status: 'down', reason, retryInMs });
    const first = this.firstUp;
    this.firstUp = null;
    first?.(false);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, retryInMs);
  }

  private startHeartbeat(ws: WebSocket): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (this.ws !== ws) return;
      if (this.clock.localNowMs() - this.lastInboundMs > 2 * this.opts.heartbeatMs) {
        this.counters.heartbeatDrops++;
        ws.terminate();
        return;
      }
      ws.ping();
    }, this.opts.heartbeatMs);
    this.heartbeat.unref();
  }

  private expire(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.counters.timeouts++;
    if (this.expired.size >= MAX_EXPIRED_IDS) this.expired.delete(this.expired.values().next().value as number);
    this.expired.add(id);
    p.resolve({ kind: 'unknown', reason: 'TIMEOUT', msg: 'no reply within the request timeout', seq: this.arrivals.next() });
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    const receivedNs = process.hrtime.bigint();
    this.lastInboundMs = this.clock.localNowMs();
    if (isBinary) {
      this.counters.badFrames++;
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch {
      this.counters.badFrames++;
      return;
    }
    if (typeof msg !== 'object' || msg === null) {
      this.counters.badFrames++;
      return;
    }
    const m = msg as Json;
    const seq = this.arrivals.next();
    if (m.event !== undefined && m.subscriptionId !== undefined) {
      if (m.subscriptionId !== this.subscriptionId) {
        this.counters.foreignEvents++;
        return;
      }
      this.counters.events++;
      const ev = m.event as Json;
      if (ev !== null && typeof ev === 'object' && ev.e === 'eventStreamTerminated') {
        this.log?.warn('binance ws-api: user-data stream terminated by the venue; resubscribing');
        void this.subscribe();
        return;
      }
      this.handlers.onEvent(ev, seq, receivedNs);
      return;
    }
    const id = m.id;
    if (typeof id !== 'number') {
      // An error the venue could not tie to a request (e.g. a frame it could not parse).
      this.counters.badFrames++;
      this.log?.warn({ status: m.status, error: m.error }, 'binance ws-api: reply without a request id');
      return;
    }
    const p = this.pending.get(id);
    if (!p) {
      if (this.expired.delete(id)) this.counters.lateReplies++;
      else this.counters.badFrames++;
      return;
    }
    this.pending.delete(id);
    clearTimeout(p.timer);
    this.counters.replies++;
    if (Array.isArray(m.rateLimits)) this.handlers.onRateLimits(m.rateLimits as RateLimitEntry[], p.sentServerMs);
    const status = typeof m.status === 'number' ? m.status : 0;
    if (status === 200) {
      p.resolve({ kind: 'ok', httpStatus: 200, body: m.result, seq });
      return;
    }
    this.counters.errors++;
    const err = (m.error ?? {}) as { code?: unknown; msg?: unknown; data?: { retryAfter?: unknown } };
    const code = typeof err.code === 'number' ? err.code : 0;
    const msgText = typeof err.msg === 'string' ? err.msg : `status ${status}`;
    const reply: TransportReply = { kind: 'error', httpStatus: status, code, msg: msgText, seq };
    if (status === 429 || status === 418) {
      const ra = err.data?.retryAfter;
      let until = typeof ra === 'number' && Number.isFinite(ra) ? ra : this.clock.nowMs() + 1000;
      const banned = status === 418 ? bannedUntilFromMessage(msgText) : undefined;
      if (banned !== undefined && banned > until) until = banned;
      reply.retryUntilMs = until;
    }
    p.resolve(reply);
  }
}
