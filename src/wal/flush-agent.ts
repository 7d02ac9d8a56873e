/**
 * The consumer side of the append ring, run by whichever thread flushes (the flusher
 * worker, or the writer's own thread for fsync 'always' and the inline driver).
 *
 * One batch: walk published entries up to `maxBatchBytes`, fill in each record's
 * CRC (done here, off the oms thread: the oms only copies bytes), write contiguous runs
 * with one pwrite each, release the ring space, then fdatasync once and publish the
 * last seq as durable. Releasing space before the sync lets the writer keep appending
 * while the disk works; durability is reported only after the sync.
 */
import { AppendRing, Ctl, PAD_MARKER, ROLL_BYTES, ROLL_MARKER } from './append-ring.js';
import { crc32cRange } from './crc32c.js';
import type { DurablePosition } from './durable-position.js';
import { RecordLayout as R, readU64, recordBytes } from './record-format.js';
import type { SegmentAppender } from './segment-appender.js';
import type { WalStats } from './wal-stats.js';

export class FlushAgent {
  private readPos: number;

  constructor(
    private readonly ring: AppendRing,
    private readonly appender: SegmentAppender,
    private readonly durable: DurablePosition,
    private readonly stats: WalStats,
    private readonly maxBatchBytes: number,
  ) {
    this.readPos = Atomics.load(ring.ctl, Ctl.READ_POS) >>> 0;
  }

  /** Bytes published by the writer and not yet taken by a batch. */
  available(): number {
    return (Atomics.load(this.ring.ctl, Ctl.WRITE_POS) - this.readPos) >>> 0;
  }

  /** Runs one batch; returns the ring bytes it consumed (0: nothing was published). */
  drainBatch(): number {
    const ring = this.ring;
    const view = ring.view;
    const data = ring.data;
    const end = Atomics.load(ring.ctl, Ctl.WRITE_POS) >>> 0;
    let pos = this.readPos;
    if (pos === end) return 0;
    let runStart = 0;
    let runLen = 0;
    let consumed = 0;
    let written = 0;
    let lastSeq = -1;
    while (pos !== end && consumed < this.maxBatchBytes) {
      const idx = pos & ring.mask;
      const len = view.getUint32(idx + R.LEN, true);
      if (len === PAD_MARKER) {
        if (runLen > 0) this.appender.write(data, runStart, runLen);
        written += runLen;
        runLen = 0;
        const skip = ring.capacity - idx;
        pos = (pos + skip) >>> 0;
        consumed += skip;
        continue;
      }
      if (len === ROLL_MARKER) {
        if (runLen > 0) this.appender.write(data, runStart, runLen);
        written += runLen;
        runLen = 0;
        this.appender.roll(readU64(view, idx + 8));
        pos = (pos + ROLL_BYTES) >>> 0;
        consumed += ROLL_BYTES;
        continue;
      }
      const size = recordBytes(len);
      view.setUint32(idx + R.CRC, crc32cRange(data, idx + R.SEQ, idx + R.HEADER_BYTES + len, 0), true);
      // A record ending exactly at the end of the data is followed, without a PAD, by
      // one at index 0: the run is no longer contiguous there.
      if (runLen > 0 && idx !== runStart + runLen) {
        this.appender.write(data, runStart, runLen);
        written += runLen;
        runLen = 0;
      }
      if (runLen === 0) runStart = idx;
      runLen += size;
      lastSeq = readU64(view, idx + R.SEQ);
      pos = (pos + size) >>> 0;
      consumed += size;
    }
    if (runLen > 0) this.appender.write(data, runStart, runLen);
    written += runLen;
    this.readPos = pos;
    Atomics.store(ring.ctl, Ctl.READ_POS, pos | 0);
    if (Atomics.load(ring.ctl, Ctl.WRITER_WAITING) !== 0) Atomics.notify(ring.ctl, Ctl.READ_POS);
    if (lastSeq >= 0) {
      this.appender.sync();
      this.durable.publish(lastSeq);
    }
    this.stats.countBatch(written);
    return consumed;
  }

  /** Batches until nothing published is left. */
  drainAll(): void {
    while (this.drainBatch() > 0) {
      // each batch is bounded; the loop ends when the writer has nothing more published
    }
  }
}
