/**
 * The order state machine: applyOrderEvent(order, event) moves one order by the table in
 * order-transitions.ts and says what the caller must do (Effect bits). It reads no clock
 * and does no I/O: replaying the same events from the WAL rebuilds the same orders.
 *
 * Report handling that the table alone does not say:
 * - Fills are deduplicated by trade id. A fill with a new trade id is applied even if its
 *   cumQty is below what we know: reports arrive reordered, and dropping a distinct fill
 *   because a later one overtook it would lose a real execution. cumQty orders only the
 *   reports that carry no trade id (a fill without one, cumQty ≤ known, is stale).
 * - A status answer (STATUS) with a lower cumQty than known is an older snapshot: stale.
 * - Overfill (filled > order qty, by our fills or by the venue's cumQty) is flagged once
 *   (OVERFILL | REVIEW) and never hidden: the fill is still applied.
 * - NOT_FOUND resolves an order to Rejected (inferred) only when that is safe: the venue
 *   never showed it the order (no ack, no fill) and at least `notFoundGraceNs` passed
 *   since the NEW was sent. The grace must cover the venue's acceptance window — for
 *   Binance the request's recvWindow plus the clock offset margin: after it, the venue
 *   refuses the request as expired, so an order it does not know can no longer appear.
 *   Before the grace: keep waiting and query again (QUERY). An order the venue had shown
 *   us is never declared non-existent: NOT_FOUND then asks for review (REVIEW).
 */
import { IdSentinel, OrderState, RejectReason, Sentinel } from '../core/schema/constants.js';
import { isFinalState, Order, OrderEvent, OrderEventKind } from './order.js';
import { Rule, RULE_MATRIX, TARGET_MATRIX, transitionIndex } from './order-transitions.js';

export const Effect = {
  /** The strategy must hear about it (state, fill, price or quantity changed). */
  UPDATE: 0x0001,
  /** A new distinct fill was applied: book fillQty at fillPx (and the fee) to positions. */
  FILL: 0x0002,
  /** The order reached a final state with this event: free its risk slot. */
  FINAL: 0x0004,
  /** Working quantity changed: update the risk index. */
  OPEN_CHANGED: 0x0008,
  /** Ask the venue for the order's status (by client order id). */
  QUERY: 0x0010,
  /** Filled more than the order quantity. */
  OVERFILL: 0x0020,
  /** A fill arrived after the order was final. */
  LATE_FILL: 0x0040,
  /** The venue reports more filled than the fills we have: fetch the missing trades. */
  FILLS_MISSING: 0x0080,
  /** Something an operator or reconciliation must look at. */
  REVIEW: 0x0100,
  /** Ignored: older than what we know. */
  STALE: 0x0200,
  /** Ignored: already applied. */
  DUPLICATE: 0x0400,
  /** Ignored: impossible in this state. */
  ILLEGAL: 0x0800,
} as const;

export interface StateMachineConfig {
  /** How long after sending a NEW a NOT_FOUND answer proves the venue never accepted it. */
  notFoundGraceNs: number;
}

/** What one transition did; reused across calls. */
export class TransitionResult {
  effects = 0;
  prevState = 0;
  state = 0;
  fillQty = 0n;
  fillPx: bigint = Sentinel.PRICE_UNDEF;
  fee = 0n;
  feeAsset = '';
  maker = false;
}

const IGNORED = Effect.STALE | Effect.DUPLICATE | Effect.ILLEGAL;

function filledOf(o: Order): bigint {
  return o.venueCumQty > o.cumQty ? o.venueCumQty : o.cumQty;
}

function workingState(o: Order): number {
  const filled = filledOf(o);
  if (filled >= o.qty) return OrderState.FILLED;
  if (o.inDoubt) return OrderState.UNKNOWN;
  if (filled > 0n) return OrderState.PARTIALLY_FILLED;
  return o.acked ? OrderState.NEW : OrderState.PENDING_NEW;
}

