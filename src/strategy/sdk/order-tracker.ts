/**
 * The strategy's own view of its orders and positions, kept from what it sent (intents)
 * and what the oms told it (order updates). The oms stays the authority: this view is
 * what `ctx.openOrders()` and `ctx.positions()` answer from without a round trip, and
 * a host seeds it from the oms at start and on hot swap.
 */
import { OrderFlag, OrderState, RejectReason } from '../../core/schema/constants.js';
import type { OpenOrder, OrderRef } from './context.js';
import type { OrderEvent } from './events.js';
import { orderStateName, rejectReasonName, sideFromFlags, type OrderStateName, type OrderTypeName, type SideName, type TifName } from './names.js';

interface TrackedOrder {
  ref: OrderRef;
  instrument: string;
  side: SideName;
  type: OrderTypeName;
  tif: TifName;
  price: bigint | null;
  qty: bigint;
  filledQty: bigint;
  leavesQty: bigint;
  state: OrderStateName;
  postOnly: boolean;
  clientTag: string | undefined;
  /** Values of an amend in flight, adopted when the oms accepts it. */
  pendingPrice: bigint | null;
  pendingQty: bigint | null;
}

/** One order update as read from an ORDER_UPDATE record. */
export interface OrderUpdateFields {
  ref: OrderRef;
  instrument: string;
  state: number;
  flags: number;
  reason: number;
  feeAsset: number;
  filledQty: bigint;
  leavesQty: bigint;
  lastPx: bigint;
  lastQty: bigint;
  fee: bigint;
}

export class OrderTracker {
  private readonly orders = new Map<OrderRef, TrackedOrder>();
  private readonly positionBySymbol = new Map<string, bigint>();
  /** Updates for orders this view did not know (placed before a restart or swap). */
  unknownUpdates = 0;

  /** Records an order the strategy just sent. */
  placed(o: Omit<OpenOrder, 'filledQty' | 'leavesQty' | 'state'>): void {
    this.orders.set(o.ref, {
      ...o,
      filledQty: 0n,
      leavesQty: o.qty,
      state: 'PENDING_NEW',
      pendingPrice: null,
      pendingQty: null,
    });
  }

  cancelSent(ref: OrderRef): void {
    const o = this.orders.get(ref);
    if (o !== undefined) o.state = 'PENDING_CANCEL';
  }

  amendSent(ref: OrderRef, price: bigint | null, qty: bigint): void {
    const o = this.orders.get(ref);
    if (o === undefined) return;
    o.state = 'PENDING_REPLACE';
    o.pendingPrice = price;
    o.pendingQty = qty;
  }

  /** Seeds an open order from the oms (restart, hot swap). */
  seedOrder(o: OpenOrder): void {
    this.orders.set(o.ref, { ...o, pendingPrice: null, pendingQty: null });
  }

  /** Seeds a position from the oms. */
  seedPosition(instrument: string, qty: bigint): void {
    if (qty === 0n) this.positionBySymbol.delete(instrument);
    else this.positionBySymbol.set(instrument, qty);
  }

  get(ref: OrderRef): OpenOrder | undefined {
    const o = this.orders.get(ref);
    return o === undefined ? undefined : snapshot(o);
  }

  /** Price and qty an amend starts from: those of an amend still in flight, else the order's. */
  amendBase(ref: OrderRef): { price: bigint | null; qty: bigint } | undefined {
    const o = this.orders.get(ref);
    if (o === undefined) return undefined;
    return o.pendingQty !== null ? { price: o.pendingPrice, qty: o.pendingQty } : { price: o.price, qty: o.qty };
  }

  open(instrument?: string): OpenOrder[] {
    const out: OpenOrder[] = [];
    for (const o of this.orders.values()) if (instrument === undefined || o.instrument === instrument) out.push(snapshot(o));
    return out;
  }

  position(instrument: string): bigint {
    return this.positionBySymbol.get(instrument) ?? 0n;
  }

  positions(): ReadonlyMap<string, bigint> {
    return new Map(this.positionBySymbol);
  }

  /** Applies an oms update and returns the event to hand the strategy. */
  apply(u: OrderUpdateFields): OrderEvent {
    let o = this.orders.get(u.ref);
    const side = sideFromFlags(u.flags) ?? o?.side ?? 'buy';
    const final = (u.flags & OrderFlag.FINAL) !== 0;
    if (o === undefined) {
      this.unknownUpdates++;
      o = {
        ref: u.ref,
        instrument: u.instrument,
        side,
        type: 'limit',
        tif: 'GTC',
        price: null,
        qty: u.filledQty + u.leavesQty,
        filledQty: 0n,
        leavesQty: 0n,
        state: 'UNKNOWN',
        postOnly: false,
        clientTag: undefined,
        pendingPrice: null,
        pendingQty: null,
      };
      if (!final) this.orders.set(u.ref, o);
    }
    const rejected = u.reason !== RejectReason.NONE;
    if (o.pendingQty !== null && (u.state === OrderState.NEW || u.state === OrderState.PARTIALLY_FILLED)) {
      if (!rejected) {
        o.price = o.pendingPrice ?? o.price;
        o.qty = o.pendingQty;
      }
      o.pendingPrice = null;
      o.pendingQty = null;
    }
    o.state = orderStateName(u.state);
    o.filledQty = u.filledQty;
    o.leavesQty = u.leavesQty;
    const fill = (u.flags & OrderFlag.FILL) !== 0;
    if (fill && u.lastQty !== 0n) {
      const delta = side === 'buy' ? u.lastQty : -u.lastQty;
      this.seedPosition(o.instrument, this.position(o.instrument) + delta);
    }
    if (final) this.orders.delete(u.ref);
    const base = {
      ref: u.ref,
      instrument: o.instrument,
      side,
      state: o.state,
      final,
      filledQty: u.filledQty,
      leavesQty: u.leavesQty,
      clientTag: o.clientTag,
    };
    if (fill) {
      return { kind: 'fill', ...base, fillPrice: u.lastPx, fillQty: u.lastQty, fee: u.fee, feeAsset: u.feeAsset, maker: (u.flags & OrderFlag.MAKER) !== 0 };
    }
    if (rejected || u.state === OrderState.REJECTED) {
      return { kind: 'reject', ...base, reason: rejectReasonName(u.reason), reasonCode: u.reason };
    }
    return { kind: 'update', ...base };
  }
}

function snapshot(o: TrackedOrder): OpenOrder {
  return {
    ref: o.ref,
    instrument: o.instrument,
    side: o.side,
    type: o.type,
    tif: o.tif,
    price: o.price,
    qty: o.qty,
    filledQty: o.filledQty,
    leavesQty: o.leavesQty,
    state: o.state,
    postOnly: o.postOnly,
    clientTag: o.clientTag,
  };
}
