/**
 * Reads WAL records in seq order across segments: replay at start-up, and the shipper
 * tailing live segments while the writer appends.
 *
 * next() returns the next intact record, or null when there is none yet: at the live
 * end it stops at the last complete, CRC-valid record (one being written concurrently
 * is simply not there yet) and a later call resumes from the same place. Damage is
 * never skipped:
 *   - in a sealed segment (a newer segment exists, so this one is complete), anything
 *     but a clean end after the last record is WAL_CORRUPT naming file and offset;
 *   - a seq gap between segments is WAL_CORRUPT;
 *   - with a durable position, a record at or below it that is not intact is
 *     WAL_CORRUPT (the flusher writes a batch before publishing it durable).
 * With a durable position nothing above it is returned (the shipper must not ship
 * what a power loss could still take away).
 */
import { DurablePosition } from './durable-position.js';
import { WalError, WalErrorCode } from './errors.js';
import { RECORD_CHECK_REASON, RecordCheck, RecordLayout as R, SegmentHeaderLayout } from './record-format.js';
import { SegmentCursor } from './segment-cursor.js';
import { decodeSegmentHeader, listSegments, type SegmentInfo } from './segment-files.js';

export interface WalReaderOptions {
  dir: string;
  /** First seq to return. Default: the oldest seq kept. Below it: WAL_SEQ_UNAVAILABLE. */
  fromSeq?: number;
  /** Last seq to return (inclusive). */
  upToSeq?: number;
  /** The writer's durable position (or its SharedArrayBuffer): bounds what is returned. */
  durable?: DurablePosition | SharedArrayBuffer;
  /** Initial read buffer size; grows for larger records. Default 1 MiB. */
  bufferBytes?: number;
}

/** One record, valid until the next call on its reader (the payload views reader memory). */
export class WalRecordView {
  seq = 0;
  type = 0;
  flags = 0;
  payload: Uint8Array = new Uint8Array(0);
  /** Segment file and byte offset of the record, for diagnostics. */
  file = '';
  offset = 0;
  private tsLo = 0;
  private tsHi = 0;

  /** Wall-clock time of the append, ns since the Unix epoch. */
  get tsNs(): bigint {
    return (BigInt(this.tsHi | 0) << 32n) | BigInt(this.tsLo);
  }

  /** Fills from `view` at record index `i` (reader use). */
  load(bytes: Uint8Array, view: DataView, i: number, len: number, file: string, offset: number, seq: number): void {
    this.seq = seq;
    this.tsLo = view.getUint32(i + R.TS, true);
    this.tsHi = view.getUint32(i + R.TS + 4, true);
    this.type = view.getUint16(i + R.TYPE, true);
    this.flags = view.getUint16(i + R.FLAGS, true);
    this.payload = bytes.subarray(i + R.PAYLOAD, i + R.PAYLOAD + len);
    this.file = file;
    this.offset = offset;
  }
}

function corrupt(file: string, offset: number, what: string, seq?: number): WalError {
  return new WalError(WalErrorCode.CORRUPT, `wal: ${file} offset ${offset}: ${what}`, { file, offset, seq });
}

export class WalReader {
  readonly dir: string;
  private readonly upTo: number;
  private readonly durable: DurablePosition | null;
  private readonly bufferBytes: number;
  private readonly view = new WalRecordView();
  private fromSeq: number | undefined;
  private seg: SegmentInfo | null = null;
  private cursor: SegmentCursor | null = null;
  private off = 0;
  private expected = 0;
  private fresh = false;
  private closed = false;

  private constructor(o: WalReaderOptions) {
    this.dir = o.dir;
    this.fromSeq = o.fromSeq;
    this.upTo = o.upToSeq ?? Number.POSITIVE_INFINITY;
    this.durable = o.durable === undefined ? null : o.durable instanceof DurablePosition ? o.durable : DurablePosition.attach(o.durable);
    this.bufferBytes = o.bufferBytes ?? 1 << 20;
  }

  static open(options: WalReaderOptions): WalReader {
    if (options.fromSeq !== undefined && !(Number.isSafeInteger(options.fromSeq) && options.fromSeq >= 0)) {
      throw new WalError(WalErrorCode.CONFIG, `wal: fromSeq must be a non-negative integer, got ${String(options.fromSeq)}`);
    }
    const r = new WalReader(options);
    r.locate();
    return r;
  }

  /** First seq this reader returns, once it found a segment (undefined before). */
  get startSeq(): number | undefined {
    return this.cursor === null && this.seg === null ? undefined : this.fromSeq;
  }

  /** Seq the next returned record will have (once positioned). */
  get nextSeq(): number {
    return this.cursor === null ? (this.fromSeq ?? 0) : Math.max(this.expected, this.fromSeq ?? 0);
  }

  /** The next intact record, or null if there is none yet. Throws WAL_CORRUPT on damage. */
  next(): WalRecordView | null {
    if (this.closed) throw new WalError(WalErrorCode.CLOSED, 'wal: read on a closed reader');
    for (;;) {
      if (this.cursor === null && !this.locate()) return null;
      if (this.expected > this.upTo) return null;
      if (this.durable !== null && this.expected > this.durable.seq) return null;
      const c = this.cursor!;
      const r = c.check(this.off, this.expected, this.fresh);
      this.fresh = false;
      if (r === RecordCheck.OK) {
        const seq = this.expected;
        this.view.load(c.bytes, c.dataView, c.index, c.payloadLength, c.path, this.off, seq);
        this.off += c.size;
        this.expected = seq + 1;
        if (this.fromSeq !== undefined && seq < this.fromSeq) continue;
        return this.view;
      }
      if (!this.pastDamageOrEnd(r)) return null;
    }
  }

