/**
 * How the gateway finds the engine's shared books: by venue name and canonical symbol.
 * The engine owns the books (the book worker writes them); the gateway only reads, with
 * its own SharedBookReader per book, and needs each instrument's scales to print
 * mantissas as decimals.
 */
import type { SharedBookReader } from '../../book/shared-book-reader.js';

export interface BookHandle {
  readonly venue: string;
  /** Canonical symbol, upper case (BTCUSDT). */
  readonly symbol: string;
  readonly reader: SharedBookReader;
  readonly priceScale: number;
  readonly qtyScale: number;
}

export interface BookDirectory {
  /** The book of (venue, SYMBOL), or undefined. Symbols arrive upper-cased. */
  lookup(venue: string, symbol: string): BookHandle | undefined;
  list(): Iterable<BookHandle>;
}

/** A BookDirectory over a fixed set of books (the engine builds it once the books exist). */
export class MapBookDirectory implements BookDirectory {
  private readonly books = new Map<string, BookHandle>();

  constructor(handles: Iterable<BookHandle> = []) {
    for (const h of handles) this.add(h);
  }

  add(handle: BookHandle): void {
    for (const s of [handle.priceScale, handle.qtyScale]) {
      if (!Number.isInteger(s) || s < 0 || s > 18) throw new RangeError(`book ${handle.venue}:${handle.symbol}: scale ${s} is not 0..18`);
    }
    const key = `${handle.venue}:${handle.symbol.toUpperCase()}`;
    if (this.books.has(key)) throw new RangeError(`book ${key} is registered twice`);
    this.books.set(key, { ...handle, symbol: handle.symbol.toUpperCase() });
  }

  lookup(venue: string, symbol: string): BookHandle | undefined {
    return this.books.get(`${venue}:${symbol}`);
  }

  list(): Iterable<BookHandle> {
    return this.books.values();
  }
}
