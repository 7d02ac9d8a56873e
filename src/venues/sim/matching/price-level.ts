import type { RestingOrder } from './resting-order.js';

/** One price on one side: a FIFO queue of orders (oldest first) and their total quantity. */
export class PriceLevel {
  price = 0;
  total = 0;
  count = 0;
  head: RestingOrder | null = null;
  tail: RestingOrder | null = null;

  push(o: RestingOrder): void {
    o.level = this;
    o.prev = this.tail;
    o.next = null;
    if (this.tail) this.tail.next = o;
    else this.head = o;
    this.tail = o;
    this.count++;
    this.total += o.origQty - o.executedQty;
  }

  /** Unlinks `o`; the caller adjusts `total` for quantity that left with it. */
  unlink(o: RestingOrder): void {
    if (o.prev) o.prev.next = o.next;
    else this.head = o.next;
    if (o.next) o.next.prev = o.prev;
    else this.tail = o.prev;
    o.prev = null;
    o.next = null;
    o.level = null;
    this.count--;
  }
}
