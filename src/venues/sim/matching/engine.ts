/**
 * The sim's matching engine: one OrderBook per symbol, the public SimMatchingEngine API
 * (bigint views, used by order entry) and a fast internal path (numbers, no views) used
 * by the market generator and the market-data publisher.
 *
 * Views (OrderView, Fill) are built only when some listener or caller will see them, so
 * generated flow that nobody watches order by order costs no bigint allocation.
 */
import type { Instrument } from '../../../core/instruments/instrument.js';
import { ASK, BID, RestingOrder, sideCode, sideName, type SideCode } from './resting-order.js';
import { OrderBook, type BookEvents, type BookOptions, type FillRecord } from './order-book.js';
import {
  FLOW_OWNER,
  type BookSnapshot,
  type Fill,
  type LevelChange,
  type MatchingListener,
  type NewOrderRequest,
  type OrderFilter,
  type OrderType,
  type OrderView,
  type SimMatchingEngine,
  type SubmitResult,
  type TimeInForce,
} from './types.js';

export class SimEngineError extends Error {
  constructor(
    readonly code: 'SIM_UNKNOWN_SYMBOL' | 'SIM_BAD_ORDER',
    message: string,
  ) {
    super(message);
    this.name = 'SimEngineError';
  }
}

/** Non-flow orders kept per symbol after they finish, oldest dropped first. */
const CLOSED_ORDERS_KEPT = 100_000;

interface SymbolState {
  book: OrderBook;
  inst: Instrument;
  closed: Map<number, OrderView>;
  /** owner \0 clientOrderId → latest orderId (non-flow orders only). */
  byClientId: Map<string, number>;
}

export interface MatchingEngineOptions extends BookOptions {}

export class MatchingEngine implements SimMatchingEngine, BookEvents {
  private readonly states = new Map<string, SymbolState>();
  private readonly listeners: MatchingListener[] = [];
  private readonly sinks: BookEvents[] = [];
  private wantTrades = false;
  private wantOrdersAll = false;
  private wantOrdersNonFlow = false;
  private wantLevels = false;
  private wantBatches = false;
  /** The Fill view of the fill being reported, shared by its trade and both order updates. */
  private fillView: Fill | null = null;
  private fillViewTradeId = -1;
  private collector: Fill[] | null = null;

  constructor(instruments: readonly Instrument[], options: MatchingEngineOptions = {}) {
    for (const inst of instruments) {
      this.states.set(inst.symbol, {
        book: new OrderBook(inst.symbol, this, options),
        inst,
        closed: new Map(),
        byClientId: new Map(),
      });
    }
  }

  symbols(): string[] {
    return [...this.states.keys()];
  }

  hasSymbol(symbol: string): boolean {
    return this.states.has(symbol);
  }

  /** The book of `symbol`, for the generator and market data (read-only outside matching/). */
  book(symbol: string): OrderBook {
    return this.state(symbol).book;
  }

  instrument(symbol: string): Instrument {
    return this.state(symbol).inst;
  }

