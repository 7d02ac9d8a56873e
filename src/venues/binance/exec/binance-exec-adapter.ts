/**
 * The Binance execution adapter (io thread): what the oms drives to place, cancel and
 * query orders, read open orders and balances, and receive execution reports.
 *
 * Transport: the WebSocket API when its session is open, REST otherwise. The choice is
 * made once per request, when it leaves the rate limiter; a request is never sent on
 * both, and never sent twice. Outcomes of place/cancel:
 *   ack       the venue accepted it (the reply's order: NEW, FILLED, …)
 *   rejected  definitely not executed: refused by the venue (code + msg) or never sent
 *             (local reason: budget, back-off, ban, socket down, invalid order)
 *   unknown   sent, no usable answer (timeout, connection lost, 5XX, -1006/-1007):
 *             resolve with queryOrder(symbol, clientOrderId) — never by resending
 * A -1021 (timestamp outside recvWindow) is a rejection: the venue checked the time
 * before anything else; the adapter resyncs its clock offset and reports it.
 *
 * Events: execution reports and balance updates reach their listeners synchronously,
 * in the order their frames arrived; every outcome and event carries the shared
 * arrival `seq`, so "report before ack" is visible to the consumer as exactly that.
 */
import { inspect } from 'node:util';
import { LatencyHistogram } from '../../../core/metrics/histogram.js';
import type { VelozLogger } from '../../../core/log/index.js';
import type { ParamValue } from '../sign/rest-sign.js';
import { ArrivalCounter } from './arrival.js';
import { ClockOffset, type OffsetSample } from './clock-offset.js';
import { resolveExecConfig, type BinanceExecOptions, type ResolvedExecConfig } from './config.js';
import { BinanceRequestError, isUnknownExecution, NO_SUCH_ORDER, TIMESTAMP_OUTSIDE_RECV_WINDOW, type ExecErrorCode } from './errors.js';
import { InvalidOrderError, newOrderParams } from './order-params.js';
import { parseAccount } from './parse-account.js';
import { parseVenueOrder, parseVenueOrders } from './parse-order.js';
import { parseAccountPosition, parseExecutionReport } from './parse-user-event.js';
import { RateLimiter, type LocalRejection } from './rate-limiter.js';
import type { Json } from './reply-fields.js';
import { RequestBudget, type BudgetSnapshot } from './request-budget.js';
import { RequestSigner } from './request-signer.js';
import { RestClient } from './rest-client.js';
import { ScaleBook } from './scales.js';
import type { TransportReply } from './transport-reply.js';
import type { AccountSnapshot, BalanceUpdate, CancelOutcome, ExecReport, NewOrder, PlaceOutcome, QueryOutcome, Transport, VenueOrder } from './types.js';
import { OPS, type VenueOperation } from './venue-operations.js';
import { WsApiSession, type SessionState } from './ws-api-session.js';

export type ExecSessionEvent = SessionState & { transport: 'ws' };

export interface ExecAdapterCounters {
  places: number;
  placeAcks: number;
  placeRejectedVenue: number;
  placeRejectedLocal: number;
  placeUnknown: number;
  cancels: number;
  cancelAcks: number;
  cancelRejected: number;
  cancelUnknown: number;
  queries: number;
  viaWs: number;
  viaRest: number;
  http429: number;
  http418: number;
  timestampRejects: number;
  clockSyncs: number;
  clockSyncFailures: number;
  execReports: number;
  balanceUpdates: number;
  otherEvents: number;
  badEvents: number;
  badReplies: number;
  listenerErrors: number;
}

type Sent = { reply: TransportReply; transport: Exclude<Transport, 'local'> } | { local: LocalRejection };

const SYNC_SAMPLES = 3;
/** Bad events logged per adapter before going quiet (they are still counted). */
const MAX_LOGGED_BAD_EVENTS = 20;

function rejectionCode(reason: LocalRejection['reason']): ExecErrorCode {
  switch (reason) {
    case 'BANNED':
      return 'BINANCE_BANNED';
    case 'BACKOFF':
      return 'BINANCE_BACKOFF';
    case 'NOT_SENT':
      return 'BINANCE_NOT_SENT';
    case 'STOPPED':
      return 'BINANCE_STOPPED';
    case 'INVALID_ORDER':
      return 'BINANCE_INVALID_ORDER';
    default:
      return 'BINANCE_RATE_BUDGET';
  }
}