  /** Every record available now, in order. */
  *records(): Generator<WalRecordView> {
    for (let r = this.next(); r !== null; r = this.next()) yield r;
  }

  close(): void {
    this.closed = true;
    this.cursor?.close();
    this.cursor = null;
  }

  /**
   * Decides what a non-intact record at the read position means. Returns true to read
   * on (moved to the next segment, or the data completed), false to wait; throws on
   * corruption.
   */
  private pastDamageOrEnd(first: RecordCheck): boolean {
    const c = this.cursor!;
    const seg = this.seg!;
    const next = this.successorOf(seg);
    if (next !== null) {
      // A newer segment exists, so this one was completely written before it was made:
      // read again (our buffer may predate the last write) and judge.
      const r = c.check(this.off, this.expected, true);
      if (r === RecordCheck.OK) return true;
      if (r !== RecordCheck.END) {
        throw corrupt(seg.path, this.off, `${RECORD_CHECK_REASON[r]} where seq ${this.expected} should be, in a sealed segment`, this.expected);
      }
      if (next.baseSeq !== this.expected) {
        throw corrupt(
          next.path,
          0,
          `segment starts at seq ${next.baseSeq} but ${seg.name} ends at seq ${this.expected - 1}: records ${this.expected}..${next.baseSeq - 1} are missing`,
          this.expected,
        );
      }
      return this.enter(next, false);
    }
    if (this.durable !== null && this.expected <= this.durable.seq) {
      const r = c.check(this.off, this.expected, true);
      if (r === RecordCheck.OK) return true;
      throw corrupt(seg.path, this.off, `${RECORD_CHECK_REASON[r]} (first seen: ${RECORD_CHECK_REASON[first]}) where seq ${this.expected} should be, though it is durable`, this.expected);
    }
    this.fresh = true;
    return false;
  }

  private successorOf(seg: SegmentInfo): SegmentInfo | null {
    for (const s of listSegments(this.dir)) if (s.baseSeq > seg.baseSeq) return s;
    return null;
  }

  /** Positions on the segment holding fromSeq (or the oldest); false if there is none yet. */
  private locate(): boolean {
    const segs = listSegments(this.dir);
    if (segs.length === 0) return false;
    const first = segs[0]!;
    if (this.fromSeq === undefined) this.fromSeq = first.baseSeq;
    if (this.fromSeq < first.baseSeq) {
      throw new WalError(
        WalErrorCode.SEQ_UNAVAILABLE,
        `wal: seq ${this.fromSeq} is below the oldest segment kept in ${this.dir} (starts at seq ${first.baseSeq})`,
        { seq: this.fromSeq, file: first.path },
      );
    }
    let i = 0;
    while (i + 1 < segs.length && segs[i + 1]!.baseSeq <= this.fromSeq) i++;
    return this.enter(segs[i]!, i + 1 < segs.length);
  }

  /** Opens `seg` and checks its header; false if it is the live segment still being created. */
  private enter(seg: SegmentInfo, sealed: boolean): boolean {
    // The current position is kept until the new segment proves readable: a segment
    // whose header is still being written means "wait here", not "start over".
    const c = new SegmentCursor(seg.path, this.bufferBytes);
    const got = c.fetch(0, SegmentHeaderLayout.SIZE, true);
    const h = decodeSegmentHeader(c.bytes, got);
    if (!h.ok || h.baseSeq !== seg.baseSeq) {
      c.close();
      const isLive = !sealed && this.successorOf(seg) === null;
      if (!h.ok && isLive && got < SegmentHeaderLayout.SIZE) return false;
      throw corrupt(seg.path, 0, h.ok ? `header says base seq ${h.baseSeq}, name says ${seg.baseSeq}` : `segment header: ${h.reason}`);
    }
    this.cursor?.close();
    this.seg = seg;
    this.cursor = c;
    this.off = SegmentHeaderLayout.SIZE;
    this.expected = seg.baseSeq;
    return true;
  }
}

/**
 * Start-up replay: visits every record from `fromSeq` (default: the oldest kept) through
 * `toSeq` (the writer's lastSeq after open) and fails with WAL_CORRUPT if the log stops
 * short of it. A directory without segments has nothing to replay. The record view is
 * reused: copy what you keep.
 */
export function replayWal(
  options: { dir: string; fromSeq?: number; toSeq: number },
  visit: (record: WalRecordView) => void,
): { count: number; lastSeq: number } {
  const reader = WalReader.open({ dir: options.dir, fromSeq: options.fromSeq, upToSeq: options.toSeq });
  let count = 0;
  let lastSeq = -1;
  try {
    for (let r = reader.next(); r !== null; r = reader.next()) {
      visit(r);
      count++;
      lastSeq = r.seq;
    }
  } finally {
    reader.close();
  }
  const start = reader.startSeq;
  if (start === undefined) return { count, lastSeq: options.toSeq };
  const reached = count > 0 ? lastSeq : start - 1;
  if (reached < options.toSeq) {
    throw new WalError(WalErrorCode.CORRUPT, `wal: replay of ${options.dir} stopped after seq ${reached}, short of seq ${options.toSeq}`, {
      seq: reached + 1,
    });
  }
  return { count, lastSeq: reached };
}
