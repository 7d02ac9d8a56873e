/**
 * The WAL writer: one per directory, used from one thread (the oms).
 *
 * append() assigns the next seq synchronously, copies header and payload into the
 * shared append ring and returns the seq; it allocates nothing. Who writes and syncs:
 *   fsync 'always' — append() itself writes and fdatasyncs (seq durable on return);
 *   fsync 'group'  — a flusher thread batches: write + one fdatasync per batch, a batch
 *                    closing after groupCommitMaxDelayUs or at groupCommitMaxBytes;
 *   fsync 'none'   — as 'group' without fdatasync (durable = handed to the kernel).
 *
 * Seqs: strictly increasing, contiguous, and continued across restarts from the last
 * intact record (tail-recovery.ts). A torn tail only ever holds records that were never
 * reported durable, so their seqs are handed out again — hence the contract: a seq
 * (or a client order id derived from it) may leave the process only once durable
 * (`durable(seq)`, `whenDurable`, or on return under 'always').
 */
import { mkdirSync } from 'node:fs';
import { AppendRing, MAX_RING_BYTES, MIN_RING_BYTES, ROLL_BYTES, ROLL_MARKER } from './append-ring.js';
import { DirLock } from './dir-lock.js';
import { DurablePosition } from './durable-position.js';
import { ioError, WalError, WalErrorCode } from './errors.js';
import { FlushAgent } from './flush-agent.js';
import type { FlushDriver, FlushDriverEvents } from './flush-driver.js';
import { InlineFlushDriver } from './inline-flush-driver.js';
import { MAX_PAYLOAD_BYTES, MAX_RECORD_TYPE, RecordLayout as R, recordBytes, SegmentHeaderLayout, writeU64 } from './record-format.js';
import { RingProducer } from './ring-producer.js';
import { SegmentAppender } from './segment-appender.js';
import { recoverTail, type TailRecovery, type WalLogger } from './tail-recovery.js';
import { ThreadFlushDriver } from './thread-flush-driver.js';
import { WallClockNs } from './wall-clock.js';
import { WalStats } from './wal-stats.js';

export type FsyncPolicy = 'always' | 'group' | 'none';

export interface WalWriterOptions {
  dir: string;
  fsync: FsyncPolicy;
  /** Longest a record waits for its batch to start (group/none). Default 200 µs. */
  groupCommitMaxDelayUs?: number;
  /** A batch is flushed at once when this many bytes are pending; also the most one batch writes. Default 1 MiB. */
  groupCommitMaxBytes?: number;
  /** A segment is sealed when the next record would take it past this size. Default 64 MiB. */
  segmentBytes?: number;
  /** Largest payload accepted. Default 1 MiB (format limit 16 MiB). */
  maxPayloadBytes?: number;
  /** Append ring size, a power of two. Default 16 MiB. */
  ringBytes?: number;
  /** Who runs group commit: a dedicated worker (default) or timers on this thread. 'always' is always inline. */
  flusher?: 'thread' | 'inline';
  /** Seq of the first record of an empty directory. Default 1. */
  initialSeq?: number;
  /** append() gives up with WAL_STALLED after the ring stayed full this long. Default 30 s. */
  stallTimeoutMs?: number;
  /** Damage with an intact record further on than this is corruption, not a torn tail. Default: one batch plus one record plus 64 KiB. */
  tornWindowBytes?: number;
  logger?: WalLogger;
  /** Shared counters to record into (a fresh set otherwise). */
  stats?: WalStats;
}

interface Waiter {
  seq: number;
  resolve: (seq: number) => void;
  reject: (err: Error) => void;
}

const MIB = 1024 * 1024;

function configError(message: string): WalError {
  return new WalError(WalErrorCode.CONFIG, `wal: ${message}`);
}

function intOption(name: string, v: number | undefined, fallback: number, min: number, max: number): number {
  const x = v ?? fallback;
  if (!Number.isSafeInteger(x) || x < min || x > max) throw configError(`${name} must be an integer in ${min}..${max}, got ${String(v)}`);
  return x;
}

