import { PriceLevel } from './price-level.js';

/**
 * The levels of one side, kept sorted with the best price LAST: bids ascending, asks
 * descending. Flow is concentrated near the touch, so inserts and removals happen near
 * the end of the array, where splice moves little.
 */
export class BookSide {
  /** Sorted worst → best. */
  readonly levels: PriceLevel[] = [];
  private readonly byPrice = new Map<number, PriceLevel>();
  private readonly pool: PriceLevel[] = [];

  constructor(readonly isBid: boolean) {}

  get size(): number {
    return this.levels.length;
  }

  best(): PriceLevel | undefined {
    return this.levels[this.levels.length - 1];
  }

  get(price: number): PriceLevel | undefined {
    return this.byPrice.get(price);
  }

  getOrCreate(price: number): PriceLevel {
    const found = this.byPrice.get(price);
    if (found) return found;
    const level = this.pool.pop() ?? new PriceLevel();
    level.price = price;
    level.total = 0;
    level.count = 0;
    level.head = null;
    level.tail = null;
    this.levels.splice(this.insertIndex(price), 0, level);
    this.byPrice.set(price, level);
    return level;
  }

  remove(level: PriceLevel): void {
    const i = this.indexOf(level.price);
    if (i < 0) throw new Error(`level ${level.price} not on ${this.isBid ? 'bid' : 'ask'} side`);
    if (i === this.levels.length - 1) this.levels.pop();
    else this.levels.splice(i, 1);
    this.byPrice.delete(level.price);
    level.head = null;
    level.tail = null;
    if (this.pool.length < 1024) this.pool.push(level);
  }

  /** True when `a` is a better price than `b` on this side. */
  better(a: number, b: number): boolean {
    return this.isBid ? a > b : a < b;
  }

  /** First index whose level is better than `price` (where `price` goes). */
  private insertIndex(price: number): number {
    let lo = 0;
    let hi = this.levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.better((this.levels[mid] as PriceLevel).price, price)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private indexOf(price: number): number {
    const i = this.insertIndex(price) - 1;
    return i >= 0 && (this.levels[i] as PriceLevel).price === price ? i : -1;
  }
}