function noteVenueCum(o: Order, cum: bigint): void {
  if (cum !== Sentinel.QTY_UNDEF && cum > o.venueCumQty) o.venueCumQty = cum;
}

function applyPriceQty(o: Order, ev: OrderEvent): void {
  const price = ev.price !== Sentinel.PRICE_UNDEF ? ev.price : o.pendingPrice;
  const qty = ev.qty !== Sentinel.QTY_UNDEF ? ev.qty : o.pendingQty;
  if (price !== Sentinel.PRICE_UNDEF) o.price = price;
  if (qty !== Sentinel.QTY_UNDEF && qty > 0n) o.qty = qty;
  o.pendingPrice = Sentinel.PRICE_UNDEF;
  o.pendingQty = Sentinel.QTY_UNDEF;
}

/** Applies a fill if it is new; returns FILL|UPDATE or the reason it was ignored. */
function applyFill(o: Order, ev: OrderEvent, out: TransitionResult): number {
  if (ev.lastQty <= 0n || ev.lastPx === Sentinel.PRICE_UNDEF || ev.lastPx < 0n) return Effect.ILLEGAL;
  if (ev.tradeId !== IdSentinel.TRADE_ID_UNDEF) {
    if (o.tradeIds === null) o.tradeIds = new Set();
    else if (o.tradeIds.has(ev.tradeId)) {
      o.duplicateReports++;
      return Effect.DUPLICATE;
    }
    o.tradeIds.add(ev.tradeId);
  } else if (ev.cumQty !== Sentinel.QTY_UNDEF && ev.cumQty <= o.venueCumQty) {
    o.staleReports++;
    return Effect.STALE;
  }
  o.cumQty += ev.lastQty;
  o.cumNotional += ev.lastQty * ev.lastPx;
  noteVenueCum(o, ev.cumQty);
  if (o.cumQty > o.venueCumQty) o.venueCumQty = o.cumQty;
  out.fillQty = ev.lastQty;
  out.fillPx = ev.lastPx;
  out.fee = ev.fee;
  out.feeAsset = ev.feeAsset;
  out.maker = ev.maker;
  return Effect.FILL | Effect.UPDATE;
}

/** Venue reports that prove the order exists at the venue (or answer for it). */
function isVenueEvidence(kind: number): boolean {
  return (
    kind === OrderEventKind.ACK ||
    kind === OrderEventKind.TRADE ||
    kind === OrderEventKind.CANCELED ||
    kind === OrderEventKind.EXPIRED ||
    kind === OrderEventKind.REJECTED ||
    kind === OrderEventKind.REPLACED ||
    kind === OrderEventKind.STATUS
  );
}

function isVenueReport(kind: number): boolean {
  return kind !== OrderEventKind.CANCEL_SENT && kind !== OrderEventKind.REPLACE_SENT && kind !== OrderEventKind.TIMEOUT;
}

function toFinal(o: Order, state: number, ev: OrderEvent): void {
  o.state = state;
  o.inDoubt = false;
  o.pendingPrice = Sentinel.PRICE_UNDEF;
  o.pendingQty = Sentinel.QTY_UNDEF;
  if (state === OrderState.REJECTED) o.reason = ev.reason !== 0 ? ev.reason : RejectReason.VENUE_REJECT;
}

