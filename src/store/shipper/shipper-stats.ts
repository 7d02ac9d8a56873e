/**
 * The shipper's position, lag and counters in shared memory: the shipper thread writes,
 * anyone reads (the engine's metrics, `veloz` status, tests) without a message round
 * trip. Float64 cells, one writer.
 */
const Cell = {
  SHIPPED_SEQ: 0,
  HEAD_SEQ: 1,
  LAG_RECORDS: 2,
  LAG_SECONDS: 3,
  BATCHES: 4,
  ROWS: 5,
  FAILURES: 6,
  FAILING_SINCE_MS: 7,
  SEGMENTS_DELETED: 8,
  CONFLICT_BATCHES: 9,
  POSITION_RESETS: 10,
  LAST_BATCH_ROWS: 11,
  LAST_BATCH_MS: 12,
  SHIPPED_RECORD_MS: 13,
  RUNNING: 14,
} as const;
const CELLS = 16;
export const SHIPPER_STATS_BYTES = CELLS * 8;

export interface ShipperStatsSnapshot {
  /** Last seq stored in PostgreSQL (its wal_shipped row). */
  shippedSeq: number;
  /** Newest seq the shipper may ship (the durable seq, or the last intact record read). */
  headSeq: number;
  lagRecords: number;
  /** Age of the oldest record not yet in PostgreSQL; 0 when caught up. */
  lagSeconds: number;
  batches: number;
  rows: number;
  /** Failed attempts (PostgreSQL errors, WAL read errors). */
  failures: number;
  /** Since when every attempt failed (epoch ms), null while healthy. */
  failingSinceMs: number | null;
  segmentsDeleted: number;
  /** Batches whose COPY hit rows already stored and were redone with ON CONFLICT DO NOTHING. */
  conflictBatches: number;
  /** Times the stored position differed from the shipper's and it re-read from there. */
  positionResets: number;
  lastBatchRows: number;
  lastBatchMs: number;
  running: boolean;
}

export class ShipperStats {
  readonly sab: SharedArrayBuffer;
  private readonly c: Float64Array;

  constructor(sab?: SharedArrayBuffer) {
    this.sab = sab ?? new SharedArrayBuffer(SHIPPER_STATS_BYTES);
    if (this.sab.byteLength < SHIPPER_STATS_BYTES) throw new RangeError(`shipper stats need ${SHIPPER_STATS_BYTES} bytes`);
    this.c = new Float64Array(this.sab, 0, CELLS);
  }

  get shippedSeq(): number {
    return this.c[Cell.SHIPPED_SEQ]!;
  }

  get lagRecords(): number {
    return this.c[Cell.LAG_RECORDS]!;
  }

  get lagSeconds(): number {
    return this.c[Cell.LAG_SECONDS]!;
  }

  get shippedRecordMs(): number {
    return this.c[Cell.SHIPPED_RECORD_MS]!;
  }

  setRunning(on: boolean): void {
    this.c[Cell.RUNNING] = on ? 1 : 0;
  }

  setShipped(seq: number, recordMs: number): void {
    this.c[Cell.SHIPPED_SEQ] = seq;
    this.c[Cell.SHIPPED_RECORD_MS] = recordMs;
  }

  setLag(headSeq: number, lagRecords: number, lagSeconds: number): void {
    this.c[Cell.HEAD_SEQ] = headSeq;
    this.c[Cell.LAG_RECORDS] = lagRecords;
    this.c[Cell.LAG_SECONDS] = lagSeconds;
  }

  countBatch(rows: number, ms: number): void {
    this.c[Cell.BATCHES]!++;
    this.c[Cell.ROWS]! += rows;
    this.c[Cell.LAST_BATCH_ROWS] = rows;
    this.c[Cell.LAST_BATCH_MS] = ms;
    this.c[Cell.FAILING_SINCE_MS] = 0;
  }

  countFailure(nowMs: number): void {
    this.c[Cell.FAILURES]!++;
    if (this.c[Cell.FAILING_SINCE_MS] === 0) this.c[Cell.FAILING_SINCE_MS] = nowMs;
  }

  countSegmentsDeleted(n: number): void {
    this.c[Cell.SEGMENTS_DELETED]! += n;
  }

  countConflictBatch(): void {
    this.c[Cell.CONFLICT_BATCHES]!++;
  }

  countPositionReset(): void {
    this.c[Cell.POSITION_RESETS]!++;
  }

  snapshot(): ShipperStatsSnapshot {
    const c = this.c;
    return {
      shippedSeq: c[Cell.SHIPPED_SEQ]!,
      headSeq: c[Cell.HEAD_SEQ]!,
      lagRecords: c[Cell.LAG_RECORDS]!,
      lagSeconds: c[Cell.LAG_SECONDS]!,
      batches: c[Cell.BATCHES]!,
      rows: c[Cell.ROWS]!,
      failures: c[Cell.FAILURES]!,
      failingSinceMs: c[Cell.FAILING_SINCE_MS] === 0 ? null : c[Cell.FAILING_SINCE_MS]!,
      segmentsDeleted: c[Cell.SEGMENTS_DELETED]!,
      conflictBatches: c[Cell.CONFLICT_BATCHES]!,
      positionResets: c[Cell.POSITION_RESETS]!,
      lastBatchRows: c[Cell.LAST_BATCH_ROWS]!,
      lastBatchMs: c[Cell.LAST_BATCH_MS]!,
      running: c[Cell.RUNNING] === 1,
    };
  }
}
