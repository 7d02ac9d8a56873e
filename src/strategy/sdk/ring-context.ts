/**
 * The StrategyContext of a strategy running in the engine: orders go out as
 * ORDER_INTENT records on its SPSC intent ring (what the oms consumes), books are read
 * from the book worker's shared memory, and orders and positions are kept from the
 * intents sent and the updates received (OrderTracker). The worker host builds one per
 * strategy; paper and backtest give it a different clock and a different ring consumer,
 * never a different strategy-facing behaviour.
 *
 * Intent and order ids: one counter per context. A `place` takes the next id as both
 * its intent id and the order's reference (the record's clientOrderId, the number the
 * oms knows the order by); a cancel or amend takes the next id and names its target
 * order in clientOrderId. Ids must not repeat among a strategy's open orders, so a host
 * that restarts or swaps a strategy passes `firstIntentId` past every id in use.
 */
import type { Instrument } from '../../core/instruments/instrument.js';
import type { InstrumentRegistry } from '../../core/instruments/registry.js';
import type { SpscRing } from '../../core/ring/spsc-ring.js';
import type { WaitStrategyName } from '../../core/ring/wait-strategy.js';
import { IntentAction, IntentFlag, OrderType, RefSentinel, TimeInForce } from '../../core/schema/constants.js';
import type { EventBuffer } from '../../core/schema/event-buffer.js';
import { INT64_MAX } from '../../core/fixed/decimal.js';
import type { SharedBookReader } from '../../book/shared-book-reader.js';
import { SharedBookView } from './book-view.js';
import { MonotonicClock } from './clock.js';
import type {
  AmendFields,
  Clock,
  IntentId,
  OpenOrder,
  OrderRef,
  PlaceOrder,
  RunMode,
  StrategyContext,
  StrategyLogger,
} from './context.js';
import { StrategyError, StrategyErrorCode } from './errors.js';
import type { BookView } from './events.js';
import { IntentWriter } from './intent-writer.js';
import { ORDER_TYPES, SIDE_FLAGS, TIFS } from './names.js';
import { OrderTracker } from './order-tracker.js';
import { TimerTable } from './timer-table.js';

export interface RingContextOptions<P> {
  strategy: string;
  /** Interned strategy id (u32, ≥ 1) the oms knows this strategy by. */
  strategyId: number;
  mode: RunMode;
  params: P;
  /** Venue whose instruments the strategy trades (symbols resolve within it). */
  venue: string;
  instruments: InstrumentRegistry;
  /** This strategy's intent ring; the context is its only producer. */
  intentRing: SpscRing;
  /** Shared book of an instrument, if the book worker keeps one. */
  books: (instrument: Instrument) => SharedBookReader | undefined;
  log: StrategyLogger;
  clock?: Clock;
  /** First intent id (≥ 1; default 1); see the module comment. */
  firstIntentId?: number;
  /** How long place/cancel wait on a full intent ring before throwing INTENT_RING_FULL. */
  ringTimeoutMs?: number;
  ringWait?: WaitStrategyName;
}

export interface RingContextStats {
  intents: number;
  /** Calls refused by the SDK's own checks (thrown to the strategy). */
  invalid: number;
  waitedFull: number;
}

const MAX_TAG = 32;

export class RingStrategyContext<P = Record<string, unknown>> implements StrategyContext<P> {
  readonly strategy: string;
  readonly strategyId: number;
  readonly mode: RunMode;
  readonly params: Readonly<P>;
  readonly log: StrategyLogger;
  readonly clock: Clock;
  readonly orders = new OrderTracker();
  readonly timers = new TimerTable();
  private readonly venue: string;
  private readonly registry: InstrumentRegistry;
  private readonly writer: IntentWriter;
  private readonly bookOf: (instrument: Instrument) => SharedBookReader | undefined;
  private readonly views = new Map<string, BookView>();
  private nextId: number;
  private invalid = 0;

  constructor(opts: RingContextOptions<P>) {
    this.strategy = opts.strategy;
    this.strategyId = opts.strategyId;
    this.mode = opts.mode;
    this.params = opts.params;
    this.log = opts.log;
    this.clock = opts.clock ?? new MonotonicClock();
    this.venue = opts.venue;
    this.registry = opts.instruments;
    this.bookOf = opts.books;
    const first = opts.firstIntentId ?? 1;
    if (!Number.isSafeInteger(first) || first < 1) throw new RangeError(`firstIntentId must be a positive safe integer, got ${first}`);
    this.nextId = first;
    const writerOpts: { wait?: WaitStrategyName; timeoutMs?: number } = {};
    if (opts.ringWait !== undefined) writerOpts.wait = opts.ringWait;
    if (opts.ringTimeoutMs !== undefined) writerOpts.timeoutMs = opts.ringTimeoutMs;
    this.writer = new IntentWriter(opts.intentRing, opts.strategyId, writerOpts);
  }