  addListener(listener: MatchingListener): () => void {
    this.listeners.push(listener);
    this.refreshInterest();
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
      this.refreshInterest();
    };
  }

  /** Raw book events (numbers, reused records) for in-sim consumers such as market data. */
  addSink(sink: BookEvents): () => void {
    this.sinks.push(sink);
    return () => {
      const i = this.sinks.indexOf(sink);
      if (i >= 0) this.sinks.splice(i, 1);
    };
  }

  submit(req: NewOrderRequest): SubmitResult {
    const st = this.state(req.symbol);
    const isMarket = req.type === 'MARKET';
    const useQuote = isMarket && req.quoteOrderQty !== undefined;
    if (useQuote && (req.quoteOrderQty as bigint) <= 0n) throw new SimEngineError('SIM_BAD_ORDER', `quoteOrderQty must be positive, got ${req.quoteOrderQty}`);
    const o = st.book.acquire();
    o.owner = req.owner;
    o.isFlow = req.owner === FLOW_OWNER;
    o.clientOrderId = req.clientOrderId;
    o.side = sideCode(req.side);
    o.type = req.type;
    o.timeInForce = req.timeInForce;
    o.price = isMarket ? 0 : safeMantissa('price', req.price);
    o.origQty = useQuote ? 0 : safeMantissa('quantity', req.quantity);
    o.timeMs = req.timeMs;
    const fills: Fill[] = [];
    const outer = this.collector;
    this.collector = fills;
    let reason;
    try {
      reason = st.book.submit(o, useQuote ? (req.quoteOrderQty as bigint) : null, Number(st.inst.stepSize));
    } finally {
      this.collector = outer;
    }
    const order = o.view(st.book.symbol);
    if (!st.book.open.has(o.orderId)) st.book.release(o);
    return reason ? { order, fills, rejectReason: reason } : { order, fills };
  }

  /**
   * Generated flow: submits without building any view. Returns the order id when the
   * order rests on the book afterwards, else 0.
   */
  submitFlow(book: OrderBook, side: SideCode, type: OrderType, tif: TimeInForce, price: number, qty: number, timeMs: number): number {
    const o = book.acquire();
    o.owner = FLOW_OWNER;
    o.isFlow = true;
    o.clientOrderId = '';
    o.side = side;
    o.type = type;
    o.timeInForce = tif;
    o.price = price;
    o.origQty = qty;
    o.timeMs = timeMs;
    book.submit(o);
    if (book.open.get(o.orderId) === o) return o.orderId;
    book.release(o);
    return 0;
  }

  cancel(symbol: string, orderId: number, timeMs: number): OrderView | undefined {
    const st = this.state(symbol);
    const o = st.book.cancel(orderId, timeMs);
    if (!o) return undefined;
    const view = o.view(symbol);
    st.book.release(o);
    return view;
  }

  /** Cancel for generated flow: no view. Returns whether the order was open. */
  cancelFlow(book: OrderBook, orderId: number, timeMs: number): boolean {
    const o = book.cancel(orderId, timeMs);
    if (!o) return false;
    book.release(o);
    return true;
  }

  getOrder(symbol: string, orderId: number): OrderView | undefined {
    const st = this.state(symbol);
    return st.book.open.get(orderId)?.view(symbol) ?? st.closed.get(orderId);
  }

  getOrderByClientId(symbol: string, owner: string, clientOrderId: string): OrderView | undefined {
    const st = this.state(symbol);
    const id = st.byClientId.get(owner + '\u0000' + clientOrderId);
    return id === undefined ? undefined : this.getOrder(symbol, id);
  }

  openOrders(owner: string, symbol?: string): OrderView[] {
    return this.orders({ owner, openOnly: true, ...(symbol !== undefined ? { symbol } : {}) });
  }

  orders(filter: OrderFilter = {}): OrderView[] {
    const out: OrderView[] = [];
    const states = filter.symbol !== undefined ? [this.state(filter.symbol)] : [...this.states.values()];
    for (const st of states) {
      for (const o of st.book.open.values()) if (filter.owner === undefined || o.owner === filter.owner) out.push(o.view(st.book.symbol));
      if (filter.openOnly) continue;
      for (const v of st.closed.values()) if (filter.owner === undefined || v.owner === filter.owner) out.push(v);
    }
    return out.sort((a, b) => (a.symbol === b.symbol ? a.orderId - b.orderId : a.symbol < b.symbol ? -1 : 1));
  }

  bookSnapshot(symbol: string, depth: number): BookSnapshot {
    const book = this.state(symbol).book;
    const take = (levels: { price: number; total: number }[], side: 'BUY' | 'SELL'): LevelChange[] => {
      const out: LevelChange[] = [];
      for (let i = levels.length - 1; i >= 0 && out.length < depth; i--) {
        const l = levels[i] as { price: number; total: number };
        out.push({ side, price: BigInt(l.price), quantity: BigInt(l.total) });
      }
      return out;
    };
    return { symbol, lastUpdateId: book.lastUpdateId, bids: take(book.bids.levels, 'BUY'), asks: take(book.asks.levels, 'SELL') };
  }

  // BookEvents: called by the books, fanned out to sinks and (as views) to listeners.

  orderUpdated(book: OrderBook, o: RestingOrder, fill: FillRecord | null): void {
    for (let i = 0; i < this.sinks.length; i++) (this.sinks[i] as BookEvents).orderUpdated(book, o, fill);
    const nonFlow = !o.isFlow;
    if (nonFlow) this.track(book, o);
    if (!(this.wantOrdersAll || (nonFlow && this.wantOrdersNonFlow))) return;
    let view: OrderView;
    let fillView: Fill | null = null;
    if (fill) {
      fillView = this.fillViewFor(book, fill);
      view = o === fill.maker ? fillView.maker : fillView.taker;
    } else {
      view = o.view(book.symbol);
    }
    for (const l of this.listeners) {
      if (!l.onOrderUpdate || (l.ignoreFlowOrders && o.isFlow)) continue;
      l.onOrderUpdate(view, fillView);
    }
  }

  trade(book: OrderBook, fill: FillRecord): void {
    for (let i = 0; i < this.sinks.length; i++) (this.sinks[i] as BookEvents).trade(book, fill);
    const involvesNonFlow = !fill.maker.isFlow || !fill.taker.isFlow;
    if (!(this.wantTrades || this.collector || this.wantOrdersAll || (involvesNonFlow && this.wantOrdersNonFlow))) return;
    const view = this.fillViewFor(book, fill);
    if (this.collector) this.collector.push(view);
    if (this.wantTrades) for (const l of this.listeners) l.onTrade?.(view);
  }

  levelChanged(book: OrderBook, side: SideCode, price: number, qty: number, updateId: number): void {
    for (let i = 0; i < this.sinks.length; i++) (this.sinks[i] as BookEvents).levelChanged(book, side, price, qty, updateId);
    if (!this.wantLevels) return;
    const change: LevelChange = { side: sideName(side), price: BigInt(price), quantity: BigInt(qty) };
    for (const l of this.listeners) l.onLevelChange?.(book.symbol, change);
  }

  batchEnd(book: OrderBook, changes: number): void {
    for (let i = 0; i < this.sinks.length; i++) (this.sinks[i] as BookEvents).batchEnd(book, changes);
    this.fillView = null;
    this.fillViewTradeId = -1;
    if (!this.wantBatches) return;
    for (const l of this.listeners) l.onBatchEnd?.(book.symbol);
  }

  private fillViewFor(book: OrderBook, fill: FillRecord): Fill {
    if (this.fillView && this.fillViewTradeId === fill.tradeId) return this.fillView;
    const view: Fill = {
      symbol: book.symbol,
      tradeId: fill.tradeId,
      price: BigInt(fill.price),
      quantity: BigInt(fill.qty),
      takerSide: sideName(fill.takerSide),
      maker: fill.maker.view(book.symbol),
      taker: fill.taker.view(book.symbol),
      timeMs: fill.timeMs,
    };
    this.fillView = view;
    this.fillViewTradeId = fill.tradeId;
    return view;
  }

  /** Keeps the client-id index and the finished orders of non-flow owners. */
  private track(book: OrderBook, o: RestingOrder): void {
    const st = this.states.get(book.symbol) as SymbolState;
    if (o.status === 'NEW' && o.executedQty === 0) st.byClientId.set(o.owner + '\u0000' + o.clientOrderId, o.orderId);
    if (o.status === 'FILLED' || o.status === 'CANCELED' || o.status === 'EXPIRED') {
      st.closed.set(o.orderId, o.view(book.symbol));
      if (st.closed.size > CLOSED_ORDERS_KEPT) {
        const oldest = st.closed.keys().next().value as number;
        st.closed.delete(oldest);
      }
    }
  }

  private refreshInterest(): void {
    this.wantTrades = this.listeners.some((l) => l.onTrade);
    this.wantOrdersAll = this.listeners.some((l) => l.onOrderUpdate && !l.ignoreFlowOrders);
    this.wantOrdersNonFlow = this.listeners.some((l) => l.onOrderUpdate);
    this.wantLevels = this.listeners.some((l) => l.onLevelChange);
    this.wantBatches = this.listeners.some((l) => l.onBatchEnd);
  }

  private state(symbol: string): SymbolState {
    const st = this.states.get(symbol);
    if (!st) throw new SimEngineError('SIM_UNKNOWN_SYMBOL', `unknown symbol ${JSON.stringify(symbol)}`);
    return st;
  }
}

function safeMantissa(field: string, v: bigint): number {
  if (v <= 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new SimEngineError('SIM_BAD_ORDER', `${field} mantissa must be in 1..2^53-1, got ${v}`);
  }
  return Number(v);
}

export { ASK, BID };
