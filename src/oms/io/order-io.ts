/**
 * The io thread's side of order entry: reads commands from the orders-out ring, calls the
 * execution adapter, and writes every outcome and every venue report into the exec-in
 * ring as ExecReport records, following exec-report.ts's conventions:
 *   place ack → NEW · place refused → REJECTED (status REJECTED)
 *   cancel ack → CANCELED · cancel refused → REJECTED + PENDING_CANCEL (UNKNOWN_ORDER for -2011)
 *   query found → STATUS + the venue's state · query notFound → STATUS + UNKNOWN
 * An `unknown` outcome is resolved by queryOrder on the same client order id — never by
 * sending the request again. RECONCILE lists the venue's open orders as STATUS reports
 * tagged RECONCILE_REPORT_REASON, then a CONTROL ACK record.
 */
import type { InstrumentRegistry } from '../../core/instruments/registry.js';
import { ControlKind, EventType, ExecType, OrderFlag, OrderState, OrderType, RejectReason, SchemaLimits, Sentinel, Side, TimeInForce } from '../../core/schema/constants.js';
import { EventBuffer } from '../../core/schema/event-buffer.js';
import { CONTROL, EXEC_REPORT, ORDER_INTENT } from '../../core/schema/offsets.js';
import type { SpscConsumer } from '../../core/ring/spsc-consumer.js';
import type { SpscProducer } from '../../core/ring/spsc-producer.js';
import type { ExecReport as VenueReport, NewOrder, OrderStatus, PlaceOutcome, QueryOutcome, VenueOrder } from '../../venues/binance/exec/types.js';
import { decodeClientOrderId, encodeClientOrderId, tagOfStrategyId } from '../client-order-id.js';
import { RECONCILE_REPORT_REASON } from '../oms-engine.js';
import { OrderCommandAction } from '../order-command.js';

/** What order-io needs from an execution adapter (BinanceExecAdapter has it). */
export interface ExecVenue {
  place(order: NewOrder): Promise<PlaceOutcome>;
  cancel(symbol: string, clientOrderId: string): Promise<PlaceOutcome>;
  queryOrder(symbol: string, clientOrderId: string): Promise<QueryOutcome>;
  openOrders(symbol?: string): Promise<VenueOrder[]>;
  onExecReport(cb: (r: VenueReport) => void): () => void;
}

export interface OrderIoOptions {
  venue: ExecVenue;
  registry: InstrumentRegistry;
  ordersOut: SpscConsumer;
  execIn: SpscProducer;
  /** Fee asset name → interned id (same table as the oms's assetName). */
  assetId: (name: string) => number;
  /** Decimal places of commissions as the adapter parses them. Default 8. */
  commissionScale?: number;
  /** Attempts of a failed status query before giving up (counted). Default 20. */
  queryAttempts?: number;
  queryRetryMs?: number;
  /** Called when a command has been handed to the adapter (benchmarks). */
  onSent?: (action: number, seq: number) => void;
}

export class OrderIoCounters {
  commands = 0;
  placed = 0;
  placeRejected = 0;
  placeUnknown = 0;
  cancels = 0;
  queries = 0;
  queryFailed = 0;
  queryGaveUp = 0;
  reports = 0;
  backlog = 0;
  badCommands = 0;
  reconcileFailed = 0;
}

const STATUS_OF: Record<OrderStatus, number> = {
  NEW: OrderState.NEW,
  PENDING_NEW: OrderState.PENDING_NEW,
  PARTIALLY_FILLED: OrderState.PARTIALLY_FILLED,
  FILLED: OrderState.FILLED,
  CANCELED: OrderState.CANCELED,
  PENDING_CANCEL: OrderState.PENDING_CANCEL,
  REJECTED: OrderState.REJECTED,
  EXPIRED: OrderState.EXPIRED,
  EXPIRED_IN_MATCH: OrderState.EXPIRED,
};