export class BinanceExecAdapter {
  readonly counters: ExecAdapterCounters = {
    places: 0,
    placeAcks: 0,
    placeRejectedVenue: 0,
    placeRejectedLocal: 0,
    placeUnknown: 0,
    cancels: 0,
    cancelAcks: 0,
    cancelRejected: 0,
    cancelUnknown: 0,
    queries: 0,
    viaWs: 0,
    viaRest: 0,
    http429: 0,
    http418: 0,
    timestampRejects: 0,
    clockSyncs: 0,
    clockSyncFailures: 0,
    execReports: 0,
    balanceUpdates: 0,
    otherEvents: 0,
    badEvents: 0,
    badReplies: 0,
    listenerErrors: 0,
  };
  /** place() call → request bytes handed to the kernel, ns, per transport. */
  readonly placeToWireNs = { ws: new LatencyHistogram(), rest: new LatencyHistogram() };
  /** place() call → reply read, ns, per transport. */
  readonly placeRoundTripNs = { ws: new LatencyHistogram(), rest: new LatencyHistogram() };
  readonly clock: ClockOffset;
  /**
   * The summary toJSON and inspect print. An own property, bound to this instance: log
   * redaction may serialise a copy of the adapter, which has none of its private state.
   */
  readonly describe: () => Record<string, unknown>;
  readonly #cfg: ResolvedExecConfig;
  readonly #scales: ScaleBook;
  readonly #arrivals = new ArrivalCounter();
  readonly #budget: RequestBudget;
  readonly #limiter: RateLimiter;
  readonly #rest: RestClient;
  readonly #ws: WsApiSession | null;
  readonly #log: VelozLogger | undefined;
  readonly #execListeners: ((r: ExecReport) => void)[] = [];
  readonly #balanceListeners: ((b: BalanceUpdate) => void)[] = [];
  readonly #sessionListeners: ((s: ExecSessionEvent) => void)[] = [];
  #syncing: Promise<OffsetSample> | null = null;
  #syncTimer: NodeJS.Timeout | null = null;
  #stopped = false;

