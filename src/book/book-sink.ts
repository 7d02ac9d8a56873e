import type { LevelResult, Side } from './side.js';

/**
 * What the sync state machine drives: one batch per venue message (or per snapshot plus
 * the buffered diffs drained with it), levels applied in between. SharedBookWriter is
 * the real implementation; the contract is small so the sync can be tested against any
 * book, and so one publish happens per venue message.
 */
export interface BookSink {
  beginBatch(): void;
  /** Empties both sides (inside a batch). */
  clearBook(): void;
  applyLevel(side: Side, price: number, qty: number): LevelResult;
  /**
   * Publishes the batch. `valid` is the sync layer's verdict; the book stays invalid
   * anyway if the batch left it crossed. Returns false when crossed.
   */
  endBatch(lastUpdateId: number, exchangeTime: number, valid: boolean): boolean;
  /** Publishes "not valid" at once, keeping the levels (gap, disconnect). */
  markInvalid(): void;
}
