import { TWO32 } from './int64-words.js';

/**
 * A private, consistent copy of (part of) a shared book, filled by SharedBookReader.
 * Allocate once per reader and reuse: copying into it allocates nothing. Levels are kept
 * as the same int64 word records as shared memory, best level first on both sides.
 */
export class BookLevels {
  /** Levels each side can hold. */
  readonly depth: number;
  readonly bidWords: Uint32Array;
  readonly askWords: Uint32Array;
  bidCount = 0;
  askCount = 0;
  valid = false;
  flags = 0;
  version = 0;
  lastUpdateId = 0;
  exchangeTime = 0;

  constructor(depth: number) {
    if (!Number.isInteger(depth) || depth < 0) throw new RangeError(`BookLevels depth ${depth} must be a non-negative integer`);
    this.depth = depth;
    this.bidWords = new Uint32Array(depth * 4);
    this.askWords = new Uint32Array(depth * 4);
  }

  bidPrice(i: number): number {
    return this.bidWords[i * 4]! + this.bidWords[i * 4 + 1]! * TWO32;
  }
  bidQty(i: number): number {
    return this.bidWords[i * 4 + 2]! + this.bidWords[i * 4 + 3]! * TWO32;
  }
  askPrice(i: number): number {
    return this.askWords[i * 4]! + this.askWords[i * 4 + 1]! * TWO32;
  }
  askQty(i: number): number {
    return this.askWords[i * 4 + 2]! + this.askWords[i * 4 + 3]! * TWO32;
  }

  /** [[price, qty], …] as bigint mantissas, best first (allocates: for tests, tools, replay). */
  toArrays(): { bids: Array<[bigint, bigint]>; asks: Array<[bigint, bigint]> } {
    const bids: Array<[bigint, bigint]> = [];
    const asks: Array<[bigint, bigint]> = [];
    for (let i = 0; i < this.bidCount; i++) bids.push([BigInt(this.bidPrice(i)), BigInt(this.bidQty(i))]);
    for (let i = 0; i < this.askCount; i++) asks.push([BigInt(this.askPrice(i)), BigInt(this.askQty(i))]);
    return { bids, asks };
  }
}

/** Best bid/ask and the book state, read in O(1). Prices/quantities are mantissas; -1 = side empty. */
export class TopOfBook {
  bidPrice = -1;
  bidQty = 0;
  askPrice = -1;
  askQty = 0;
  valid = false;
  version = 0;
  lastUpdateId = 0;
  exchangeTime = 0;
}