const EXEC_TYPE_OF: Record<string, number> = {
  NEW: ExecType.NEW,
  CANCELED: ExecType.CANCELED,
  REPLACED: ExecType.REPLACED,
  REJECTED: ExecType.REJECTED,
  TRADE: ExecType.TRADE,
  EXPIRED: ExecType.EXPIRED,
  TRADE_PREVENTION: ExecType.EXPIRED,
};

interface Command {
  action: number;
  seq: number;
  strategyId: number;
  instrument: number;
  side: number;
  orderType: number;
  tif: number;
  price: bigint;
  qty: bigint;
}

export class OrderIo {
  readonly counters = new OrderIoCounters();
  private readonly o: OrderIoOptions;
  private readonly inBuf: EventBuffer;
  private readonly outBuf: EventBuffer;
  private readonly scratch = new EventBuffer(new ArrayBuffer(EXEC_REPORT_BYTES));
  /** Reports waiting for room in exec-in (the io thread never blocks on the oms). */
  private readonly backlog: Uint8Array[] = [];
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly unsubscribe: () => void;
  private readonly feeMul: bigint;
  /** When each order last got a not-found answer: repeated queries are paced, not spun. */
  private readonly notFoundAt = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(o: OrderIoOptions) {
    this.o = o;
    this.inBuf = new EventBuffer(o.ordersOut.view.buffer as SharedArrayBuffer);
    this.outBuf = new EventBuffer(o.execIn.view.buffer as SharedArrayBuffer);
    const cs = o.commissionScale ?? 8;
    this.feeMul = 10n ** BigInt(SchemaLimits.FEE_SCALE - cs);
    this.unsubscribe = o.venue.onExecReport((r) => this.onVenueReport(r));
  }

