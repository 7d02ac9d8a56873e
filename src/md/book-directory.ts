/**
 * Which shared book holds which instrument: instrument id → the book's SharedArrayBuffer.
 * The pipeline lays every book out before any thread starts, so the directory is complete
 * and readable from the first moment; it is handed to other threads as plain data
 * (`entries()`, structured-cloneable: the buffers stay shared) and rebuilt there with
 * `BookDirectory.from`. Readers take the seqlock path (SharedBookReader) and never block
 * the book worker.
 */
import { SharedBookReader } from '../book/shared-book-reader.js';

export interface BookDirectoryEntry {
  readonly instrumentId: number;
  /** Venue name as in the instrument registry. */
  readonly venue: string;
  /** Canonical symbol. */
  readonly symbol: string;
  readonly priceScale: number;
  readonly qtyScale: number;
  readonly buffer: SharedArrayBuffer;
}

export class BookDirectory {
  private readonly byId = new Map<number, BookDirectoryEntry>();

  private constructor(entries: readonly BookDirectoryEntry[]) {
    for (const e of entries) {
      if (!(e.buffer instanceof SharedArrayBuffer)) throw new TypeError(`book directory: instrument ${e.instrumentId} has no SharedArrayBuffer`);
      if (this.byId.has(e.instrumentId)) throw new RangeError(`book directory: instrument ${e.instrumentId} listed twice`);
      this.byId.set(e.instrumentId, e);
    }
  }

  static from(entries: readonly BookDirectoryEntry[]): BookDirectory {
    return new BookDirectory(entries);
  }

  get size(): number {
    return this.byId.size;
  }

  has(instrumentId: number): boolean {
    return this.byId.has(instrumentId);
  }

  entry(instrumentId: number): BookDirectoryEntry | undefined {
    return this.byId.get(instrumentId);
  }

  bySymbol(venue: string, symbol: string): BookDirectoryEntry | undefined {
    for (const e of this.byId.values()) if (e.venue === venue && e.symbol === symbol) return e;
    return undefined;
  }

  /** A new lock-free reader of the book (one per reading thread and book; reuse it). */
  reader(instrumentId: number): SharedBookReader {
    const e = this.byId.get(instrumentId);
    if (!e) throw new RangeError(`no shared book for instrument ${instrumentId}`);
    return new SharedBookReader(e.buffer);
  }

  /** Everything, as plain data to hand to another thread. */
  entries(): BookDirectoryEntry[] {
    return [...this.byId.values()];
  }
}
