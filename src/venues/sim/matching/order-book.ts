/**
 * One symbol's limit order book with price-time priority. Every mutation runs as a batch:
 * level changes get consecutive update ids (Binance depth U..u), and the batch ends with
 * events.batchEnd so market data can emit one diff per batch.
 *
 * Prices and quantities are safe-integer mantissas here (see RestingOrder); the engine
 * checks the range when it accepts an order.
 */
import { ASK, BID, RestingOrder, type SideCode } from './resting-order.js';
import { BookSide } from './book-side.js';
import type { PriceLevel } from './price-level.js';
import type { OrderType, TimeInForce } from './types.js';

/** One fill, reused for every fill of a book (copy what you keep). */
export interface FillRecord {
  tradeId: number;
  price: number;
  qty: number;
  takerSide: SideCode;
  maker: RestingOrder;
  taker: RestingOrder;
  timeMs: number;
}

/** How a book reports, synchronously and in order. */
export interface BookEvents {
  orderUpdated(book: OrderBook, order: RestingOrder, fill: FillRecord | null): void;
  trade(book: OrderBook, fill: FillRecord): void;
  levelChanged(book: OrderBook, side: SideCode, price: number, qty: number, updateId: number): void;
  /** `changes` = level changes in the batch (0 when only order states changed). */
  batchEnd(book: OrderBook, changes: number): void;
}

export type BookRejectReason = 'WOULD_CROSS' | 'FOK_NOT_FILLABLE' | 'NO_LIQUIDITY';

export interface BookOptions {
  /**
   * USD-M style sequencing: every `hiddenUpdatesEvery`-th batch first consumes two update
   * ids that never appear in a diff (Binance futures counts updates it does not publish),
   * so U != prev u + 1 and only `pu` continuity holds. 0 = spot numbering (contiguous).
   */
  hiddenUpdatesEvery?: number;
}

const POOL_MAX = 4096;

