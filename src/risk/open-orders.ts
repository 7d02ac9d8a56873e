/**
 * Our working orders as risk sees them: one slot per open order in flat typed arrays,
 * per-instrument slot lists for self-trade scans, and running sums of working quantity
 * per (strategy, instrument) and per instrument for the position checks.
 *
 * The oms opens a slot when it accepts an order, updates leaves on fills and amends, and
 * closes the slot when the order is final. Quantities are integer mantissas in numbers:
 * each order's qty passed the max-qty check (< 2^53); a sum that ever reached 2^53 would
 * round monotonically and still exceed every limit, which are all below 2^53.
 *
 *   slot ──► instrument, strategy, side, resting, cancelPending, price, qty, leaves, seq
 *   instrument ──► [slot, slot, …]   (swap-remove; slotPos[slot] is the index in it)
 */
import { Side } from '../core/schema/constants.js';
import { RiskConfigError, RiskErrorCode } from './errors.js';

export class OpenOrderIndex {
  readonly capacity: number;
  readonly strategies: number;
  readonly instruments: number;

  readonly slotInstrument: Int32Array;
  readonly slotStrategy: Int32Array;
  readonly slotSide: Uint8Array;
  /** 1 when the order can rest on the book (a limit that is not IOC/FOK). */
  readonly slotResting: Uint8Array;
  readonly slotCancelPending: Uint8Array;
  readonly slotOpen: Uint8Array;
  readonly slotPrice: Float64Array;
  readonly slotQty: Float64Array;
  readonly slotLeaves: Float64Array;
  /** WAL sequence = numeric client order id. */
  readonly slotSeq: Float64Array;
  readonly slotStrategyOrderId: Float64Array;

  /** Working quantity by strategy × instrument (index strategy * instruments + instrument). */
  readonly buyLeaves: Float64Array;
  readonly sellLeaves: Float64Array;
  readonly totalBuyLeaves: Float64Array;
  readonly totalSellLeaves: Float64Array;
  readonly openByStrategy: Int32Array;
  openCount = 0;

  private readonly freeSlots: Int32Array;
  private freeTop: number;
  private readonly slotPos: Int32Array;
  private readonly byInstrument: number[][];

  /** `strategies` and `instruments` are the largest ids + 1. */
  constructor(capacity: number, strategies: number, instruments: number) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1 << 24) {
      throw new RiskConfigError(RiskErrorCode.LIMIT, `open order capacity must be 1..2^24, got ${capacity}`);
    }
    this.capacity = capacity;
    this.strategies = strategies;
    this.instruments = instruments;
    this.slotInstrument = new Int32Array(capacity);
    this.slotStrategy = new Int32Array(capacity);
    this.slotSide = new Uint8Array(capacity);
    this.slotResting = new Uint8Array(capacity);
    this.slotCancelPending = new Uint8Array(capacity);
    this.slotOpen = new Uint8Array(capacity);
    this.slotPrice = new Float64Array(capacity);
    this.slotQty = new Float64Array(capacity);
    this.slotLeaves = new Float64Array(capacity);
    this.slotSeq = new Float64Array(capacity);
    this.slotStrategyOrderId = new Float64Array(capacity);
    this.slotPos = new Int32Array(capacity);
    this.freeSlots = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.freeSlots[i] = capacity - 1 - i;
    this.freeTop = capacity;
    this.buyLeaves = new Float64Array(strategies * instruments);
    this.sellLeaves = new Float64Array(strategies * instruments);
    this.totalBuyLeaves = new Float64Array(instruments);
    this.totalSellLeaves = new Float64Array(instruments);
    this.openByStrategy = new Int32Array(strategies);
    this.byInstrument = Array.from({ length: instruments }, () => []);
  }

  /** Open slots of `instrument` (read-only; do not keep across calls that open or close). */
  slotsOf(instrument: number): readonly number[] {
    return this.byInstrument[instrument]!;
  }

  /** Opens a slot for a new order; -1 when the index is full. */
  open(strategy: number, instrument: number, side: number, resting: boolean, price: number, qty: number, seq: number, strategyOrderId: number): number {
    if (this.freeTop === 0) return -1;
    if (strategy < 0 || strategy >= this.strategies || instrument <= 0 || instrument >= this.instruments) {
      throw new RiskConfigError(RiskErrorCode.ID_RANGE, `open order for strategy ${strategy}, instrument ${instrument}: outside ${this.strategies} × ${this.instruments}`);
    }
    const slot = this.freeSlots[--this.freeTop]!;
    this.slotInstrument[slot] = instrument;
    this.slotStrategy[slot] = strategy;
    this.slotSide[slot] = side;
    this.slotResting[slot] = resting ? 1 : 0;
    this.slotCancelPending[slot] = 0;
    this.slotOpen[slot] = 1;
    this.slotPrice[slot] = price;
    this.slotQty[slot] = qty;
    this.slotLeaves[slot] = 0;
    this.slotSeq[slot] = seq;
    this.slotStrategyOrderId[slot] = strategyOrderId;
    const list = this.byInstrument[instrument]!;
    this.slotPos[slot] = list.length;
    list.push(slot);
    this.openByStrategy[strategy]!++;
    this.openCount++;
    this.setLeaves(slot, qty);
    return slot;
  }

  /** Sets the working quantity of an open order (after a fill or an amend). */
  setLeaves(slot: number, leaves: number): void {
    const delta = leaves - this.slotLeaves[slot]!;
    if (delta === 0) return;
    this.slotLeaves[slot] = leaves;
    const inst = this.slotInstrument[slot]!;
    const k = this.slotStrategy[slot]! * this.instruments + inst;
    if (this.slotSide[slot] === Side.BUY) {
      this.buyLeaves[k] = this.buyLeaves[k]! + delta;
      this.totalBuyLeaves[inst] = this.totalBuyLeaves[inst]! + delta;
    } else {
      this.sellLeaves[k] = this.sellLeaves[k]! + delta;
      this.totalSellLeaves[inst] = this.totalSellLeaves[inst]! + delta;
    }
  }

  /** An amend changed the price or total quantity. */
  setPriceQty(slot: number, price: number, qty: number): void {
    this.slotPrice[slot] = price;
    this.slotQty[slot] = qty;
  }

  setCancelPending(slot: number, pending: boolean): void {
    this.slotCancelPending[slot] = pending ? 1 : 0;
  }

  /** Frees the slot of an order that reached a final state. */
  close(slot: number): void {
    if (this.slotOpen[slot] !== 1) return;
    this.setLeaves(slot, 0);
    this.slotOpen[slot] = 0;
    const list = this.byInstrument[this.slotInstrument[slot]!]!;
    const pos = this.slotPos[slot]!;
    const last = list.pop()!;
    if (last !== slot) {
      list[pos] = last;
      this.slotPos[last] = pos;
    }
    this.openByStrategy[this.slotStrategy[slot]!]!--;
    this.openCount--;
    this.freeSlots[this.freeTop++] = slot;
  }

  /** Calls `fn` for every open slot, instrument by instrument. */
  forEachOpen(fn: (slot: number) => void): void {
    for (const list of this.byInstrument) for (let i = 0; i < list.length; i++) fn(list[i]!);
  }
}
