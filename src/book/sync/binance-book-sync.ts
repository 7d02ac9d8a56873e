/**
 * Binance local-book synchronisation for one instrument, as a state machine with no I/O.
 *
 *   AWAITING_SNAPSHOT ──snapshot──► BRIDGING ──first diff that bridges it──► LIVE
 *          ▲  (diffs buffered,          │ too old: refetch                    │ gap / crossed /
 *          │   snapshot requested)      ▼                                     │ bad level / stale stream
 *          └──────────────────────── RESYNCING ◄──────────────────────────────┘
 *
 * Inputs come one venue message at a time, level by level, exactly as the book worker
 * reads them from the md ring: beginDiff(U, u, pu, time), level(...)×n, endDiff();
 * a REST snapshot as beginSnapshot(lastUpdateId), snapshotLevel(...)×n, endSnapshot().
 * Outputs: levels applied to a BookSink (one batch = one publish per venue message; a
 * snapshot and the buffered diffs it unlocks publish together), and BookSyncListener
 * calls (snapshot requests with a reason, gaps with expected vs received, stale drops).
 * The rules themselves live in sequence-rules.ts (spot vs USD-M).
 *
 * The book is published valid only in LIVE, after the first diff that continues the
 * snapshot; a gap publishes "invalid" at once (levels kept, for inspection), and the
 * diff that revealed the gap starts the new buffer. Each venue message publishes at most
 * once, so the book worker emits its one book event per message when the writer's
 * version moved between beginDiff and endDiff.
 */
import type { BookSink } from '../book-sink.js';
import { BookError, BookErrorCode } from '../errors.js';
import { isU53 } from '../int64-words.js';
import { LevelResult, type Side } from '../side.js';
import { DiffBuffer } from './diff-buffer.js';
import { Verdict, sequenceRules, type BinanceMarket, type SequenceRules } from './sequence-rules.js';
import {
  DiffRoute,
  SnapshotReason,
  SyncState,
  type BookSyncCounters,
  type BookSyncListener,
} from './sync-types.js';

export interface BookSyncOptions {
  market: BinanceMarket;
  /** Diffs held while waiting for a snapshot (overflow: buffer dropped, counted, resync). */
  maxBufferedMessages?: number;
  /** Levels held across those diffs. */
  maxBufferedLevels?: number;
  /** Consecutive already-applied diffs tolerated in LIVE before the stream is deemed stuck. */
  maxConsecutiveStale?: number;
}

/** Cells of BinanceBookSync.header. */
export const H_FIRST = 0;
export const H_FINAL = 1;
export const H_PREV = 2;
export const H_TIME = 3;

export const DEFAULT_MAX_BUFFERED_MESSAGES = 2048;
export const DEFAULT_MAX_BUFFERED_LEVELS = 65536;
export const DEFAULT_MAX_CONSECUTIVE_STALE = 64;

export class BinanceBookSync {
  readonly rules: SequenceRules;
  state: SyncState = SyncState.AWAITING_SNAPSHOT;
  /** BRIDGING: the snapshot's lastUpdateId; LIVE: the last applied u. */
  bookId = -1;
  private readonly sink: BookSink;
  private readonly listener: BookSyncListener;
  private readonly buffer: DiffBuffer;
  private readonly maxConsecutiveStale: number;
  private route: DiffRoute = DiffRoute.DROP;
  private diffOpen = false;
  private inSnapshot = false;
  private snapshotPending = false;
  private resyncReason: SnapshotReason = SnapshotReason.INITIAL;
  private corrupt = false;
  private consecutiveStale = 0;
  private curFirst = 0;
  private curFinal = 0;
  private curPrev = 0;
  private curTime = 0;
  /** The next diff's [firstId, finalId, prevFinalId, time] for beginDiffFromHeader (H_* indexes). */
  readonly header = new Float64Array(4);
  private snapshotTime = 0;
  private readonly c: BookSyncCounters = {
    applied: 0,
    buffered: 0,
    stale: 0,
    gaps: 0,
    snapshotsApplied: 0,
    snapshotRequests: 0,
    tooOld: 0,
    overflows: 0,
    crossed: 0,
    badMessages: 0,
    unexpectedSnapshots: 0,
  };