  /** The id the next intent will get (what a successor should start from). */
  get nextIntentId(): number {
    return this.nextId;
  }

  place(order: PlaceOrder): OrderRef {
    const o = order as Partial<PlaceOrder> & Record<string, unknown>;
    if (typeof o !== 'object' || o === null) throw this.bad(`place expects an order object, got ${o === null ? 'null' : typeof o}`);
    const inst = this.resolve(o.instrument, 'place');
    const sideFlag = SIDE_FLAGS[o.side as 'buy'];
    if (typeof o.side !== 'string' || sideFlag === undefined) throw this.bad(`place ${inst.symbol}: side must be 'buy' or 'sell', got ${show(o.side)}`);
    const orderType = ORDER_TYPES[o.type as 'limit'];
    if (typeof o.type !== 'string' || orderType === undefined) throw this.bad(`place ${inst.symbol}: type must be 'limit' or 'market', got ${show(o.type)}`);
    const market = orderType === OrderType.MARKET;
    const tifName = o.tif ?? (market ? 'IOC' : undefined);
    const tif = typeof tifName === 'string' ? TIFS[tifName as 'GTC'] : undefined;
    if (tif === undefined) throw this.bad(`place ${inst.symbol}: tif must be GTC, IOC or FOK, got ${show(o.tif)}`);
    if (market && tif === TimeInForce.GTC) throw this.bad(`place ${inst.symbol}: a market order cannot rest (tif GTC); use IOC or FOK`);
    checkMantissa(this, 'qty', o.qty, inst.symbol);
    let price: bigint | null = null;
    if (market) {
      if (o.price !== undefined) throw this.bad(`place ${inst.symbol}: a market order takes no price`);
    } else {
      checkMantissa(this, 'price', o.price, inst.symbol);
      price = o.price as bigint;
    }
    if (o.postOnly !== undefined && typeof o.postOnly !== 'boolean') throw this.bad(`place ${inst.symbol}: postOnly must be a boolean`);
    if (o.reduceOnly !== undefined && typeof o.reduceOnly !== 'boolean') throw this.bad(`place ${inst.symbol}: reduceOnly must be a boolean`);
    const postOnly = o.postOnly === true;
    if (postOnly && (market || tif !== TimeInForce.GTC)) throw this.bad(`place ${inst.symbol}: postOnly needs a GTC limit order`);
    if (o.clientTag !== undefined && (typeof o.clientTag !== 'string' || o.clientTag.length > MAX_TAG)) {
      throw this.bad(`place ${inst.symbol}: clientTag must be a string of at most ${MAX_TAG} characters`);
    }
    const flags = sideFlag | (postOnly ? IntentFlag.POST_ONLY : 0) | (o.reduceOnly === true ? IntentFlag.REDUCE_ONLY : 0);
    const ref = this.nextId;
    this.writer.write({
      action: IntentAction.NEW,
      flags,
      instrument: inst.id,
      orderType,
      tif,
      intentId: ref,
      orderRef: ref,
      price,
      qty: o.qty as bigint,
      createdTimeNs: this.clock.nowNs(),
    });
    this.nextId++;
    this.orders.placed({
      ref,
      instrument: inst.symbol,
      side: o.side as 'buy' | 'sell',
      type: market ? 'market' : 'limit',
      tif: tifName as 'GTC',
      price,
      qty: o.qty as bigint,
      postOnly,
      clientTag: o.clientTag as string | undefined,
    });
    return ref;
  }

  cancel(ref: OrderRef): IntentId {
    this.checkRef(ref, 'cancel');
    // Sent even when this view does not know the order: the oms is the authority and
    // answers an unknown one with a reject (UNKNOWN_ORDER).
    const known = this.orders.get(ref);
    const inst = known === undefined ? undefined : this.registry.bySymbol(this.venue, known.instrument);
    const id = this.send(IntentAction.CANCEL, inst?.id ?? RefSentinel.INSTRUMENT_UNDEF, ref, null, 0n, known?.side);
    this.orders.cancelSent(ref);
    return id;
  }

  cancelAll(instrument?: string): IntentId {
    const id = instrument === undefined ? RefSentinel.INSTRUMENT_UNDEF : this.resolve(instrument, 'cancelAll').id;
    return this.send(IntentAction.CANCEL_ALL, id, 0, null, 0n, undefined);
  }