interface Resolved {
  dir: string;
  fsync: FsyncPolicy;
  delayUs: number;
  maxBatchBytes: number;
  segmentBytes: number;
  maxPayloadBytes: number;
  ringBytes: number;
  flusher: 'thread' | 'inline';
  initialSeq: number;
  stallTimeoutMs: number;
  tornWindowBytes: number;
}

function resolveOptions(o: WalWriterOptions): Resolved {
  if (typeof o.dir !== 'string' || o.dir.length === 0) throw configError('dir must be a non-empty path');
  if (o.fsync !== 'always' && o.fsync !== 'group' && o.fsync !== 'none') {
    throw configError(`fsync must be 'always', 'group' or 'none', got ${JSON.stringify(o.fsync)}`);
  }
  if (o.flusher !== undefined && o.flusher !== 'thread' && o.flusher !== 'inline') {
    throw configError(`flusher must be 'thread' or 'inline', got ${JSON.stringify(o.flusher)}`);
  }
  const ringBytes = intOption('ringBytes', o.ringBytes, 16 * MIB, MIN_RING_BYTES, MAX_RING_BYTES);
  if ((ringBytes & (ringBytes - 1)) !== 0) throw configError(`ringBytes must be a power of two, got ${ringBytes}`);
  const maxBatchBytes = intOption('groupCommitMaxBytes', o.groupCommitMaxBytes, MIB, 4096, ringBytes / 2);
  const maxPayloadBytes = intOption('maxPayloadBytes', o.maxPayloadBytes, MIB, 0, Math.min(MAX_PAYLOAD_BYTES, ringBytes / 4));
  const minSegment = SegmentHeaderLayout.SIZE + recordBytes(maxPayloadBytes);
  const segmentBytes = intOption('segmentBytes', o.segmentBytes, 64 * MIB, Math.max(4096, minSegment), 2 ** 40);
  return {
    dir: o.dir,
    fsync: o.fsync,
    delayUs: intOption('groupCommitMaxDelayUs', o.groupCommitMaxDelayUs, 200, 0, 1_000_000),
    maxBatchBytes,
    segmentBytes,
    maxPayloadBytes,
    ringBytes,
    flusher: o.fsync === 'always' ? 'inline' : (o.flusher ?? 'thread'),
    initialSeq: intOption('initialSeq', o.initialSeq, 1, 1, 2 ** 52),
    stallTimeoutMs: intOption('stallTimeoutMs', o.stallTimeoutMs, 30_000, 1, 3_600_000),
    // The unsynced data a crash can tear is one batch: up to maxBatchBytes plus the record
    // that crossed the bound (pages of it may land out of order).
    tornWindowBytes: intOption('tornWindowBytes', o.tornWindowBytes, maxBatchBytes + recordBytes(maxPayloadBytes) + 64 * 1024, 0, 2 ** 40),
  };
}

export class WalWriter {
  readonly dir: string;
  readonly fsync: FsyncPolicy;
  readonly stats: WalStats;
  /** Last durable seq, shared: hand `durablePosition.sab` to the shipper. */
  readonly durablePosition: DurablePosition;
  /** What start-up found and cut. */
  readonly recovery: TailRecovery;

  private driver!: FlushDriver;
  private readonly producer: RingProducer;
  private readonly view: DataView;
  private readonly data: Uint8Array;
  private readonly clock = new WallClockNs();
  private readonly segmentBytes: number;
  private readonly maxPayloadBytes: number;
  /** Bytes of the current segment, header included; +Infinity forces a roll first. */
  private segmentUsed: number;
  private seq: number;
  private closed = false;
  private failure: Error | null = null;
  private readonly waiters: Waiter[] = [];
  private readonly listeners = new Set<(seq: number) => void>();
  private readonly lock: DirLock;

  private constructor(r: Resolved, recovery: TailRecovery, lock: DirLock, stats: WalStats, ring: AppendRing) {
    this.dir = r.dir;
    this.fsync = r.fsync;
    this.stats = stats;
    this.recovery = recovery;
    this.lock = lock;
    this.segmentBytes = r.segmentBytes;
    this.maxPayloadBytes = r.maxPayloadBytes;
    this.seq = recovery.nextSeq;
    this.segmentUsed = recovery.segment !== null ? recovery.segment.size : Number.POSITIVE_INFINITY;
    this.durablePosition = DurablePosition.create(recovery.lastSeq);
    this.producer = new RingProducer(ring, (need) => this.driver.waitForSpace(need, () => this.producer.free()));
    this.view = ring.view;
    this.data = ring.data;
  }

