/**
 * BookView over a shared book (src/book): seqlock reads of the book worker's memory,
 * turned into bigint mantissas at the API. `readInto` is the allocation-free path.
 */
import { BookLevels, TopOfBook } from '../../book/book-levels.js';
import type { SharedBookReader } from '../../book/shared-book-reader.js';
import type { BestPrices, BookDepth, BookView } from './events.js';

/** Deepest copy `levels()` makes; `readInto` with a larger BookLevels goes deeper. */
export const MAX_VIEW_DEPTH = 1000;

export class SharedBookView implements BookView {
  readonly instrument: string;
  private readonly reader: SharedBookReader;
  private readonly top = new TopOfBook();
  private copy: BookLevels | null = null;

  constructor(instrument: string, reader: SharedBookReader) {
    this.instrument = instrument;
    this.reader = reader;
  }

  best(): BestPrices | null {
    const t = this.top;
    if (!this.reader.readBest(t)) return null;
    return {
      bidPrice: t.bidPrice < 0 ? null : BigInt(t.bidPrice),
      bidQty: BigInt(t.bidQty),
      askPrice: t.askPrice < 0 ? null : BigInt(t.askPrice),
      askQty: BigInt(t.askQty),
      valid: t.valid,
      version: t.version,
    };
  }

  levels(depth: number): BookDepth | null {
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_VIEW_DEPTH) {
      throw new RangeError(`book ${this.instrument}: depth must be an integer in 1..${MAX_VIEW_DEPTH}, got ${String(depth)}`);
    }
    if (this.copy === null || this.copy.depth < depth) this.copy = new BookLevels(depth);
    const c = this.copy;
    if (!this.reader.readTop(depth, c)) return null;
    const { bids, asks } = c.toArrays();
    return { bids, asks, valid: c.valid, version: c.version };
  }

  readInto(out: BookLevels, depth: number = out.depth): boolean {
    return this.reader.readTop(depth, out);
  }

  version(): number {
    return this.reader.version();
  }
}