/** The venue's answer to a status query. */
function applyStatus(o: Order, from: number, ev: OrderEvent): number {
  if (ev.cumQty !== Sentinel.QTY_UNDEF && ev.cumQty < o.venueCumQty) {
    o.staleReports++;
    return Effect.STALE;
  }
  noteVenueCum(o, ev.cumQty);
  if (ev.qty !== Sentinel.QTY_UNDEF && ev.qty > 0n) o.qty = ev.qty;
  if (ev.price !== Sentinel.PRICE_UNDEF) o.price = ev.price;
  switch (ev.status) {
    case OrderState.FILLED:
    case OrderState.CANCELED:
    case OrderState.EXPIRED:
      o.acked = true;
      toFinal(o, ev.status, ev);
      return 0;
    case OrderState.REJECTED:
      toFinal(o, OrderState.REJECTED, ev);
      return 0;
    case OrderState.PENDING_NEW:
    case OrderState.NEW:
    case OrderState.PARTIALLY_FILLED:
    case OrderState.PENDING_CANCEL:
    case OrderState.PENDING_REPLACE: {
      o.acked = ev.status !== OrderState.PENDING_NEW || o.acked;
      o.inDoubt = false;
      const w = workingState(o);
      // Our own cancel/amend may still be on its way: keep saying so unless it no longer matters.
      o.state = (from === OrderState.PENDING_CANCEL || from === OrderState.PENDING_REPLACE) && w !== OrderState.FILLED ? from : w;
      return 0;
    }
    default:
      return Effect.ILLEGAL;
  }
}

function applyNotFound(o: Order, ev: OrderEvent, cfg: StateMachineConfig): number {
  if (o.acked || filledOf(o) > 0n) return Effect.REVIEW;
  if (ev.timeNs - o.sentTimeNs >= cfg.notFoundGraceNs) {
    toFinal(o, OrderState.REJECTED, ev);
    o.reason = RejectReason.UNKNOWN_ORDER;
    o.inferred = true;
    return 0;
  }
  return Effect.QUERY;
}

/**
 * Applies `ev` to `o`: updates the order in place and returns the Effect bits (also in
 * `out.effects`, with the fill details when Effect.FILL is set).
 */
