/** Vocabulary of the venue sync state machines (numeric, so the hot path passes words). */

export const SyncState = {
  /** Fresh: buffering diffs, waiting for the first REST snapshot. */
  AWAITING_SNAPSHOT: 0,
  /** Snapshot loaded; waiting for the first diff that bridges it (book not yet valid). */
  BRIDGING: 1,
  /** In sequence: every diff applied, book valid unless crossed. */
  LIVE: 2,
  /** After a gap, overflow, crossed book or stale snapshot: buffering again for a new snapshot. */
  RESYNCING: 3,
} as const;
export type SyncState = (typeof SyncState)[keyof typeof SyncState];

export const SyncStateName: Record<SyncState, string> = {
  0: 'awaiting-snapshot',
  1: 'bridging',
  2: 'live',
  3: 'resyncing',
};

/** Why a snapshot is (re)requested. */
export const SnapshotReason = {
  INITIAL: 1,
  GAP: 2,
  /** Snapshot older than the buffered diffs (spot: lastUpdateId < U - 1; USD-M: lastUpdateId < U). */
  SNAPSHOT_TOO_OLD: 3,
  BUFFER_OVERFLOW: 4,
  CROSSED: 5,
  SNAPSHOT_FAILED: 6,
  STREAM_RESET: 7,
  BAD_MESSAGE: 8,
  /** Too many consecutive already-applied diffs in a row: the stream is not advancing. */
  STALE_STREAM: 9,
} as const;
export type SnapshotReason = (typeof SnapshotReason)[keyof typeof SnapshotReason];

export const SnapshotReasonName: Record<SnapshotReason, string> = {
  1: 'initial',
  2: 'gap',
  3: 'snapshot-too-old',
  4: 'buffer-overflow',
  5: 'crossed',
  6: 'snapshot-failed',
  7: 'stream-reset',
  8: 'bad-message',
  9: 'stale-stream',
};

/** Where the levels of the diff just begun go. */
export const DiffRoute = {
  BOOK: 0,
  BUFFER: 1,
  DROP: 2,
} as const;
export type DiffRoute = (typeof DiffRoute)[keyof typeof DiffRoute];

/**
 * Side effects the book worker turns into messages (snapshot request to the io thread,
 * gap event on the book ring). Numbers only: calling them allocates nothing.
 */
export interface BookSyncListener {
  requestSnapshot(reason: SnapshotReason): void;
  /**
   * A sequence break. Spot: expected = previous u + 1, received = U.
   * USD-M: expected = previous u, received = pu.
   */
  gap(expected: number, received: number): void;
  /** A diff already contained in the book (u at or below the book's id) was dropped. */
  dropStale(firstUpdateId: number, finalUpdateId: number): void;
}

export interface BookSyncCounters {
  applied: number;
  buffered: number;
  stale: number;
  gaps: number;
  snapshotsApplied: number;
  snapshotRequests: number;
  tooOld: number;
  overflows: number;
  crossed: number;
  badMessages: number;
  unexpectedSnapshots: number;
}
