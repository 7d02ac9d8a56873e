/**
 * Who runs the FlushAgent, and when. The writer talks to one of these:
 *   - InlineFlushDriver (./inline-flush-driver.ts): the writer's own thread, for fsync
 *     'always' (every append) and, optionally, 'group'/'none' from a timer.
 *   - ThreadFlushDriver (./thread-flush-driver.ts): a dedicated flusher worker.
 */
export interface FlushDriver {
  /** After each append's commit: flush now, arm a timer, or wake the flusher. */
  afterCommit(): void;
  /** The ring lacks `need` free bytes: make room (flush, or wait for the flusher). */
  waitForSpace(need: number, free: () => number): void;
  /** Ask for durable-advance callbacks (there are waiters) or stop asking. */
  wantDurable(on: boolean): void;
  /** Flush everything committed now instead of at the batch deadline. */
  flushSoon(): void;
  /** Throws the flusher's failure, if any. */
  checkHealthy(): void;
  /** Drains, syncs and closes the segment; resolves once done. */
  close(): Promise<void>;
}

export interface FlushDriverEvents {
  /** The durable seq advanced to `seq`. */
  durable(seq: number): void;
  /** The flusher failed; the writer is dead. */
  failed(err: Error): void;
}