export function applyOrderEvent(o: Order, ev: OrderEvent, cfg: StateMachineConfig, out: TransitionResult): number {
  const prevState = o.state;
  const prevLeaves = o.leavesQty;
  const wasOverfill = o.overfill;
  out.prevState = prevState;
  out.fillQty = 0n;
  out.fillPx = Sentinel.PRICE_UNDEF;
  out.fee = 0n;
  out.feeAsset = '';
  out.maker = false;
  let eff = 0;

  let from = prevState;
  if (from === OrderState.REJECTED && o.inferred && isVenueEvidence(ev.kind)) {
    // We declared it never-existing; the venue now says otherwise. Back to Unknown and ask.
    o.inferred = false;
    o.inDoubt = true;
    o.state = OrderState.UNKNOWN;
    from = OrderState.UNKNOWN;
    eff |= Effect.QUERY | Effect.REVIEW;
  }
  const idx = transitionIndex(from, ev.kind);
  let rule: number = RULE_MATRIX[idx]!;
  const to = TARGET_MATRIX[idx]!;
  if (rule === Rule.REJECT && o.acked) rule = Rule.ILLEGAL;

  if (ev.kind === OrderEventKind.TRADE && rule !== Rule.STALE && rule !== Rule.ILLEGAL) {
    const f = applyFill(o, ev, out);
    if ((f & IGNORED) !== 0) return finish(o, out, f, prevState, prevLeaves, wasOverfill);
    eff |= f;
    if (isFinalState(from)) {
      o.lateFills++;
      eff |= Effect.LATE_FILL;
      if (from === OrderState.REJECTED) eff |= Effect.REVIEW;
    } else {
      o.acked = true;
    }
  }

  switch (rule) {
    case Rule.TO:
      if (isVenueReport(ev.kind)) noteVenueCum(o, ev.cumQty);
      if (isFinalState(to)) {
        if (to !== OrderState.REJECTED) o.acked = true;
        toFinal(o, to, ev);
      } else {
        o.state = to;
        if (ev.kind === OrderEventKind.REPLACE_SENT) {
          o.pendingPrice = ev.price;
          o.pendingQty = ev.qty;
        }
      }
      break;
    case Rule.WORKING:
      noteVenueCum(o, ev.cumQty);
      if (ev.kind === OrderEventKind.ACK) o.acked = true;
      else if (ev.kind === OrderEventKind.REPLACED) {
        o.acked = true;
        applyPriceQty(o, ev);
      } else if (ev.kind === OrderEventKind.REPLACE_REJECTED) {
        o.pendingPrice = Sentinel.PRICE_UNDEF;
        o.pendingQty = Sentinel.QTY_UNDEF;
        o.reason = ev.reason;
      } else if (ev.kind === OrderEventKind.CANCEL_REJECTED) {
        o.reason = ev.reason;
        // "Unknown order" while we thought it open: it may be final already; ask.
        if (ev.reason === RejectReason.UNKNOWN_ORDER) eff |= Effect.QUERY;
      }
      o.state = workingState(o);
      if (o.state === OrderState.FILLED) toFinal(o, OrderState.FILLED, ev);
      break;
    case Rule.KEEP:
      noteVenueCum(o, ev.cumQty);
      if (ev.kind === OrderEventKind.ACK) o.acked = true;
      else if (ev.kind === OrderEventKind.REPLACED) {
        o.acked = true;
        applyPriceQty(o, ev);
      } else if (ev.kind === OrderEventKind.REPLACE_REJECTED) {
        o.pendingPrice = Sentinel.PRICE_UNDEF;
        o.pendingQty = Sentinel.QTY_UNDEF;
      }
      if (filledOf(o) >= o.qty) toFinal(o, OrderState.FILLED, ev);
      else o.state = from;
      break;
    case Rule.STALE:
      o.staleReports++;
      eff |= Effect.STALE;
      break;
    case Rule.DUPLICATE:
      o.duplicateReports++;
      eff |= Effect.DUPLICATE;
      break;
    case Rule.ILLEGAL:
      eff |= Effect.ILLEGAL;
      break;
    case Rule.VENUE:
      eff |= applyStatus(o, from, ev);
      break;
    case Rule.NOT_FOUND:
      eff |= applyNotFound(o, ev, cfg);
      break;
    case Rule.IN_DOUBT:
      o.state = OrderState.UNKNOWN;
      o.inDoubt = true;
      eff |= Effect.QUERY;
      break;
    case Rule.REQUERY:
      eff |= Effect.QUERY;
      break;
    case Rule.REJECT:
      toFinal(o, OrderState.REJECTED, ev);
      break;
    case Rule.ABSORB:
      if (ev.kind === OrderEventKind.STATUS) {
        if (ev.cumQty !== Sentinel.QTY_UNDEF && ev.cumQty < o.venueCumQty) {
          o.staleReports++;
          eff |= Effect.STALE;
        } else noteVenueCum(o, ev.cumQty);
      }
      break;
  }
  if ((eff & IGNORED) === 0) {
    o.updatedTimeNs = ev.timeNs;
    if (ev.venueOrderId !== IdSentinel.VENUE_ORDER_ID_UNDEF && isVenueReport(ev.kind)) o.venueOrderId = ev.venueOrderId;
  }
  return finish(o, out, eff, prevState, prevLeaves, wasOverfill);
}

function finish(o: Order, out: TransitionResult, eff: number, prevState: number, prevLeaves: bigint, wasOverfill: boolean): number {
  if ((eff & IGNORED) === 0) {
    if (!wasOverfill && (o.cumQty > o.qty || o.venueCumQty > o.qty)) {
      o.overfill = true;
      eff |= Effect.OVERFILL | Effect.REVIEW;
    }
    if (o.state !== prevState) eff |= Effect.UPDATE;
    if (isFinalState(o.state) && !isFinalState(prevState)) eff |= Effect.FINAL;
    if (o.leavesQty !== prevLeaves) eff |= Effect.OPEN_CHANGED | Effect.UPDATE;
    if (o.venueCumQty > o.cumQty && (isFinalState(o.state) || (eff & Effect.FINAL) !== 0)) eff |= Effect.FILLS_MISSING;
  }
  out.effects = eff;
  out.state = o.state;
  return eff;
}