export class OrderBook {
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);
  /** Open orders by id. */
  readonly open = new Map<number, RestingOrder>();
  lastUpdateId = 0;
  lastOrderId = 0;
  lastTradeId = 0;
  /** Time of the last batch (USD-M T). */
  lastBatchTimeMs = 0;

  private batchChanges = 0;
  private inBatch = false;
  private batchCount = 0;
  private readonly hiddenEvery: number;
  private readonly pool: RestingOrder[] = [];
  private readonly fill: FillRecord;

  constructor(
    readonly symbol: string,
    private readonly events: BookEvents,
    options: BookOptions = {},
  ) {
    this.hiddenEvery = options.hiddenUpdatesEvery ?? 0;
    const dummy = new RestingOrder();
    this.fill = { tradeId: 0, price: 0, qty: 0, takerSide: BID, maker: dummy, taker: dummy, timeMs: 0 };
  }

  side(code: SideCode): BookSide {
    return code === BID ? this.bids : this.asks;
  }

  /** A blank order from the pool, to fill in and pass to submit. */
  acquire(): RestingOrder {
    return this.pool.pop() ?? new RestingOrder();
  }

  /** Returns an order that left the book (or never entered it) to the pool. */
  release(o: RestingOrder): void {
    o.reset();
    if (this.pool.length < POOL_MAX) this.pool.push(o);
  }

  /**
   * Accepts, matches and (if it rests) books `o`, whose fields the caller has set except
   * orderId/status/executedQty. `quoteBudget` (MARKET only) replaces o.origQty by what that
   * quote amount buys. Returns a reject reason when the order was refused outright
   * (WOULD_CROSS: no id, nothing reported). The caller releases `o` when it is not open.
   */
  submit(o: RestingOrder, quoteBudget: bigint | null = null, stepSize = 1): BookRejectReason | null {
    const opposite = o.side === BID ? this.asks : this.bids;
    const isMarket = o.type === 'MARKET';
    if (o.type === 'LIMIT_MAKER') {
      const best = opposite.best();
      if (best && this.crosses(o.side, o.price, best.price)) {
        o.status = 'REJECTED';
        o.orderId = -1;
        return 'WOULD_CROSS';
      }
    }
    if (quoteBudget !== null) o.origQty = this.quantityForQuote(o.side, quoteBudget, stepSize);

    o.orderId = ++this.lastOrderId;
    o.status = 'NEW';
    o.executedQty = 0;
    o.updateTimeMs = o.timeMs;
    this.beginBatch(o.timeMs);
    try {
      return this.run(o, isMarket);
    } finally {
      this.inBatch = false;
    }
  }

  private run(o: RestingOrder, isMarket: boolean): BookRejectReason | null {
    this.events.orderUpdated(this, o, null);

    let reason: BookRejectReason | null = null;
    if (o.origQty <= 0) {
      reason = 'NO_LIQUIDITY';
    } else if (o.timeInForce === 'FOK' && o.type === 'LIMIT' && !this.canFill(o.side, o.price, o.origQty, false)) {
      reason = 'FOK_NOT_FILLABLE';
    } else if (o.timeInForce === 'FOK' && isMarket && !this.canFill(o.side, 0, o.origQty, true)) {
      reason = 'FOK_NOT_FILLABLE';
    } else {
      this.match(o, isMarket);
      if (isMarket && o.executedQty === 0) reason = 'NO_LIQUIDITY';
    }

    if (reason === null && o.remaining > 0 && !isMarket && (o.timeInForce === 'GTC' || o.type === 'LIMIT_MAKER')) {
      const level = this.side(o.side).getOrCreate(o.price);
      level.push(o);
      this.open.set(o.orderId, o);
      this.changed(o.side, level.price, level.total);
    } else if (reason !== null || o.remaining > 0) {
      // IOC/MARKET remainder, FOK that cannot fill, MARKET into an empty side.
      o.status = 'EXPIRED';
      this.events.orderUpdated(this, o, null);
    }
    this.endBatch();
    return reason;
  }

  /** Cancels an open order; returns it (now CANCELED, no longer in the book) or undefined. */
  cancel(orderId: number, timeMs: number): RestingOrder | undefined {
    const o = this.open.get(orderId);
    if (!o) return undefined;
    this.beginBatch(timeMs);
    try {
      this.unrest(o);
      o.status = 'CANCELED';
      o.updateTimeMs = timeMs;
      this.events.orderUpdated(this, o, null);
      this.endBatch();
    } finally {
      this.inBatch = false;
    }
    return o;
  }

  /** Best bid/ask prices (0 when the side is empty). */
  bestBid(): number {
    return this.bids.best()?.price ?? 0;
  }

  bestAsk(): number {
    return this.asks.best()?.price ?? 0;
  }

  private crosses(side: SideCode, price: number, oppositePrice: number): boolean {
    return side === BID ? price >= oppositePrice : price <= oppositePrice;
  }

  private match(taker: RestingOrder, isMarket: boolean): void {
    const opposite = taker.side === BID ? this.asks : this.bids;
    const fill = this.fill;
    for (let guard = 0; taker.remaining > 0; guard++) {
      const level = opposite.best();
      if (!level || (!isMarket && !this.crosses(taker.side, taker.price, level.price))) break;
      while (taker.remaining > 0 && level.head) {
        const maker = level.head;
        const qty = Math.min(taker.remaining, maker.remaining);
        maker.addFill(level.price, qty);
        taker.addFill(level.price, qty);
        level.total -= qty;
        maker.updateTimeMs = taker.timeMs;
        taker.updateTimeMs = taker.timeMs;
        const makerDone = maker.remaining === 0;
        if (makerDone) {
          level.unlink(maker);
          this.open.delete(maker.orderId);
          maker.status = 'FILLED';
        } else {
          maker.status = 'PARTIALLY_FILLED';
        }
        taker.status = taker.remaining === 0 ? 'FILLED' : 'PARTIALLY_FILLED';
        fill.tradeId = ++this.lastTradeId;
        fill.price = level.price;
        fill.qty = qty;
        fill.takerSide = taker.side;
        fill.maker = maker;
        fill.taker = taker;
        fill.timeMs = taker.timeMs;
        this.events.trade(this, fill);
        this.events.orderUpdated(this, maker, fill);
        this.events.orderUpdated(this, taker, fill);
        if (makerDone) this.release(maker);
      }
      this.changed(opposite.isBid ? BID : ASK, level.price, level.total);
      if (level.count === 0) opposite.remove(level);
      if (guard > 1_000_000) throw new Error(`matching loop on ${this.symbol} did not converge`);
    }
    fill.maker = fill.taker;
  }

  /** Whether `qty` can fill at prices no worse than `limit` (any price if `any`). */
  private canFill(side: SideCode, limit: number, qty: number, any: boolean): boolean {
    const opposite = side === BID ? this.asks.levels : this.bids.levels;
    let need = qty;
    for (let i = opposite.length - 1; i >= 0 && need > 0; i--) {
      const level = opposite[i] as PriceLevel;
      if (!any && !this.crosses(side, limit, level.price)) break;
      need -= level.total;
    }
    return need <= 0;
  }

  /** The quantity a MARKET order with quote budget `budget` fills, walking makers in order. */
  private quantityForQuote(side: SideCode, budget: bigint, step: number): number {
    const opposite = side === BID ? this.asks.levels : this.bids.levels;
    const stepBig = BigInt(step);
    let left = budget;
    let total = 0;
    for (let i = opposite.length - 1; i >= 0; i--) {
      const level = opposite[i] as PriceLevel;
      const price = BigInt(level.price);
      for (let m = level.head; m; m = m.next) {
        const affordable = ((left / price) / stepBig) * stepBig;
        if (affordable <= 0n) return total;
        const take = BigInt(m.remaining) < affordable ? BigInt(m.remaining) : affordable;
        total += Number(take);
        left -= take * price;
      }
    }
    return total;
  }

  private unrest(o: RestingOrder): void {
    const level = o.level as PriceLevel;
    const side = this.side(o.side);
    level.unlink(o);
    level.total -= o.remaining;
    this.open.delete(o.orderId);
    this.changed(o.side, level.price, level.total);
    if (level.count === 0) side.remove(level);
  }

  private beginBatch(timeMs: number): void {
    // Listeners run inside the batch; a submit or cancel from one would corrupt the level walk.
    if (this.inBatch) throw new Error(`re-entrant submit/cancel on ${this.symbol} from a matching listener`);
    this.inBatch = true;
    this.batchChanges = 0;
    this.lastBatchTimeMs = timeMs;
  }

  private changed(side: SideCode, price: number, qty: number): void {
    if (this.batchChanges === 0 && this.hiddenEvery > 0 && ++this.batchCount % this.hiddenEvery === 0) this.lastUpdateId += 2;
    this.batchChanges++;
    this.events.levelChanged(this, side, price, qty, ++this.lastUpdateId);
  }

  private endBatch(): void {
    this.inBatch = false;
    this.events.batchEnd(this, this.batchChanges);
  }
}