  private constructor(cfg: ResolvedExecConfig) {
    this.#cfg = cfg;
    this.describe = () => ({
      venue: 'binance',
      restBaseUrl: cfg.restBaseUrl.origin,
      wsApiUrl: cfg.wsApiUrl?.href ?? null,
      key: cfg.credentials.keyTag,
      transport: this.activeTransport,
      userDataLive: this.userDataLive,
      recvWindowMs: cfg.recvWindowMs,
      requestTimeoutMs: cfg.requestTimeoutMs,
    });
    this.#log = cfg.log;
    this.#scales = new ScaleBook(cfg.instruments, cfg.assetScales);
    this.clock = new ClockOffset(cfg.clock);
    this.#budget = new RequestBudget(cfg.rateLimits);
    this.#limiter = new RateLimiter(this.#budget, this.clock, cfg.rateLimits);
    const signer = new RequestSigner(cfg.credentials, this.clock, cfg.recvWindowMs);
    this.#rest = new RestClient(cfg.restBaseUrl, signer, this.clock, this.#arrivals, (h, sentMs) => {
      const now = this.clock.nowMs();
      if (h.usedWeight1m !== undefined) this.#budget.observeWeight(h.usedWeight1m, sentMs, now);
      this.#budget.observeOrders(h.orderCount10s, h.orderCount1d, sentMs, now);
    });
    this.#ws =
      cfg.wsApiUrl === null
        ? null
        : new WsApiSession(
            {
              url: cfg.wsApiUrl,
              requestTimeoutMs: cfg.requestTimeoutMs,
              connectTimeoutMs: cfg.connectTimeoutMs,
              reconnectInitialMs: cfg.reconnectInitialMs,
              reconnectMaxMs: cfg.reconnectMaxMs,
              heartbeatMs: cfg.heartbeatMs,
              subscribeUserData: true,
            },
            signer,
            this.clock,
            this.#arrivals,
            {
              onEvent: (e, seq, ns) => this.onUserEvent(e, seq, ns),
              onRateLimits: (entries, sentMs) => this.#budget.observeRateLimits(entries, sentMs, this.clock.nowMs()),
              onState: (s) => this.emitSession(s),
              onOpen: async () => {
                if (!this.clock.synced || this.clockStale()) await this.syncClock().catch(() => undefined);
              },
            },
            cfg.log,
          );
  }

  /**
   * Validates the options, resolves the credentials, connects the WS API session (if
   * configured; bounded by the connect timeout, then it keeps retrying in the
   * background) and syncs the clock offset. Throws if the venue's time cannot be read
   * on either transport.
   */
  static async start(options: BinanceExecOptions): Promise<BinanceExecAdapter> {
    const a = new BinanceExecAdapter(resolveExecConfig(options));
    if (a.#ws) await a.#ws.start();
    if (!a.clock.synced) {
      try {
        await a.syncClock();
      } catch (err) {
        await a.stop();
        throw err;
      }
    }
    if (a.#cfg.clockSyncIntervalMs > 0) {
      a.#syncTimer = setInterval(() => void a.syncClock().catch(() => undefined), a.#cfg.clockSyncIntervalMs);
      a.#syncTimer.unref();
    }
    a.#log?.info({ adapter: a }, 'binance exec adapter started');
    return a;
  }

  /** Places a new order. Never throws; see the outcome kinds above. */
  async place(order: NewOrder): Promise<PlaceOutcome> {
    const t0 = process.hrtime.bigint();
    this.counters.places++;
    let params: Record<string, ParamValue>;
    try {
      params = newOrderParams(order, this.#scales, this.#cfg.respType);
    } catch (err) {
      this.counters.placeRejectedLocal++;
      if (err instanceof InvalidOrderError) return { kind: 'rejected', source: 'local', reason: 'INVALID_ORDER', msg: err.message, transport: 'local', seq: 0 };
      throw err;
    }
    let transport: 'ws' | 'rest' = 'ws';
    const sent = await this.send(OPS.place, params, (t) => {
      transport = t;
      return () => this.placeToWireNs[t].record(Number(process.hrtime.bigint() - t0));
    });
    if ('reply' in sent) this.placeRoundTripNs[transport].record(Number(process.hrtime.bigint() - t0));
    const out = this.orderOutcome(sent, 'order.place');
    if (out.kind === 'ack') this.counters.placeAcks++;
    else if (out.kind === 'unknown') this.counters.placeUnknown++;
    else if (out.source === 'venue') this.counters.placeRejectedVenue++;
    else this.counters.placeRejectedLocal++;
    return out;
  }

  /** Cancels by client order id. `ack` carries the canceled order. Never throws. */
  async cancel(symbol: string, clientOrderId: string, opts: { cancelClientOrderId?: string } = {}): Promise<CancelOutcome> {
    this.counters.cancels++;
    const params: Record<string, ParamValue> = { symbol, origClientOrderId: clientOrderId };
    if (opts.cancelClientOrderId !== undefined) params.newClientOrderId = opts.cancelClientOrderId;
    const out = this.orderOutcome(await this.send(OPS.cancel, params), 'order.cancel');
    if (out.kind === 'ack') this.counters.cancelAcks++;
    else if (out.kind === 'unknown') this.counters.cancelUnknown++;
    else this.counters.cancelRejected++;
    return out;
  }

  /**
   * What the venue knows of an order, by client order id: the way to resolve an UNKNOWN
   * outcome. `failed` means no answer (retry later); it is not "not found".
   */
  async queryOrder(symbol: string, clientOrderId: string): Promise<QueryOutcome> {
    this.counters.queries++;
    const sent = await this.send(OPS.query, { symbol, origClientOrderId: clientOrderId });
    if ('local' in sent) return { kind: 'failed', msg: sent.local.msg, reason: sent.local.reason, transport: 'local', seq: 0 };
    const { reply, transport } = sent;
    switch (reply.kind) {
      case 'ok':
        try {
          return { kind: 'found', order: parseVenueOrder(reply.body, this.#scales, 'order.status'), transport, seq: reply.seq };
        } catch (err) {
          this.counters.badReplies++;
          return { kind: 'failed', msg: (err as Error).message, reason: 'BAD_REPLY', transport, seq: reply.seq };
        }
      case 'error':
        if (reply.code === NO_SUCH_ORDER) return { kind: 'notFound', code: reply.code, msg: reply.msg, transport, seq: reply.seq };
        return { kind: 'failed', msg: reply.msg, code: reply.code, transport, seq: reply.seq };
      case 'unknown':
        return { kind: 'failed', msg: reply.msg, reason: reply.reason, transport, seq: reply.seq };
      case 'notSent':
        return { kind: 'failed', msg: reply.msg, reason: 'NOT_SENT', transport, seq: 0 };
    }
  }

  /** Open orders (of one symbol, or all: weight 80). Throws BinanceRequestError. */
  async openOrders(symbol?: string): Promise<VenueOrder[]> {
    const params: Record<string, ParamValue> = symbol === undefined ? {} : { symbol };
    const body = this.result(await this.send(OPS.openOrders, params), 'openOrders.status');
    return this.parsed(() => parseVenueOrders(body, this.#scales, 'openOrders.status'));
  }

  /** Balances (and trading permission). Throws BinanceRequestError. */
  async account(): Promise<AccountSnapshot> {
    const body = this.result(await this.send(OPS.account, {}), 'account.status');
    return this.parsed(() => parseAccount(body, this.#scales, 'account.status'));
  }

  /**
   * Reads the venue's time a few times and adopts the tightest offset. Concurrent calls
   * share one sync. Throws BinanceRequestError when no sample could be taken.
   */
  syncClock(): Promise<OffsetSample> {
    if (this.#syncing) return this.#syncing;
    const run = async (): Promise<OffsetSample> => {
      const samples: OffsetSample[] = [];
      let last: unknown;
      for (let i = 0; i < SYNC_SAMPLES; i++) {
        const sendLocal = this.clock.localNowMs();
        const p0 = performance.now();
        const sent = await this.send(OPS.time, {});
        const rtt = performance.now() - p0;
        try {
          const body = this.result(sent, 'time') as { serverTime?: unknown } | null;
          const t = body?.serverTime;
          if (typeof t !== 'number' || !Number.isSafeInteger(t)) throw new BinanceRequestError('BINANCE_BAD_REPLY', 'time: serverTime missing');
          samples.push(ClockOffset.sample(sendLocal, rtt, t));
        } catch (err) {
          last = err;
        }
      }
      const best = this.clock.apply(samples);
      if (!best) {
        this.counters.clockSyncFailures++;
        throw last instanceof Error ? last : new BinanceRequestError('BINANCE_IO_ERROR', 'clock sync failed');
      }
      this.counters.clockSyncs++;
      this.#log?.info({ offsetMs: Math.round(best.offsetMs * 10) / 10, rttMs: Math.round(best.rttMs * 100) / 100 }, 'binance clock offset synced');
      return best;
    };
    this.#syncing = run().finally(() => {
      this.#syncing = null;
    });
    return this.#syncing;
  }

  onExecReport(cb: (r: ExecReport) => void): () => void {
    return this.listen(this.#execListeners, cb);
  }

  onBalance(cb: (b: BalanceUpdate) => void): () => void {
    return this.listen(this.#balanceListeners, cb);
  }

  /** WS API session up (after a reconnect: reconcile) / down / stopped. */
  onSessionState(cb: (s: ExecSessionEvent) => void): () => void {
    return this.listen(this.#sessionListeners, cb);
  }

  /** Which transport a request sent now would use. */
  get activeTransport(): 'ws' | 'rest' {
    return this.#ws?.isOpen ? 'ws' : 'rest';
  }

  /** Whether execution reports are flowing (WS API session open and subscribed). */
  get userDataLive(): boolean {
    return this.#ws !== null && this.#ws.isOpen && this.#ws.subscribed;
  }

  rateState(): BudgetSnapshot & { queued: number } {
    return { ...this.#budget.snapshot(this.clock.nowMs()), queued: this.#limiter.queued };
  }

  stats(): Record<string, unknown> {
    return {
      adapter: { ...this.counters },
      limiter: { ...this.#limiter.counters },
      rest: { ...this.#rest.counters },
      ws: this.#ws ? { ...this.#ws.counters } : null,
      clock: { offsetMs: this.clock.offsetMs, rttMs: this.clock.rttMs, syncs: this.clock.syncs },
      budget: this.rateState(),
    };
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#syncTimer) clearInterval(this.#syncTimer);
    this.#limiter.stop();
    await this.#ws?.stop();
    this.#rest.close();
    this.#log?.info({ stats: this.stats() }, 'binance exec adapter stopped');
  }

  /** What a log line may show of the adapter: endpoints and a key tag, never a secret. */
  toJSON(): Record<string, unknown> {
    return this.describe();
  }

  /** console.log / util.inspect show the same summary (the sockets inside carry the API key). */
  [inspect.custom](): string {
    return `BinanceExecAdapter ${JSON.stringify(this.describe())}`;
  }

  /**
   * Rate gate, then one transport, then the reply's side effects (429/418 back-off,
   * -1021 clock resync). `onTransport` learns the transport just before the write and
   * may return a callback for the moment the bytes are written.
   */
  private async send(op: VenueOperation, params: Record<string, ParamValue>, onTransport?: (t: 'ws' | 'rest') => (() => void) | undefined): Promise<Sent> {
    const weight = typeof op.weight === 'number' ? op.weight : op.weight(params);
    const adm = this.#limiter.admit(op.cls, weight, op.isOrder);
    if (adm !== null) {
      const r = adm instanceof Promise ? await adm : adm;
      if (r !== null) return { local: r };
    }
    let reply: TransportReply;
    let transport: 'ws' | 'rest';
    if (this.#ws?.isOpen) {
      transport = 'ws';
      this.counters.viaWs++;
      reply = await this.#ws.request(op.wsMethod, params, op.signed, this.#cfg.requestTimeoutMs, onTransport?.('ws'));
    } else {
      transport = 'rest';
      this.counters.viaRest++;
      const onWritten = onTransport?.('rest');
      const req = { method: op.httpMethod, path: op.path, params: Object.entries(params), signed: op.signed, timeoutMs: this.#cfg.requestTimeoutMs };
      reply = await this.#rest.send(onWritten ? { ...req, onWritten } : req);
    }
    if (reply.kind === 'error') this.afterError(reply, op);
    return { reply, transport };
  }

  private afterError(reply: Extract<TransportReply, { kind: 'error' }>, op: VenueOperation): void {
    if (reply.httpStatus === 429 && reply.retryUntilMs !== undefined) {
      this.counters.http429++;
      this.#budget.pause(reply.retryUntilMs);
      this.#log?.warn({ op: op.wsMethod, code: reply.code, untilMs: reply.retryUntilMs }, 'binance 429: pausing every request until Retry-After');
    } else if (reply.httpStatus === 418 && reply.retryUntilMs !== undefined) {
      this.counters.http418++;
      this.#budget.ban(reply.retryUntilMs);
      this.#log?.error({ op: op.wsMethod, code: reply.code, untilMs: reply.retryUntilMs }, 'binance 418: IP banned; nothing is sent until the ban ends');
    } else if (reply.code === TIMESTAMP_OUTSIDE_RECV_WINDOW) {
      this.counters.timestampRejects++;
      this.#log?.warn({ op: op.wsMethod, offsetMs: Math.round(this.clock.offsetMs) }, 'binance -1021: timestamp outside recvWindow; resyncing the clock offset');
      void this.syncClock().catch(() => undefined);
    }
  }

  private orderOutcome(sent: Sent, where: string): PlaceOutcome {
    if ('local' in sent) return { kind: 'rejected', source: 'local', reason: sent.local.reason, msg: sent.local.msg, transport: 'local', seq: 0 };
    const { reply, transport } = sent;
    switch (reply.kind) {
      case 'ok':
        try {
          return { kind: 'ack', order: parseVenueOrder(reply.body, this.#scales, where), transport, seq: reply.seq };
        } catch (err) {
          // Accepted (2XX) but unreadable: the order exists in some state; query it.
          this.counters.badReplies++;
          return { kind: 'unknown', reason: 'BAD_REPLY', msg: (err as Error).message, transport, seq: reply.seq };
        }
      case 'error':
        if (isUnknownExecution(reply.httpStatus, reply.code)) return { kind: 'unknown', reason: 'SERVER_ERROR', msg: `${reply.httpStatus} ${reply.code} ${reply.msg}`, transport, seq: reply.seq };
        return { kind: 'rejected', source: 'venue', code: reply.code, msg: reply.msg, httpStatus: reply.httpStatus, transport, seq: reply.seq };
      case 'unknown':
        return { kind: 'unknown', reason: reply.reason, msg: reply.msg, transport, seq: reply.seq };
      case 'notSent':
        return { kind: 'rejected', source: 'local', reason: 'NOT_SENT', msg: reply.msg, transport, seq: 0 };
    }
  }

  /** The body of a successful read, or a BinanceRequestError. */
  private result(sent: Sent, where: string): unknown {
    if ('local' in sent) throw new BinanceRequestError(rejectionCode(sent.local.reason), `${where}: ${sent.local.msg}`);
    const r = sent.reply;
    switch (r.kind) {
      case 'ok':
        return r.body;
      case 'error':
        throw new BinanceRequestError(r.httpStatus >= 500 ? 'BINANCE_SERVER_ERROR' : 'BINANCE_VENUE_ERROR', `${where}: ${r.httpStatus} ${r.code} ${r.msg}`, { code: r.code, httpStatus: r.httpStatus });
      case 'unknown': {
        const code: ExecErrorCode =
          r.reason === 'TIMEOUT' ? 'BINANCE_TIMEOUT' : r.reason === 'DISCONNECTED' ? 'BINANCE_DISCONNECTED' : r.reason === 'BAD_REPLY' ? 'BINANCE_BAD_REPLY' : 'BINANCE_IO_ERROR';
        throw new BinanceRequestError(code, `${where}: ${r.msg}`);
      }
      case 'notSent':
        throw new BinanceRequestError('BINANCE_NOT_SENT', `${where}: ${r.msg}`);
    }
  }

  private parsed<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      this.counters.badReplies++;
      throw new BinanceRequestError('BINANCE_BAD_REPLY', (err as Error).message);
    }
  }

  private onUserEvent(e: Json, seq: number, receivedNs: bigint): void {
    try {
      if (e.e === 'executionReport') {
        const r = parseExecutionReport(e, this.#scales, seq, receivedNs);
        this.counters.execReports++;
        this.deliver(this.#execListeners, r);
      } else if (e.e === 'outboundAccountPosition') {
        const b = parseAccountPosition(e, this.#scales, seq);
        this.counters.balanceUpdates++;
        this.deliver(this.#balanceListeners, b);
      } else this.counters.otherEvents++;
    } catch (err) {
      this.counters.badEvents++;
      if (this.counters.badEvents <= MAX_LOGGED_BAD_EVENTS) this.#log?.warn({ err: (err as Error).message, event: e.e }, 'binance user-data event rejected');
    }
  }

  private emitSession(s: SessionState): void {
    this.deliver(this.#sessionListeners, { ...s, transport: 'ws' });
  }

  private deliver<T>(listeners: readonly ((v: T) => void)[], v: T): void {
    for (const cb of listeners) {
      try {
        cb(v);
      } catch (err) {
        this.counters.listenerErrors++;
        this.#log?.error({ err }, 'binance exec listener threw');
      }
    }
  }

  private listen<T>(list: T[], cb: T): () => void {
    list.push(cb);
    return () => {
      const i = list.indexOf(cb);
      if (i >= 0) list.splice(i, 1);
    };
  }

  private clockStale(): boolean {
    return this.#cfg.clockSyncIntervalMs > 0 && this.clock.localNowMs() - this.clock.syncedAtLocalMs > this.#cfg.clockSyncIntervalMs;
  }
}
