/**
 * WAL counters in shared memory, readable from any thread (the metrics exporter, tests).
 * Float64 cells, one writing thread per cell; the writer's cells and the flusher's
 * cells sit on separate cache lines so the two threads never share a line.
 *
 *   line 0  writer:  appends, appendBytes, rejected, backpressureWaits
 *   line 1  writer at open: tornTailCuts, truncatedBytes
 *   line 2  flusher: batches, fsyncs, writtenBytes, segmentsCreated
 *   then    fsync latency (ns) HDR histogram, recorded by the flusher
 */
import { HISTOGRAM_BYTES, LatencyHistogram } from '../core/metrics/histogram.js';

const LINE_CELLS = 8;
const Cell = {
  APPENDS: 0,
  APPEND_BYTES: 1,
  REJECTED: 2,
  BACKPRESSURE_WAITS: 3,
  TORN_TAIL_CUTS: LINE_CELLS,
  TRUNCATED_BYTES: LINE_CELLS + 1,
  BATCHES: 2 * LINE_CELLS,
  FSYNCS: 2 * LINE_CELLS + 1,
  WRITTEN_BYTES: 2 * LINE_CELLS + 2,
  SEGMENTS_CREATED: 2 * LINE_CELLS + 3,
} as const;
const CELLS_BYTES = 3 * LINE_CELLS * 8;
export const WAL_STATS_BYTES = CELLS_BYTES + HISTOGRAM_BYTES;

export interface WalStatsSnapshot {
  appends: number;
  appendBytes: number;
  rejected: number;
  backpressureWaits: number;
  tornTailCuts: number;
  truncatedBytes: number;
  batches: number;
  fsyncs: number;
  writtenBytes: number;
  segmentsCreated: number;
  fsyncLatencyNs: ReturnType<LatencyHistogram['summary']>;
}

export class WalStats {
  readonly sab: SharedArrayBuffer;
  readonly cells: Float64Array;
  readonly fsyncLatencyNs: LatencyHistogram;

  constructor(sab: SharedArrayBuffer = new SharedArrayBuffer(WAL_STATS_BYTES)) {
    this.sab = sab;
    this.cells = new Float64Array(sab, 0, CELLS_BYTES / 8);
    this.fsyncLatencyNs = new LatencyHistogram(sab, CELLS_BYTES);
  }

  countAppend(recordBytes: number): void {
    const c = this.cells;
    c[Cell.APPENDS] = c[Cell.APPENDS]! + 1;
    c[Cell.APPEND_BYTES] = c[Cell.APPEND_BYTES]! + recordBytes;
  }

  countRejected(): void {
    this.cells[Cell.REJECTED] = this.cells[Cell.REJECTED]! + 1;
  }

  countBackpressureWait(): void {
    this.cells[Cell.BACKPRESSURE_WAITS] = this.cells[Cell.BACKPRESSURE_WAITS]! + 1;
  }

  countTornTailCut(bytes: number): void {
    this.cells[Cell.TORN_TAIL_CUTS] = this.cells[Cell.TORN_TAIL_CUTS]! + 1;
    this.cells[Cell.TRUNCATED_BYTES] = this.cells[Cell.TRUNCATED_BYTES]! + bytes;
  }

  countBatch(bytes: number): void {
    this.cells[Cell.BATCHES] = this.cells[Cell.BATCHES]! + 1;
    this.cells[Cell.WRITTEN_BYTES] = this.cells[Cell.WRITTEN_BYTES]! + bytes;
  }

  countFsync(ns: number): void {
    this.cells[Cell.FSYNCS] = this.cells[Cell.FSYNCS]! + 1;
    this.fsyncLatencyNs.record(ns);
  }

  countSegmentCreated(): void {
    this.cells[Cell.SEGMENTS_CREATED] = this.cells[Cell.SEGMENTS_CREATED]! + 1;
  }

  snapshot(): WalStatsSnapshot {
    const c = this.cells;
    return {
      appends: c[Cell.APPENDS]!,
      appendBytes: c[Cell.APPEND_BYTES]!,
      rejected: c[Cell.REJECTED]!,
      backpressureWaits: c[Cell.BACKPRESSURE_WAITS]!,
      tornTailCuts: c[Cell.TORN_TAIL_CUTS]!,
      truncatedBytes: c[Cell.TRUNCATED_BYTES]!,
      batches: c[Cell.BATCHES]!,
      fsyncs: c[Cell.FSYNCS]!,
      writtenBytes: c[Cell.WRITTEN_BYTES]!,
      segmentsCreated: c[Cell.SEGMENTS_CREATED]!,
      fsyncLatencyNs: this.fsyncLatencyNs.summary(),
    };
  }
}