  /**
   * Opens (creating if needed) the WAL in `dir`: takes the directory lock, cuts a torn
   * tail, and starts the flusher. Throws WalError: WAL_CONFIG, WAL_LOCKED, WAL_CORRUPT
   * (damage that is not a torn tail), WAL_IO.
   */
  static async open(options: WalWriterOptions): Promise<WalWriter> {
    const r = resolveOptions(options);
    try {
      mkdirSync(r.dir, { recursive: true });
    } catch (err) {
      throw ioError(`creating ${r.dir}`, err, r.dir);
    }
    const lock = DirLock.acquire(r.dir);
    try {
      const stats = options.stats ?? new WalStats();
      const recovery = recoverTail({ dir: r.dir, initialSeq: r.initialSeq, tornWindowBytes: r.tornWindowBytes, logger: options.logger });
      for (const cut of recovery.cuts) stats.countTornTailCut(cut.bytes);
      const ring = AppendRing.create(r.ringBytes);
      const writer = new WalWriter(r, recovery, lock, stats, ring);
      const events: FlushDriverEvents = {
        durable: (seq) => writer.onDurableAdvanced(seq),
        failed: (err) => writer.onFailed(err),
      };
      const syncing = r.fsync !== 'none';
      if (r.flusher === 'inline') {
        const appender = new SegmentAppender(r.dir, recovery.segment, syncing, stats);
        const agent = new FlushAgent(ring, appender, writer.durablePosition, stats, r.maxBatchBytes);
        writer.driver = new InlineFlushDriver(agent, appender, writer.durablePosition, r.fsync === 'always', r.delayUs / 1000, r.maxBatchBytes, events);
      } else {
        writer.driver = await ThreadFlushDriver.start(
          {
            dir: r.dir,
            segment: recovery.segment,
            ringSab: ring.sab,
            durableSab: writer.durablePosition.sab,
            statsSab: stats.sab,
            syncing,
            maxBatchBytes: r.maxBatchBytes,
            maxDelayUs: r.delayUs,
          },
          ring,
          r.stallTimeoutMs,
          events,
          () => stats.countBackpressureWait(),
        );
      }
      return writer;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** Seq the next append will get. */
  get nextSeq(): number {
    return this.seq;
  }

  /** Seq of the last record appended (or recovered). */
  get lastSeq(): number {
    return this.seq - 1;
  }

  /** Seq of the last durable record. */
  get durableSeq(): number {
    return this.durablePosition.seq;
  }

  durable(seq: number): boolean {
    return seq <= this.durablePosition.seq;
  }

  /**
   * Journals one record and returns its seq. Allocation-free: the header and payload
   * are copied into the shared ring (reused memory); the CRC is computed by the flusher.
   * Under 'always' the record is durable when this returns. Throws WalError:
   * WAL_CLOSED, WAL_RECORD_TOO_LARGE, WAL_RECORD_TYPE, WAL_IO, WAL_STALLED.
   */
  append(type: number, payload: Uint8Array): number {
    if (this.closed) throw new WalError(WalErrorCode.CLOSED, 'wal: append on a closed writer');
    if (this.failure !== null) throw this.failure;
    this.driver.checkHealthy();
    const len = payload.length;
    if (len > this.maxPayloadBytes) {
      this.stats.countRejected();
      throw new WalError(WalErrorCode.RECORD_TOO_LARGE, `wal: payload of ${len} bytes exceeds maxPayloadBytes ${this.maxPayloadBytes}`);
    }
    if (!(type >= 0 && type <= MAX_RECORD_TYPE && (type | 0) === type)) {
      this.stats.countRejected();
      throw new WalError(WalErrorCode.RECORD_TYPE, `wal: record type must be an integer in 0..${MAX_RECORD_TYPE}, got ${String(type)}`);
    }
    const seq = this.seq;
    const size = recordBytes(len);
    if (this.segmentUsed + size > this.segmentBytes && this.segmentUsed > SegmentHeaderLayout.SIZE) this.roll(seq);
    const at = this.producer.claim(size);
    const v = this.view;
    v.setUint32(at + R.LEN, len, true);
    v.setUint32(at + R.CRC, 0, true);
    writeU64(v, at + R.SEQ, seq);
    this.clock.write(this.data, v, at + R.TS);
    v.setUint16(at + R.TYPE, type, true);
    v.setUint16(at + R.FLAGS, 0, true);
    const end = at + R.HEADER_BYTES + len;
    this.data.set(payload, at + R.PAYLOAD);
    if (end !== at + size) this.data.fill(0, end, at + size);
    this.seq = seq + 1;
    this.segmentUsed += size;
    this.producer.commit(size);
    this.stats.countAppend(size);
    this.driver.afterCommit();
    return seq;
  }

  /** append() then whenDurable(): resolves with the seq once it is on disk. */
  appendDurable(type: number, payload: Uint8Array): Promise<number> {
    return this.whenDurable(this.append(type, payload));
  }

  /** Resolves with `seq` once it is durable; rejects if the writer fails first. */
  whenDurable(seq: number): Promise<number> {
    if (seq <= this.durablePosition.seq) return Promise.resolve(seq);
    if (this.failure !== null) return Promise.reject(this.failure);
    if (seq >= this.seq) return Promise.reject(new WalError(WalErrorCode.CONFIG, `wal: seq ${seq} has not been appended (next is ${this.seq})`, { seq }));
    return new Promise<number>((resolve, reject) => {
      const w: Waiter = { seq, resolve, reject };
      const q = this.waiters;
      let i = q.length;
      while (i > 0 && q[i - 1]!.seq > seq) i--;
      q.splice(i, 0, w);
      this.driver.wantDurable(true);
      // The flusher may have advanced before it saw the request: look again.
      this.onDurableAdvanced(this.durablePosition.seq);
    });
  }

  /** Calls `listener(durableSeq)` after each durable advance; returns the unsubscribe. */
  onDurable(listener: (seq: number) => void): () => void {
    this.listeners.add(listener);
    this.driver.wantDurable(true);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.waiters.length === 0) this.driver.wantDurable(false);
    };
  }

