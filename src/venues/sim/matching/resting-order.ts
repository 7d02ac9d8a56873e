/**
 * An order inside one symbol's book. Prices and quantities are safe-integer mantissas
 * (checked < 2^53 when the order is accepted) so matching compares plain numbers and
 * allocates no bigint; OrderView (bigint) is built only for listeners that ask.
 */
import type { OrderStatus, OrderType, OrderView, Side, TimeInForce } from './types.js';
import type { PriceLevel } from './price-level.js';

export const BID = 0;
export const ASK = 1;
export type SideCode = typeof BID | typeof ASK;

export function sideCode(side: Side): SideCode {
  return side === 'BUY' ? BID : ASK;
}

export function sideName(code: SideCode): Side {
  return code === BID ? 'BUY' : 'SELL';
}

export class RestingOrder {
  orderId = 0;
  owner = '';
  clientOrderId = '';
  side: SideCode = BID;
  type: OrderType = 'LIMIT';
  timeInForce: TimeInForce = 'GTC';
  price = 0;
  origQty = 0;
  executedQty = 0;
  /** Σ price × qty of fills while it fits a safe integer; see cumQuote(). */
  cumQuoteNum = 0;
  cumQuoteBig: bigint | null = null;
  status: OrderStatus = 'NEW';
  timeMs = 0;
  updateTimeMs = 0;
  isFlow = false;
  /** FIFO queue links within its price level. */
  prev: RestingOrder | null = null;
  next: RestingOrder | null = null;
  level: PriceLevel | null = null;

  get remaining(): number {
    return this.origQty - this.executedQty;
  }

  addFill(price: number, qty: number): void {
    this.executedQty += qty;
    const prod = price * qty;
    if (this.cumQuoteBig === null && prod <= Number.MAX_SAFE_INTEGER && this.cumQuoteNum + prod <= Number.MAX_SAFE_INTEGER) {
      this.cumQuoteNum += prod;
    } else {
      this.cumQuoteBig = (this.cumQuoteBig ?? BigInt(this.cumQuoteNum)) + BigInt(price) * BigInt(qty);
    }
  }

  cumQuote(): bigint {
    return this.cumQuoteBig ?? BigInt(this.cumQuoteNum);
  }

  view(symbol: string): OrderView {
    return {
      symbol,
      orderId: this.orderId,
      owner: this.owner,
      clientOrderId: this.clientOrderId,
      side: sideName(this.side),
      type: this.type,
      timeInForce: this.timeInForce,
      price: BigInt(this.price),
      origQty: BigInt(this.origQty),
      executedQty: BigInt(this.executedQty),
      cumQuote: this.cumQuote(),
      status: this.status,
      timeMs: this.timeMs,
      updateTimeMs: this.updateTimeMs,
    };
  }

  /** Clears references so a pooled order holds nothing alive. */
  reset(): void {
    this.owner = '';
    this.clientOrderId = '';
    this.prev = null;
    this.next = null;
    this.level = null;
    this.cumQuoteNum = 0;
    this.cumQuoteBig = null;
    this.executedQty = 0;
  }
}
