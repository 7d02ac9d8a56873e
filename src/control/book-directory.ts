/**
 * Where the control plane finds the engine's shared books: by venue and symbol, the
 * reader of the book worker's shared memory and the instrument that gives its scales.
 * The engine fills one in as books are created; `book.snapshot` reads through it.
 */
import type { SharedBookReader } from '../book/shared-book-reader.js';
import type { Instrument } from '../core/instruments/instrument.js';

export interface BookEntry {
  readonly venue: string;
  readonly instrument: Instrument;
  readonly reader: SharedBookReader;
}

export interface BookDirectory {
  get(venue: string, symbol: string): BookEntry | undefined;
  list(): BookEntry[];
}

export class MapBookDirectory implements BookDirectory {
  private readonly entries = new Map<string, BookEntry>();

  add(venue: string, instrument: Instrument, reader: SharedBookReader): void {
    this.entries.set(`${venue}\u0000${instrument.symbol}`, { venue, instrument, reader });
  }

  remove(venue: string, symbol: string): boolean {
    return this.entries.delete(`${venue}\u0000${symbol}`);
  }

  get(venue: string, symbol: string): BookEntry | undefined {
    return this.entries.get(`${venue}\u0000${symbol}`) ?? this.entries.get(`${venue}\u0000${symbol.toUpperCase()}`);
  }

  list(): BookEntry[] {
    return [...this.entries.values()];
  }
}
