/**
 * One order as the oms tracks it, and the events that move it.
 *
 * Quantities and prices are bigint mantissas (the instrument's qtyScale / priceScale).
 * Two filled quantities are kept on purpose:
 *   cumQty       the sum of the distinct fills we applied (deduplicated by trade id) —
 *                what positions were booked from;
 *   venueCumQty  the highest cumulative quantity any report claimed (or cumQty, if
 *                higher) — what the venue says is filled, possibly ahead of cumQty while
 *                fill reports are in flight or were lost.
 * State follows venueCumQty (the venue's truth); positions follow cumQty, and a gap
 * between them is reported (FILLS_MISSING) so the missing trades can be fetched.
 */
import { IdSentinel, OrderState, Sentinel } from '../core/schema/constants.js';

export const OrderEventKind = {
  /** Venue accepted the order (exec type NEW). */
  ACK: 1,
  /** A fill (exec type TRADE), with trade id, lastQty, lastPx, cumQty. */
  TRADE: 2,
  CANCELED: 3,
  EXPIRED: 4,
  /** Venue refused the NEW. */
  REJECTED: 5,
  /** Venue applied an amend: `price`/`qty` are the order's new values. */
  REPLACED: 6,
  /** We sent a cancel. */
  CANCEL_SENT: 7,
  /** Venue refused our cancel (`reason` UNKNOWN_ORDER when it did not know the order). */
  CANCEL_REJECTED: 8,
  /** We sent an amend to `price`/`qty`. */
  REPLACE_SENT: 9,
  REPLACE_REJECTED: 10,
  /** No reply in time to our last request (or a restart found the order pending). */
  TIMEOUT: 11,
  /** Answer to a status query: `status` and `cumQty` are the venue's (exec type STATUS). */
  STATUS: 12,
  /** Answer to a status query: the venue does not know this client order id. */
  NOT_FOUND: 13,
} as const;
export type OrderEventKind = (typeof OrderEventKind)[keyof typeof OrderEventKind];
export const ORDER_EVENT_KINDS = Object.keys(OrderEventKind).length;

export const ORDER_EVENT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(OrderEventKind).map(([k, v]) => [v, k]));
export const ORDER_STATE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(OrderState).map(([k, v]) => [v, k]));

/**
 * Input of the state machine. One instance can be reused for every event (reset, then set
 * what the event carries); unset fields keep their "absent" sentinels.
 */
export class OrderEvent {
  kind: OrderEventKind = OrderEventKind.ACK;
  /** Monotonic ns when the event happened here (reports: receive time). */
  timeNs = 0;
  venueOrderId: bigint = IdSentinel.VENUE_ORDER_ID_UNDEF;
  tradeId: bigint = IdSentinel.TRADE_ID_UNDEF;
  lastQty = 0n;
  lastPx: bigint = Sentinel.PRICE_UNDEF;
  /** Cumulative filled quantity the venue reports; QTY_UNDEF when absent. */
  cumQty: bigint = Sentinel.QTY_UNDEF;
  /** STATUS: the venue's OrderState. */
  status = 0;
  /** REPLACED / REPLACE_SENT / STATUS: the order's price and quantity; undefined sentinels when absent. */
  price: bigint = Sentinel.PRICE_UNDEF;
  qty: bigint = Sentinel.QTY_UNDEF;
  /** RejectReason carried by REJECTED / CANCEL_REJECTED / REPLACE_REJECTED. */
  reason = 0;
  /** Fee of this fill at FEE_SCALE and its asset name ('' for none). */
  fee = 0n;
  feeAsset = '';
  maker = false;