  constructor(sink: BookSink, listener: BookSyncListener, options: BookSyncOptions) {
    if (options.market !== 'spot' && options.market !== 'usdm') {
      throw new BookError(BookErrorCode.CONFIG, `book sync market ${JSON.stringify(options.market)} is not 'spot' or 'usdm'`);
    }
    const maxMessages = options.maxBufferedMessages ?? DEFAULT_MAX_BUFFERED_MESSAGES;
    const maxLevels = options.maxBufferedLevels ?? DEFAULT_MAX_BUFFERED_LEVELS;
    const maxStale = options.maxConsecutiveStale ?? DEFAULT_MAX_CONSECUTIVE_STALE;
    for (const [name, v] of [['maxBufferedMessages', maxMessages], ['maxBufferedLevels', maxLevels], ['maxConsecutiveStale', maxStale]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new BookError(BookErrorCode.CONFIG, `book sync ${name} ${v} must be a positive integer`);
    }
    this.rules = sequenceRules(options.market);
    this.sink = sink;
    this.listener = listener;
    this.buffer = new DiffBuffer(maxMessages, maxLevels);
    this.maxConsecutiveStale = maxStale;
  }

  /** Starts a venue diff. pu is USD-M's previous final id (pass -1 on spot). */
  beginDiff(firstId: number, finalId: number, prevFinalId: number, time: number): DiffRoute {
    const h = this.header;
    h[H_FIRST] = firstId;
    h[H_FINAL] = finalId;
    h[H_PREV] = prevFinalId;
    h[H_TIME] = time;
    return this.beginDiffFromHeader();
  }

  /**
   * beginDiff with the message's ids and time taken from `header`, for hot callers: V8
   * boxes a number above 2^31 (update ids, ms times) in a fresh heap object whenever it
   * is passed to a call it does not inline, so the book worker writes them into the
   * header and passes nothing.
   */
  beginDiffFromHeader(): DiffRoute {
    if (this.diffOpen || this.inSnapshot) throw new BookError(BookErrorCode.BATCH_ORDER, 'beginDiff while a diff or snapshot is open');
    const h = this.header;
    const firstId = h[H_FIRST]!;
    const finalId = h[H_FINAL]!;
    const prevFinalId = h[H_PREV]!;
    this.diffOpen = true;
    this.corrupt = false;
    this.curFirst = firstId;
    this.curFinal = finalId;
    this.curPrev = prevFinalId;
    this.curTime = h[H_TIME]!;
    if (!(isU53(firstId) && isU53(finalId) && firstId <= finalId && (this.rules.market === 'spot' || isU53(prevFinalId)))) {
      this.c.badMessages++;
      this.restart(SnapshotReason.BAD_MESSAGE);
      return (this.route = DiffRoute.DROP);
    }
    switch (this.state) {
      case SyncState.BRIDGING: {
        const v = this.rules.bridge(this.bookId, firstId, finalId);
        if (v === Verdict.STALE) return this.stale();
        if (v === Verdict.TOO_OLD) {
          this.c.tooOld++;
          this.enterResync(SnapshotReason.SNAPSHOT_TOO_OLD);
          return this.toBuffer();
        }
        this.sink.beginBatch();
        return (this.route = DiffRoute.BOOK);
      }
      case SyncState.LIVE: {
        const v = this.rules.follow(this.bookId, firstId, finalId, prevFinalId);
        if (v === Verdict.STALE) {
          if (++this.consecutiveStale > this.maxConsecutiveStale) {
            this.c.stale++;
            this.restart(SnapshotReason.STALE_STREAM);
            return (this.route = DiffRoute.DROP);
          }
          return this.stale();
        }
        this.consecutiveStale = 0;
        if (v === Verdict.GAP) {
          this.c.gaps++;
          this.listener.gap(this.rules.gapExpected(this.bookId), this.rules.gapReceived(firstId, prevFinalId));
          this.sink.markInvalid();
          this.enterResync(SnapshotReason.GAP);
          return this.toBuffer();
        }
        this.sink.beginBatch();
        return (this.route = DiffRoute.BOOK);
      }
      default:
        return this.toBuffer();
    }
  }

  level(side: Side, price: number, qty: number): void {
    if (this.route === DiffRoute.BOOK) {
      if (this.sink.applyLevel(side, price, qty) === LevelResult.REJECTED) this.corrupt = true;
    } else if (this.route === DiffRoute.BUFFER) {
      // The writer checks levels when they are applied; buffered ones are checked now,
      // because the buffer's int64 words cannot hold a fraction or NaN faithfully.
      if (!(price > 0 && isU53(price) && isU53(qty))) this.corrupt = true;
      else if (!this.buffer.push(side, price, qty)) {
        this.buffer.abandon();
        this.overflow();
      }
    }
  }

  endDiff(): void {
    if (!this.diffOpen) throw new BookError(BookErrorCode.BATCH_ORDER, 'endDiff without beginDiff');
    this.diffOpen = false;
    const route = this.route;
    this.route = DiffRoute.DROP;
    if (route === DiffRoute.BUFFER) {
      if (this.corrupt) {
        this.c.badMessages++;
        this.buffer.abandon();
        this.restart(SnapshotReason.BAD_MESSAGE);
        return;
      }
      this.buffer.close();
      this.c.buffered++;
      this.requestSnapshot();
    } else if (route === DiffRoute.BOOK) {
      if (this.state === SyncState.BRIDGING) this.state = SyncState.LIVE;
      this.bookId = this.curFinal;
      this.c.applied++;
      const uncrossed = this.sink.endBatch(this.curFinal, this.curTime, !this.corrupt);
      this.afterBatch(uncrossed);
    }
  }

  /** Starts applying a REST snapshot; false (levels ignored) when none is wanted now. */
  beginSnapshot(lastUpdateId: number, time = 0): boolean {
    if (this.diffOpen || this.inSnapshot) throw new BookError(BookErrorCode.BATCH_ORDER, 'beginSnapshot while a diff or snapshot is open');
    if (this.state === SyncState.LIVE || this.state === SyncState.BRIDGING) {
      this.c.unexpectedSnapshots++;
      return false;
    }
    this.snapshotPending = false;
    if (!isU53(lastUpdateId)) {
      this.c.badMessages++;
      this.resyncReason = SnapshotReason.BAD_MESSAGE;
      this.requestSnapshot();
      return false;
    }
    this.inSnapshot = true;
    this.corrupt = false;
    this.bookId = lastUpdateId;
    this.snapshotTime = time;
    this.sink.beginBatch();
    this.sink.clearBook();
    return true;
  }

  snapshotLevel(side: Side, price: number, qty: number): void {
    if (this.inSnapshot && this.sink.applyLevel(side, price, qty) === LevelResult.REJECTED) this.corrupt = true;
  }

  /** Finishes the snapshot and drains the buffered diffs into the same published batch. */
  endSnapshot(): void {
    if (!this.inSnapshot) return;
    this.inSnapshot = false;
    if (this.corrupt) {
      this.c.badMessages++;
      this.sink.endBatch(this.bookId, this.snapshotTime, false);
      this.resyncReason = SnapshotReason.BAD_MESSAGE;
      this.requestSnapshot();
      return;
    }
    this.c.snapshotsApplied++;
    this.state = SyncState.BRIDGING;
    let time = this.snapshotTime;
    const buf = this.buffer;
    const n = buf.size;
    let i = 0;
    let stop: Verdict = Verdict.APPLY;
    for (; i < n; i++) {
      const first = buf.firstId(i);
      const final = buf.finalId(i);
      const v =
        this.state === SyncState.BRIDGING
          ? this.rules.bridge(this.bookId, first, final)
          : this.rules.follow(this.bookId, first, final, buf.prevFinalId(i));
      if (v === Verdict.STALE) {
        this.c.stale++;
        this.listener.dropStale(first, final);
        continue;
      }
      if (v !== Verdict.APPLY) {
        stop = v;
        break;
      }
      for (let j = buf.levelStart(i), end = buf.levelEnd(i); j < end; j++) {
        if (this.sink.applyLevel(buf.levelSide(j) as Side, buf.levelPrice(j), buf.levelQty(j)) === LevelResult.REJECTED) this.corrupt = true;
      }
      this.state = SyncState.LIVE;
      this.bookId = final;
      time = buf.time(i);
      this.c.applied++;
    }
    const stopFirst = i < n ? buf.firstId(i) : 0;
    const stopPrev = i < n ? buf.prevFinalId(i) : 0;
    buf.consume(i);
    const live = stop === Verdict.APPLY && this.state === SyncState.LIVE;
    const uncrossed = this.sink.endBatch(this.bookId, time, live && !this.corrupt);
    if (stop === Verdict.TOO_OLD) {
      this.c.tooOld++;
      this.state = SyncState.RESYNCING;
      this.resyncReason = SnapshotReason.SNAPSHOT_TOO_OLD;
      this.requestSnapshot();
    } else if (stop === Verdict.GAP) {
      this.c.gaps++;
      this.listener.gap(this.rules.gapExpected(this.bookId), this.rules.gapReceived(stopFirst, stopPrev));
      this.state = SyncState.RESYNCING;
      this.resyncReason = SnapshotReason.GAP;
      this.requestSnapshot();
    } else {
      this.afterBatch(uncrossed);
    }
  }

  /** The io thread gave up on a requested snapshot (HTTP error, timeout): ask again. */
  snapshotFailed(): void {
    this.snapshotPending = false;
    if (this.state === SyncState.AWAITING_SNAPSHOT || this.state === SyncState.RESYNCING) {
      this.resyncReason = SnapshotReason.SNAPSHOT_FAILED;
      this.requestSnapshot();
    }
  }

  /** The stream reconnected: what was buffered or applied no longer chains to what comes. */
  streamReset(): void {
    if (this.diffOpen || this.inSnapshot) throw new BookError(BookErrorCode.BATCH_ORDER, 'streamReset while a diff or snapshot is open');
    this.snapshotPending = false;
    this.restart(SnapshotReason.STREAM_RESET);
  }

  counters(): BookSyncCounters {
    return { ...this.c };
  }

  /** Diffs currently buffered. */
  get bufferedMessages(): number {
    return this.buffer.size;
  }

  get isSnapshotPending(): boolean {
    return this.snapshotPending;
  }

  private stale(): DiffRoute {
    this.c.stale++;
    this.listener.dropStale(this.curFirst, this.curFinal);
    return (this.route = DiffRoute.DROP);
  }

  /** Buffers the current diff, first checking that it continues the buffered ones. */
  private toBuffer(): DiffRoute {
    const prevFinalId = this.curPrev;
    const buf = this.buffer;
    if (buf.size > 0) {
      const last = buf.lastFinalId();
      const v = this.rules.follow(last, this.curFirst, this.curFinal, prevFinalId);
      if (v === Verdict.STALE) return this.stale();
      if (v === Verdict.GAP) {
        // The buffered diffs cannot be bridged to anything after this one: start again here.
        this.c.gaps++;
        this.listener.gap(this.rules.gapExpected(last), this.rules.gapReceived(this.curFirst, prevFinalId));
        buf.clear();
        this.resyncReason = SnapshotReason.GAP;
      }
    }
    if (!buf.open(this.curFirst, this.curFinal, prevFinalId, this.curTime)) {
      this.overflow();
      return (this.route = DiffRoute.DROP);
    }
    return (this.route = DiffRoute.BUFFER);
  }

  private overflow(): void {
    this.c.overflows++;
    this.buffer.clear();
    this.state = SyncState.RESYNCING;
    this.resyncReason = SnapshotReason.BUFFER_OVERFLOW;
    this.route = DiffRoute.DROP;
  }

  private afterBatch(uncrossed: boolean): void {
    if (this.corrupt) {
      this.c.badMessages++;
      this.enterResync(SnapshotReason.BAD_MESSAGE);
    } else if (!uncrossed) {
      this.c.crossed++;
      this.enterResync(SnapshotReason.CROSSED);
    }
  }

  /** Invalidates the book and starts over from buffering; the next buffered diff asks for a snapshot. */
  private restart(reason: SnapshotReason): void {
    this.sink.markInvalid();
    this.enterResync(reason);
  }

  private enterResync(reason: SnapshotReason): void {
    this.state = SyncState.RESYNCING;
    this.resyncReason = reason;
    this.consecutiveStale = 0;
    this.buffer.clear();
  }

  private requestSnapshot(): void {
    if (this.snapshotPending) return;
    this.snapshotPending = true;
    this.c.snapshotRequests++;
    this.listener.requestSnapshot(this.resyncReason);
  }
}