  /** Polls orders-out every `intervalMs` (and at once after work). */
  start(intervalMs = 1): void {
    const tick = (): void => {
      if (this.stopped) return;
      const n = this.poll();
      this.timer = setTimeout(tick, n > 0 ? 0 : intervalMs);
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe();
    await Promise.allSettled([...this.inflight]);
  }

  /** Drains orders-out and retries the backlog. Returns the commands taken. */
  poll(): number {
    this.drainBacklog();
    const n = this.o.ordersOut.poll((_v, at) => this.take(at), 256);
    return n > 0 ? n : 0;
  }

  private take(at: number): void {
    const b = this.inBuf;
    const cmd: Command = {
      action: b.getU8(at + ORDER_INTENT.action),
      seq: b.getU64Number(at + ORDER_INTENT.clientOrderId),
      strategyId: b.getU32(at + ORDER_INTENT.strategyId),
      instrument: b.getU32(at + ORDER_INTENT.instrument),
      side: (b.getU16(at + ORDER_INTENT.flags) >> SchemaLimits.SIDE_SHIFT) & 3,
      orderType: b.getU8(at + ORDER_INTENT.orderType),
      tif: b.getU8(at + ORDER_INTENT.tif),
      price: b.getI64(at + ORDER_INTENT.price),
      qty: b.getI64(at + ORDER_INTENT.qty),
    };
    this.counters.commands++;
    this.track(this.run(cmd));
  }

  private track(p: Promise<unknown>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async run(c: Command): Promise<void> {
    try {
      switch (c.action) {
        case OrderCommandAction.NEW:
          return await this.place(c);
        case OrderCommandAction.CANCEL:
          return await this.cancel(c);
        case OrderCommandAction.QUERY:
          return await this.query(c);
        case OrderCommandAction.RECONCILE:
          return await this.reconcile();
        default:
          this.counters.badCommands++;
      }
    } catch (err) {
      // The adapter reports failures as outcomes; anything thrown is a bug or a stop.
      this.counters.badCommands++;
      if (!this.stopped) throw err;
    }
  }

  private symbol(instrument: number): string {
    return this.o.registry.require(instrument).venueSymbol;
  }

  private cid(c: Command): string {
    return encodeClientOrderId(tagOfStrategyId(c.strategyId), c.seq);
  }

  private async place(c: Command): Promise<void> {
    const market = c.orderType === OrderType.MARKET;
    const order: NewOrder = {
      symbol: this.symbol(c.instrument),
      side: c.side === Side.BUY ? 'BUY' : 'SELL',
      type: market ? 'MARKET' : 'LIMIT',
      clientOrderId: this.cid(c),
      quantity: c.qty,
      ...(market ? {} : { price: c.price, timeInForce: c.tif === TimeInForce.IOC ? 'IOC' : c.tif === TimeInForce.FOK ? 'FOK' : 'GTC' }),
      respType: 'RESULT',
    };
    this.o.onSent?.(c.action, c.seq);
    const out = await this.o.venue.place(order);
    if (out.kind === 'ack') {
      this.counters.placed++;
      this.writeOrder(c, out.order, ExecType.NEW, 0, 0);
    } else if (out.kind === 'rejected') {
      this.counters.placeRejected++;
      this.writeBare(c, ExecType.REJECTED, OrderState.REJECTED, RejectReason.VENUE_REJECT);
    } else {
      this.counters.placeUnknown++;
      await this.query(c);
    }
  }

  private async cancel(c: Command): Promise<void> {
    this.counters.cancels++;
    this.o.onSent?.(c.action, c.seq);
    const out = await this.o.venue.cancel(this.symbol(c.instrument), this.cid(c));
    if (out.kind === 'ack') {
      const st = out.order.status ? STATUS_OF[out.order.status] : OrderState.CANCELED;
      this.writeOrder(c, out.order, st === OrderState.CANCELED ? ExecType.CANCELED : ExecType.STATUS, st, 0);
    } else if (out.kind === 'rejected') {
      const unknownOrder = out.source === 'venue' && out.code === -2011;
      this.writeBare(c, ExecType.REJECTED, OrderState.PENDING_CANCEL, unknownOrder ? RejectReason.UNKNOWN_ORDER : RejectReason.VENUE_REJECT);
    } else {
      await this.query(c);
    }
  }

  private async query(c: Command): Promise<void> {
    const attempts = this.o.queryAttempts ?? 20;
    const retryMs = this.o.queryRetryMs ?? 50;
    const last = this.notFoundAt.get(c.seq);
    if (last !== undefined) {
      const wait = last + retryMs * 4 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    for (let i = 0; i < attempts && !this.stopped; i++) {
      this.counters.queries++;
      const q = await this.o.venue.queryOrder(this.symbol(c.instrument), this.cid(c));
      if (q.kind === 'found') {
        this.notFoundAt.delete(c.seq);
        this.writeOrder(c, q.order, ExecType.STATUS, q.order.status ? STATUS_OF[q.order.status] : OrderState.NEW, 0);
        return;
      }
      if (q.kind === 'notFound') {
        this.notFoundAt.set(c.seq, performance.now());
        this.writeBare(c, ExecType.STATUS, OrderState.UNKNOWN, 0);
        return;
      }
      this.counters.queryFailed++;
      await new Promise((r) => setTimeout(r, retryMs));
    }
    this.counters.queryGaveUp++;
  }

  /** Open orders per symbol (weight 6 each, not 80 for all); retried until it succeeds — the recovery gate waits. */
  private async listOpen(): Promise<VenueOrder[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        const out: VenueOrder[] = [];
        for (const inst of this.o.registry.all()) out.push(...(await this.o.venue.openOrders(inst.venueSymbol)));
        return out;
      } catch (err) {
        this.counters.reconcileFailed++;
        if (this.stopped) throw err;
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** Math.min(attempt, 6), 2000)));
      }
    }
  }

  private async reconcile(): Promise<void> {
    const open = await this.listOpen();
    for (const v of open) {
      const inst = this.o.registry.byVenueSymbol(this.o.registry.all()[0]?.venue ?? 'binance', v.symbol);
      const d = decodeClientOrderId(v.clientOrderId);
      const c: Command = {
        action: OrderCommandAction.QUERY,
        seq: d !== null && d.seq <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(d.seq) : 0,
        strategyId: 0,
        instrument: inst?.id ?? 0,
        side: v.side === 'SELL' ? Side.SELL : Side.BUY,
        orderType: v.type === 'MARKET' ? OrderType.MARKET : OrderType.LIMIT,
        tif: TimeInForce.GTC,
        price: v.price ?? Sentinel.PRICE_UNDEF,
        qty: v.origQty ?? 0n,
      };
      this.writeOrder(c, v, ExecType.STATUS, v.status ? STATUS_OF[v.status] : OrderState.NEW, RECONCILE_REPORT_REASON);
    }
    const s = this.scratch;
    s.clear(0, EXEC_REPORT_BYTES);
    s.setU8(CONTROL.type, EventType.CONTROL);
    s.setU8(CONTROL.kind, ControlKind.ACK);
    this.emit();
  }

  private base(c: Command, execType: number, status: number, reason: number): EventBuffer {
    const s = this.scratch;
    s.clear(0, EXEC_REPORT_BYTES);
    s.setU8(EXEC_REPORT.type, EventType.EXEC_REPORT);
    s.setU8(EXEC_REPORT.execType, execType);
    s.setU16(EXEC_REPORT.flags, (c.seq > 0 ? OrderFlag.OURS : 0) | (c.side << SchemaLimits.SIDE_SHIFT));
    s.setU32(EXEC_REPORT.instrument, c.instrument);
    s.setU8(EXEC_REPORT.status, status);
    s.setU8(EXEC_REPORT.orderType, c.orderType);
    s.setU8(EXEC_REPORT.tif, c.tif);
    s.setU16(EXEC_REPORT.reason, reason);
    s.setIdUndef(EXEC_REPORT.venueOrderId);
    s.setI64Number(EXEC_REPORT.clientOrderId, c.seq);
    s.setI64(EXEC_REPORT.price, c.price);
    s.setI64(EXEC_REPORT.qty, c.qty);
    s.setUndef(EXEC_REPORT.cumQty);
    s.setUndef(EXEC_REPORT.lastPx);
    s.setIdUndef(EXEC_REPORT.tradeId);
    s.setUndef(EXEC_REPORT.venueTimeNs);
    s.setI64(EXEC_REPORT.recvTimeNs, process.hrtime.bigint());
    if (c.seq > 0 && c.strategyId > 0) s.setU8(EXEC_REPORT.clientOrderIdLen, s.setAscii(EXEC_REPORT.clientOrderIdText, SchemaLimits.CLIENT_ORDER_ID_TEXT_BYTES, this.cid(c)));
    return s;
  }

  private writeBare(c: Command, execType: number, status: number, reason: number): void {
    this.base(c, execType, status, reason);
    this.emit();
  }

  private writeOrder(c: Command, v: VenueOrder, execType: number, status: number, reason: number): void {
    const s = this.base(c, execType, status === 0 ? OrderState.NEW : status, reason);
    s.setU64(EXEC_REPORT.venueOrderId, BigInt(v.orderId));
    if (v.executedQty !== undefined) s.setI64(EXEC_REPORT.cumQty, v.executedQty);
    if (v.transactTimeMs !== undefined) s.setI64(EXEC_REPORT.venueTimeNs, BigInt(v.transactTimeMs) * 1_000_000n);
    if (c.strategyId === 0 && v.clientOrderId.length <= SchemaLimits.CLIENT_ORDER_ID_TEXT_BYTES) {
      s.setU8(EXEC_REPORT.clientOrderIdLen, s.setAscii(EXEC_REPORT.clientOrderIdText, SchemaLimits.CLIENT_ORDER_ID_TEXT_BYTES, v.clientOrderId));
    }
    this.emit();
  }

  private onVenueReport(r: VenueReport): void {
    const execType = EXEC_TYPE_OF[r.executionType];
    const inst = this.o.registry.byVenueSymbol(this.o.registry.all()[0]?.venue ?? 'binance', r.symbol);
    if (execType === undefined || inst === undefined) return;
    const d = decodeClientOrderId(r.orderClientId);
    const ours = d !== null && d.seq <= BigInt(Number.MAX_SAFE_INTEGER);
    const s = this.scratch;
    s.clear(0, EXEC_REPORT_BYTES);
    const fill = execType === ExecType.TRADE;
    const final = r.orderStatus === 'FILLED' || r.orderStatus === 'CANCELED' || r.orderStatus === 'REJECTED' || r.orderStatus === 'EXPIRED' || r.orderStatus === 'EXPIRED_IN_MATCH';
    s.setU8(EXEC_REPORT.type, EventType.EXEC_REPORT);
    s.setU8(EXEC_REPORT.execType, execType);
    s.setU16(
      EXEC_REPORT.flags,
      (ours ? OrderFlag.OURS : 0) | (r.side === 'BUY' ? OrderFlag.BUY : OrderFlag.SELL) | (fill ? OrderFlag.FILL : 0) | (final ? OrderFlag.FINAL : 0) | (r.isMaker ? OrderFlag.MAKER : 0),
    );
    s.setU32(EXEC_REPORT.instrument, inst.id);
    s.setU8(EXEC_REPORT.status, STATUS_OF[r.orderStatus] ?? 0);
    s.setU8(EXEC_REPORT.orderType, r.orderType === 'MARKET' ? OrderType.MARKET : OrderType.LIMIT);
    s.setU8(EXEC_REPORT.tif, r.timeInForce === 'IOC' ? TimeInForce.IOC : r.timeInForce === 'FOK' ? TimeInForce.FOK : TimeInForce.GTC);
    s.setU16(EXEC_REPORT.reason, execType === ExecType.REJECTED ? RejectReason.VENUE_REJECT : 0);
    s.setU64(EXEC_REPORT.venueOrderId, BigInt(r.orderId));
    s.setI64Number(EXEC_REPORT.clientOrderId, ours ? Number(d.seq) : 0);
    s.setI64(EXEC_REPORT.price, r.orderType === 'MARKET' ? Sentinel.PRICE_UNDEF : r.price);
    s.setI64(EXEC_REPORT.qty, r.quantity);
    s.setI64(EXEC_REPORT.cumQty, r.cumQty);
    if (fill) {
      s.setI64(EXEC_REPORT.lastPx, r.lastPrice);
      s.setI64(EXEC_REPORT.lastQty, r.lastQty);
      s.setI64(EXEC_REPORT.fee, r.commission * this.feeMul);
      s.setU16(EXEC_REPORT.feeAsset, r.commissionAsset === null ? 0 : this.o.assetId(r.commissionAsset));
      s.setU64(EXEC_REPORT.tradeId, BigInt(r.tradeId));
    } else {
      s.setUndef(EXEC_REPORT.lastPx);
      s.setIdUndef(EXEC_REPORT.tradeId);
    }
    s.setI64(EXEC_REPORT.venueTimeNs, BigInt(r.transactTimeMs) * 1_000_000n);
    s.setI64(EXEC_REPORT.recvTimeNs, r.receivedNs);
    if (r.orderClientId.length <= SchemaLimits.CLIENT_ORDER_ID_TEXT_BYTES) {
      s.setU8(EXEC_REPORT.clientOrderIdLen, s.setAscii(EXEC_REPORT.clientOrderIdText, SchemaLimits.CLIENT_ORDER_ID_TEXT_BYTES, r.orderClientId));
    }
    this.counters.reports++;
    this.emit();
  }

  /** Copies the scratch record into exec-in, or into the backlog when the ring is full. */
  private emit(): void {
    if (this.backlog.length === 0 && this.tryWrite(this.scratch)) return;
    this.counters.backlog++;
    this.backlog.push(new Uint8Array(this.scratch.u8.slice(0, EXEC_REPORT_BYTES)));
  }

  private tryWrite(src: EventBuffer): boolean {
    const at = this.o.execIn.tryClaim();
    if (at < 0) return false;
    src.copySlot(0, at, EXEC_REPORT_BYTES, this.outBuf);
    this.o.execIn.commit();
    return true;
  }

  private drainBacklog(): void {
    while (this.backlog.length > 0) {
      const b = this.backlog[0]!;
      if (!this.tryWrite(new EventBuffer(b.buffer))) return;
      this.backlog.shift();
    }
  }
}

const EXEC_REPORT_BYTES = SchemaLimits.WIDE_SLOT_BYTES;
