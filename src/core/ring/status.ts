/**
 * Results that are not errors. Every ring call that can fail for a run-time reason
 * returns a number: a slot offset or a record count (>= 0) on success, or one of these
 * negative values, so the hot path never allocates a result object or throws.
 */
export const RingStatus = {
  /** SPSC `tryClaim`: no free slot; counted as backpressure. */
  FULL: -1,
  /** The ring was closed and (for consumers) everything published has been read. */
  CLOSED: -2,
  /**
   * Broadcast `poll`: the producer overwrote records this consumer had not read. The
   * consumer's cursor now points at the producer's position; the caller re-reads
   * whatever shared state the lost records described.
   */
  LAPPED: -3,
  /** A blocking call gave up after its time limit. */
  TIMED_OUT: -4,
} as const;
export type RingStatus = (typeof RingStatus)[keyof typeof RingStatus];

/**
 * Called once per record, in order. `view` covers the record at byte `offset` (for SPSC
 * the shared ring memory itself; for broadcast a private copy of the slot, at offset 0).
 * The record is only valid during the call. `endOfBatch` marks the last record of what
 * this poll drained, where a consumer publishes derived state.
 */
export type RecordHandler = (view: DataView, offset: number, endOfBatch: boolean) => void;
