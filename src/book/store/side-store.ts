import type { LevelResult } from '../side.js';

/**
 * The writer's view of one side of a shared book. One implementation per layout, one
 * file each (sorted-side.ts, window-side.ts); bench/book-apply.ts races them.
 *
 * Prices and quantities are integer mantissas in [0, 2^53) (checked by the writer before
 * they get here). "Better" means higher for bids and lower for asks.
 */
export interface SideStore {
  /** Sets the absolute quantity at `price`; qty 0 removes the level. */
  set(price: number, qty: number): LevelResult;
  /** Empties the side (snapshot load, resync). */
  clear(): void;
  /** Writes the side's meta (count, start, best) to the header; called inside the seqlock. */
  publish(): void;
  readonly count: number;
  /** Best price, or -1 when the side is empty. */
  bestPrice(): number;
  /** Levels not stored because the side was full (or, for window, out of range). */
  readonly droppedFar: number;
  /** Levels refused (window: price off the tick grid). */
  readonly rejected: number;
}

/**
 * The reader's view of one side in shared memory: copies the best `n` levels, best first,
 * as [price lo, price hi, qty lo, qty hi] records into `out` at word `at`. Runs inside a
 * seqlock read; returns the number copied, or -1 when the meta it read is impossible (a
 * torn read the version check will also catch) so the caller retries early.
 */
export type SideCopier = (
  words: Uint32Array,
  meta: number,
  region: number,
  slots: number,
  n: number,
  out: Uint32Array,
  at: number,
) => number;
