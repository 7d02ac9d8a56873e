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
import { newAdapterCounters, type ExecAdapterCounters } from './adapter-counters.js';
import { ArrivalCounter } from './arrival.js';
import { ClockOffset, type OffsetSample } from './clock-offset.js';
import { resolveExecConfig, type BinanceExecOptions, type ResolvedExecConfig } from './config.js';
import { BinanceRequestError, TIMESTAMP_OUTSIDE_RECV_WINDOW } from './errors.js';
import { InvalidOrderError, newOrderParams } from './order-params.js';
import { parseAccount } from './parse-account.js';
import { parseVenueOrders } from './parse-order.js';
import { orderOutcome, parseOrThrow, queryOutcome, readResult, type Sent } from './outcome-mapping.js';
import { parseAccountPosition, parseExecutionReport } from './parse-user-event.js';
import { RateLimiter } from './rate-limiter.js';
import type { Json } from './reply-fields.js';
import { RequestBudget, type BudgetSnapshot } from './request-budget.js';
import { RequestSigner } from './request-signer.js';
import { RestClient } from './rest-client.js';
import { ScaleBook } from './scales.js';
import type { TransportReply } from './transport-reply.js';
import type { AccountSnapshot, BalanceUpdate, CancelOutcome, ExecReport, NewOrder, PlaceOutcome, QueryOutcome, VenueOrder } from './types.js';
import { OPS, type VenueOperation } from './venue-operations.js';
import { WsApiSession, type SessionState } from './ws-api-session.js';

export type ExecSessionEvent = SessionState & { transport: 'ws' };
export type { ExecAdapterCounters } from './adapter-counters.js';



const SYNC_SAMPLES = 3;
/** Bad events logged per adapter before going quiet (they are still counted). */
const MAX_LOGGED_BAD_EVENTS = 20;


export class BinanceExecAdapter {
  readonly counters: ExecAdapterCounters = newAdapterCounters();
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
  readonly #onBadReply = (): void => {
    this.counters.badReplies++;
  };

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
    this.#budget.adoptLimits(cfg.venueRateLimits);
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
    const out = orderOutcome(sent, this.#scales, 'order.place', this.#onBadReply);
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
    const out = orderOutcome(await this.send(OPS.cancel, params), this.#scales, 'order.cancel', this.#onBadReply);
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
    return queryOutcome(await this.send(OPS.query, { symbol, origClientOrderId: clientOrderId }), this.#scales, this.#onBadReply);
  }

  /** Open orders (of one symbol, or all: weight 80). Throws BinanceRequestError. */
  async openOrders(symbol?: string): Promise<VenueOrder[]> {
    const params: Record<string, ParamValue> = symbol === undefined ? {} : { symbol };
    const body = readResult(await this.send(OPS.openOrders, params), 'openOrders.status');
    return parseOrThrow(() => parseVenueOrders(body, this.#scales, 'openOrders.status'), this.#onBadReply);
  }

  /** Balances (and trading permission). Throws BinanceRequestError. */
  async account(): Promise<AccountSnapshot> {
    const body = readResult(await this.send(OPS.account, {}), 'account.status');
    return parseOrThrow(() => parseAccount(body, this.#scales, 'account.status'), this.#onBadReply);
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
          const body = readResult(sent, 'time') as { serverTime?: unknown } | null;
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