  reset(kind: OrderEventKind, timeNs: number): this {
    this.kind = kind;
    this.timeNs = timeNs;
    this.venueOrderId = IdSentinel.VENUE_ORDER_ID_UNDEF;
    this.tradeId = IdSentinel.TRADE_ID_UNDEF;
    this.lastQty = 0n;
    this.lastPx = Sentinel.PRICE_UNDEF;
    this.cumQty = Sentinel.QTY_UNDEF;
    this.status = 0;
    this.price = Sentinel.PRICE_UNDEF;
    this.qty = Sentinel.QTY_UNDEF;
    this.reason = 0;
    this.fee = 0n;
    this.feeAsset = '';
    this.maker = false;
    return this;
  }

  static of(kind: OrderEventKind, timeNs = 0, fields: Partial<Omit<OrderEvent, 'kind' | 'timeNs'>> = {}): OrderEvent {
    return Object.assign(new OrderEvent().reset(kind, timeNs), fields);
  }
}

export interface NewOrderFields {
  seq: number;
  strategyId: number;
  strategyOrderId: number;
  instrument: number;
  side: number;
  orderType: number;
  tif: number;
  flags: number;
  price: bigint;
  qty: bigint;
  timeNs: number;
}

export class Order {
  /** WAL sequence of the record that created the order: the numeric part of its venue client order id. */
  readonly seq: number;
  readonly strategyId: number;
  /** The strategy's own number for the order (the intent's clientOrderId), echoed in its updates. */
  readonly strategyOrderId: number;
  readonly instrument: number;
  readonly side: number;
  readonly orderType: number;
  readonly tif: number;
  /** IntentFlag bits (post-only, reduce-only). */
  readonly flags: number;
  price: bigint;
  qty: bigint;
  state: number = OrderState.PENDING_NEW;
  cumQty = 0n;
  venueCumQty = 0n;
  /** Σ lastPx × lastQty of the applied fills, at priceScale + qtyScale. */
  cumNotional = 0n;
  venueOrderId: bigint = IdSentinel.VENUE_ORDER_ID_UNDEF;
  /** The venue has shown that it has the order (ack, fill, amend, status). */
  acked = false;
  /** The outcome of our last request is not known; cleared by a status answer or a final report. */
  inDoubt = false;
  /** Rejected by inference (NOT_FOUND after the grace period), not by the venue. */
  inferred = false;
  overfill = false;
  /** RejectReason of a rejected order or of the last refused cancel/amend. */
  reason = 0;
  /** Amend in flight: requested price and quantity. */
  pendingPrice: bigint = Sentinel.PRICE_UNDEF;
  pendingQty: bigint = Sentinel.QTY_UNDEF;
  /** When the NEW was handed to the venue (monotonic ns): start of the not-found grace period. */
  readonly sentTimeNs: number;
  updatedTimeNs = 0;
  /** Trade ids already applied (created at the first fill that has one). */
  tradeIds: Set<bigint> | null = null;
  staleReports = 0;
  duplicateReports = 0;
  lateFills = 0;
  /** Risk index slot while the order is open, -1 after. */
  slot = -1;

  constructor(f: NewOrderFields) {
    this.seq = f.seq;
    this.strategyId = f.strategyId;
    this.strategyOrderId = f.strategyOrderId;
    this.instrument = f.instrument;
    this.side = f.side;
    this.orderType = f.orderType;
    this.tif = f.tif;
    this.flags = f.flags;
    this.price = f.price;
    this.qty = f.qty;
    this.sentTimeNs = f.timeNs;
    this.updatedTimeNs = f.timeNs;
  }

  /** Quantity still working at the venue (0 once final). */
  get leavesQty(): bigint {
    if (isFinalState(this.state)) return 0n;
    const filled = this.venueCumQty > this.cumQty ? this.venueCumQty : this.cumQty;
    return filled >= this.qty ? 0n : this.qty - filled;
  }

  get isFinal(): boolean {
    return isFinalState(this.state);
  }
}

export function isFinalState(s: number): boolean {
  return s === OrderState.FILLED || s === OrderState.CANCELED || s === OrderState.REJECTED || s === OrderState.EXPIRED;
}
