/**
 * An order intent as the risk checks read it: one reusable mutable object per oms thread,
 * filled from the ORDER_INTENT slot without allocating (readIntent) or set by hand.
 *
 * Prices and quantities are integer mantissas held in numbers. readIntent only accepts
 * values below 2^53 in magnitude (exact in a double) and marks anything larger `wide`,
 * which the checks reject as INVALID_INTENT: every quantity limit is below 2^53
 * (limits.ts), so no order that could pass is lost to this, and a price mantissa of
 * 2^53 (9e15) is beyond any real instrument at its tick scale.
 */
import type { EventBuffer } from '../core/schema/event-buffer.js';
import { ORDER_INTENT } from '../core/schema/offsets.js';
import { IntentFlag, OrderType, SchemaLimits } from '../core/schema/constants.js';

const TWO32 = 4294967296;
/** The high word of an int64 whose magnitude is below 2^53 lies in [-2^21, 2^21). */
const HI_SAFE = 1 << 21;

export class RiskIntent {
  /** IntentAction. */
  action = 0;
  /** IntentFlag bits. */
  flags = 0;
  instrument = 0;
  strategyId = 0;
  orderType = 0;
  tif = 0;
  intentId = 0;
  /** The strategy's number for the order (ORDER_INTENT.clientOrderId). */
  strategyOrderId = 0;
  /** Limit price mantissa (ignored for MARKET). */
  price = 0;
  /** Quantity mantissa; for AMEND the new total quantity. */
  qty = 0;
  createdTimeNs = 0;
  /** A 64-bit field did not fit 2^53: rejected INVALID_INTENT. */
  wide = false;
  /** AMEND: index slot of the order being changed, set by the oms (-1 otherwise). */
  targetSlot = -1;

  /** Side (1 BUY, 2 SELL, 0 or 3 malformed) from the flag bits. */
  get side(): number {
    return (this.flags & IntentFlag.SIDE_MASK) >> SchemaLimits.SIDE_SHIFT;
  }

  isMarket(): boolean {
    return this.orderType === OrderType.MARKET;
  }

  /** Sets the fields of a limit or market order (tests, tools). */
  set(action: number, side: number, instrument: number, strategyId: number, price: number, qty: number, orderType = 1, tif = 1, extraFlags = 0): this {
    this.action = action;
    this.flags = (side << SchemaLimits.SIDE_SHIFT) | extraFlags;
    this.instrument = instrument;
    this.strategyId = strategyId;
    this.orderType = orderType;
    this.tif = tif;
    this.price = price;
    this.qty = qty;
    this.wide = false;
    this.targetSlot = -1;
    return this;
  }
}

function readSafe(buf: EventBuffer, at: number, out: RiskIntent): number {
  const hi = buf.getHi(at);
  if (hi < -HI_SAFE || hi >= HI_SAFE) {
    out.wide = true;
    return 0;
  }
  return hi * TWO32 + buf.getLo(at);
}

/** Fills `out` from the ORDER_INTENT record at byte `at` of `buf`. Allocation-free. */
export function readIntent(buf: EventBuffer, at: number, out: RiskIntent): RiskIntent {
  out.wide = false;
  out.targetSlot = -1;
  out.action = buf.getU8(at + ORDER_INTENT.action);
  out.flags = buf.getU16(at + ORDER_INTENT.flags);
  out.instrument = buf.getU32(at + ORDER_INTENT.instrument);
  out.strategyId = buf.getU32(at + ORDER_INTENT.strategyId);
  out.orderType = buf.getU8(at + ORDER_INTENT.orderType);
  out.tif = buf.getU8(at + ORDER_INTENT.tif);
  out.intentId = readSafe(buf, at + ORDER_INTENT.intentId, out);
  out.strategyOrderId = readSafe(buf, at + ORDER_INTENT.clientOrderId, out);
  out.qty = readSafe(buf, at + ORDER_INTENT.qty, out);
  if (out.orderType === OrderType.MARKET) {
    out.price = 0; // PRICE_UNDEF: a market order has no price to read
  } else {
    out.price = readSafe(buf, at + ORDER_INTENT.price, out);
  }
  out.createdTimeNs = buf.getI64Number(at + ORDER_INTENT.createdTimeNs);
  return out;
}