  /** Starts the pending batch now and resolves once everything appended so far is durable. */
  async flush(): Promise<void> {
    if (this.closed) throw new WalError(WalErrorCode.CLOSED, 'wal: flush on a closed writer');
    const last = this.lastSeq;
    if (last <= this.durablePosition.seq) return;
    const p = this.whenDurable(last);
    this.driver.flushSoon();
    await p;
  }

  /** Drains, syncs and closes; afterwards every appended record is durable. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.driver.close();
      this.onDurableAdvanced(this.durablePosition.seq);
    } finally {
      this.lock.release();
      const err = this.failure ?? new WalError(WalErrorCode.CLOSED, 'wal: writer closed before the record became durable');
      for (const w of this.waiters.splice(0)) w.reject(err);
      this.listeners.clear();
    }
  }

  private roll(baseSeq: number): void {
    const at = this.producer.claim(ROLL_BYTES);
    this.view.setUint32(at, ROLL_MARKER, true);
    this.view.setUint32(at + 4, 0, true);
    writeU64(this.view, at + 8, baseSeq);
    this.producer.commit(ROLL_BYTES);
    this.segmentUsed = SegmentHeaderLayout.SIZE;
  }

  private onDurableAdvanced(seq: number): void {
    const q = this.waiters;
    let n = 0;
    while (n < q.length && q[n]!.seq <= seq) n++;
    if (n > 0) for (const w of q.splice(0, n)) w.resolve(w.seq);
    if (this.listeners.size > 0) for (const l of this.listeners) l(seq);
    else if (q.length === 0) this.driver.wantDurable(false);
  }

  private onFailed(err: Error): void {
    if (this.failure !== null) return;
    this.failure = err;
    for (const w of this.waiters.splice(0)) w.reject(err);
  }
}