  amend(ref: OrderRef, change: AmendFields): IntentId {
    this.checkRef(ref, 'amend');
    if (typeof change !== 'object' || change === null || (change.price === undefined && change.qty === undefined)) {
      throw this.bad(`amend ${ref}: give a new price, a new qty, or both`);
    }
    const known = this.orders.get(ref);
    if (known === undefined && (change.price === undefined || change.qty === undefined)) {
      this.invalid++;
      throw new StrategyError(StrategyErrorCode.UNKNOWN_ORDER, `amend ${ref}: order is not open in this strategy, so both price and qty are needed`);
    }
    if (known !== undefined && known.type === 'market') throw this.bad(`amend ${ref}: a market order cannot be amended`);
    const symbol = known?.instrument ?? '?';
    if (change.price !== undefined) checkMantissa(this, 'price', change.price, symbol);
    if (change.qty !== undefined) checkMantissa(this, 'qty', change.qty, symbol);
    // Against an amend still in flight: the strategy's latest wish is the base.
    const base = this.orders.amendBase(ref);
    const price = change.price ?? base!.price;
    const qty = change.qty ?? base!.qty;
    const inst = known === undefined ? undefined : this.registry.bySymbol(this.venue, known.instrument);
    const id = this.send(IntentAction.AMEND, inst?.id ?? RefSentinel.INSTRUMENT_UNDEF, ref, price, qty, known?.side);
    this.orders.amendSent(ref, price, qty);
    return id;
  }

  positions(instrument: string): bigint;
  positions(): ReadonlyMap<string, bigint>;
  positions(instrument?: string): bigint | ReadonlyMap<string, bigint> {
    return instrument === undefined ? this.orders.positions() : this.orders.position(instrument);
  }

  openOrders(instrument?: string): readonly OpenOrder[] {
    return this.orders.open(instrument);
  }

  book(instrument: string): BookView {
    const cached = this.views.get(instrument);
    if (cached !== undefined) return cached;
    const inst = this.resolve(instrument, 'book');
    const reader = this.bookOf(inst);
    if (reader === undefined) throw new StrategyError(StrategyErrorCode.NO_BOOK, `no shared book is attached for ${this.venue}:${inst.symbol}`);
    const view = new SharedBookView(inst.symbol, reader);
    this.views.set(instrument, view);
    return view;
  }

  instrument(symbol: string): Instrument {
    return this.resolve(symbol, 'instrument');
  }

  setTimer(name: string, ms: number, repeat = false): void {
    this.timers.set(name, ms, repeat === true, this.clock.nowNs());
  }

  clearTimer(name: string): boolean {
    return this.timers.clear(name);
  }

  /** Intents from now on carry this record's receive stamp as their trigger (driver use). */
  setTrigger(src: EventBuffer, at: number): void {
    this.writer.setTrigger(src, at);
  }

  clearTrigger(): void {
    this.writer.clearTrigger();
  }

  stats(): RingContextStats {
    const w = this.writer.stats();
    return { intents: w.written, invalid: this.invalid, waitedFull: w.waitedFull };
  }

  private send(action: number, instrument: number, target: number, price: bigint | null, qty: bigint, side: 'buy' | 'sell' | undefined): IntentId {
    const id = this.nextId;
    this.writer.write({
      action,
      flags: side === undefined ? 0 : SIDE_FLAGS[side],
      instrument,
      orderType: 0,
      tif: 0,
      intentId: id,
      orderRef: target,
      price,
      qty,
      createdTimeNs: this.clock.nowNs(),
    });
    this.nextId++;
    return id;
  }

  private resolve(symbol: unknown, op: string): Instrument {
    if (typeof symbol !== 'string') throw this.bad(`${op}: instrument must be a symbol string, got ${show(symbol)}`);
    const inst = this.registry.bySymbol(this.venue, symbol);
    if (inst === undefined) {
      this.invalid++;
      throw new StrategyError(StrategyErrorCode.UNKNOWN_INSTRUMENT, `${op}: ${JSON.stringify(symbol)} is not an instrument of venue ${this.venue}`);
    }
    return inst;
  }

  private checkRef(ref: unknown, op: string): void {
    if (typeof ref !== 'number' || !Number.isSafeInteger(ref) || ref < 1) throw this.bad(`${op}: order ref must be an id returned by place, got ${show(ref)}`);
  }

  bad(message: string): StrategyError {
    this.invalid++;
    return new StrategyError(StrategyErrorCode.INTENT_INVALID, `strategy ${this.strategy}: ${message}`);
  }
}

function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v);
  return v === null ? 'null' : typeof v === 'object' ? 'an object' : String(v);
}

function checkMantissa(ctx: RingStrategyContext<unknown>, field: string, v: unknown, symbol: string): void {
  if (typeof v !== 'bigint') {
    throw ctx.bad(`${symbol}: ${field} must be a bigint mantissa (e.g. ${field === 'price' ? '6500012n' : '1500n'}), got ${typeof v === 'number' ? `the number ${v}` : show(v)}`);
  }
  if (v <= 0n || v > INT64_MAX) throw ctx.bad(`${symbol}: ${field} must be in 1..2^63-1, got ${v}`);
}
