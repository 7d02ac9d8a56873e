/**
 * What a strategy is handed. Market events (book, trade) are views over the record that
 * caused them: read a field and it is decoded then (a bigint is made only for the fields
 * read), and the event object is reused, so it is valid only during the handler call;
 * copy what must outlive it. Order and timer events are plain objects.
 */
import type { BookLevels } from '../../book/book-levels.js';
import type { OrderStateName, RejectReasonName, SideName } from './names.js';

/** Best prices and quantities as mantissas (instrument priceScale / qtyScale). */
export interface BestPrices {
  /** null when the side is empty. */
  readonly bidPrice: bigint | null;
  readonly bidQty: bigint;
  readonly askPrice: bigint | null;
  readonly askQty: bigint;
  /** The book is in sync with the venue (safe to trade on). */
  readonly valid: boolean;
  /** Seqlock version of the copy: equal versions mean an unchanged book. */
  readonly version: number;
}

/** A consistent copy of the best levels, best first, as [price, qty] mantissas. */
export interface BookDepth {
  readonly bids: ReadonlyArray<readonly [bigint, bigint]>;
  readonly asks: ReadonlyArray<readonly [bigint, bigint]>;
  readonly valid: boolean;
  readonly version: number;
}

/**
 * One instrument's shared L2 book, read lock-free. A read returns null when the writer
 * kept publishing through every retry (rare; counted by the reader): read again later.
 */
export interface BookView {
  readonly instrument: string;
  best(): BestPrices | null;
  levels(depth: number): BookDepth | null;
  /**
   * Allocation-free read into a caller-owned copy (src/book BookLevels), for hot paths
   * and for the exact math of src/book/book-math (mid, microprice, VWAP).
   */
  readInto(out: BookLevels, depth?: number): boolean;
  /** Current seqlock version (even = stable), to skip unchanged books cheaply. */
  version(): number;
}

export interface BookEvent {
  readonly kind: 'book';
  readonly instrument: string;
  /** The book is in sync with the venue; false while it is rebuilt after a gap. */
  readonly valid: boolean;
  /** The best bid or ask changed. */
  readonly topChanged: boolean;
  /** The change came from a snapshot (the book was rebuilt). */
  readonly fromSnapshot: boolean;
  /** Best prices right after the change (from the notification; read `book` for more). */
  readonly bidPrice: bigint | null;
  readonly askPrice: bigint | null;
  /** Venue sequence of the last applied update. */
  readonly seq: bigint;
  /** Venue time, ns since the epoch (null if the venue sent none). */
  readonly exchTimeNs: bigint | null;
  /** CLOCK_MONOTONIC ns when the venue message arrived. */
  readonly recvTimeNs: bigint;
  readonly book: BookView;
}

export interface TradeEvent {
  readonly kind: 'trade';
  readonly instrument: string;
  readonly price: bigint;
  readonly qty: bigint;
  /** Side of the aggressor; null if the venue does not say. */
  readonly aggressor: SideName | null;
  /** Venue trade id; null if absent. */
  readonly tradeId: bigint | null;
  readonly seq: bigint | null;
  readonly exchTimeNs: bigint | null;
  readonly recvTimeNs: bigint;
}

interface OrderEventBase {
  /** The order: the id `place` returned. */
  readonly ref: number;
  readonly instrument: string;
  readonly side: SideName;
  /** State after this event. */
  readonly state: OrderStateName;
  /** The order reached a terminal state (filled, canceled, rejected, expired). */
  readonly final: boolean;
  readonly filledQty: bigint;
  readonly leavesQty: bigint;
  /** The tag given to `place`, if any (kept by the SDK, never sent to the venue). */
  readonly clientTag: string | undefined;
}

/** A state change without a fill: acknowledged, canceled, expired, replaced. */
export interface OrderUpdateEvent extends OrderEventBase {
  readonly kind: 'update';
}

export interface OrderFillEvent extends OrderEventBase {
  readonly kind: 'fill';
  readonly fillPrice: bigint;
  readonly fillQty: bigint;
  /** Fee of this fill at SchemaLimits.FEE_SCALE; negative is a rebate. */
  readonly fee: bigint;
  /** Interned fee asset id (0 if no fee). */
  readonly feeAsset: number;
  /** The fill was on the passive side. */
  readonly maker: boolean;
}

/** The oms or the venue refused an intent (a new order, a cancel or an amend). */
export interface OrderRejectEvent extends OrderEventBase {
  readonly kind: 'reject';
  readonly reason: RejectReasonName | 'UNRECOGNIZED';
  readonly reasonCode: number;
}

export type OrderEvent = OrderUpdateEvent | OrderFillEvent | OrderRejectEvent;

export interface TimerEvent {
  readonly kind: 'timer';
  readonly name: string;
  /** When it was due and when it ran, clock ns (the simulated clock in backtest). */
  readonly dueNs: bigint;
  readonly nowNs: bigint;
  readonly repeat: boolean;
  /** Periods skipped because the strategy was busy past them (repeating timers). */
  readonly missed: number;
}
