/**
 * Per-book counters of the book worker in shared memory, readable from any thread: what
 * each book went through (gaps, resyncs, snapshots, stale drops) and its sync state.
 * Float64 cells (exact to 2^53, never wrapping), one writer (the book worker), one row of
 * 128 bytes per instrument id so rows of different books never share a cache line. Row 0
 * holds the totals over every book.
 *
 *   row r (= instrument id), cell c at float index r * ROW_CELLS + c:
 *   | state | messages | changes | gaps | resyncs | snapshots | stale | crossed | forwarded | unknown | events | ready | - ... |
 */
import { SyncStateName, type SyncState } from '../book/sync/sync-types.js';

export const BookStat = {
  /** SyncState of the book (totals row: 0). */
  STATE: 0,
  /** Venue messages (diffs, snapshots, markers) handled. */
  MESSAGES: 1,
  /** BookChanged events published. */
  CHANGES: 2,
  GAPS: 3,
  /** Snapshot requests (initial sync included). */
  RESYNCS: 4,
  SNAPSHOTS: 5,
  STALE: 6,
  CROSSED: 7,
  /** Trades / top-of-book records forwarded to the book ring. */
  FORWARDED: 8,
  /** Events naming an instrument without a book (totals row only). */
  UNKNOWN: 9,
  /** md ring events read. */
  EVENTS: 10,
  /** Totals row: 1 once the book thread has warmed up and entered its duty cycle. */
  READY: 11,
} as const;

export const BOOK_STAT_NAMES = ['state', 'messages', 'changes', 'gaps', 'resyncs', 'snapshots', 'stale', 'crossed', 'forwarded', 'unknown', 'events', 'ready'] as const;
export type BookStatName = (typeof BOOK_STAT_NAMES)[number];
export const ROW_CELLS = 16;

export function bookStatsBytes(maxInstrumentId: number): number {
  return (maxInstrumentId + 1) * ROW_CELLS * 8;
}

export interface BookStatsRow extends Record<Exclude<BookStatName, 'state'>, number> {
  state: string;
}

export class BookStatsView {
  readonly cells: Float64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.cells = new Float64Array(buffer);
  }

  get maxInstrumentId(): number {
    return this.cells.length / ROW_CELLS - 1;
  }

  /** Row of `instrumentId` (0 = totals), as named numbers. */
  row(instrumentId: number): BookStatsRow {
    if (!(Number.isInteger(instrumentId) && instrumentId >= 0 && instrumentId <= this.maxInstrumentId)) {
      throw new RangeError(`book stats: no row ${instrumentId} (0..${this.maxInstrumentId})`);
    }
    const base = instrumentId * ROW_CELLS;
    const out = {} as Record<string, number | string>;
    BOOK_STAT_NAMES.forEach((name, c) => {
      const v = this.cells[base + c]!;
      out[name] = name === 'state' ? (instrumentId === 0 ? '' : SyncStateName[v as SyncState]) : v;
    });
    return out as unknown as BookStatsRow;
  }
}
