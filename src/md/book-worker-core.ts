/**
 * The book worker's duty cycle, free of thread plumbing so a benchmark can run it in one
 * thread: drain the md ring, drive each instrument's BinanceBookSync (which applies to
 * its SharedBookWriter), and publish on the book ring
 *
 *   BOOK_CHANGED  once per venue message that moved the book's seqlock version (after
 *                 the message's BATCH_END: one publish per message), VALID or INVALID,
 *                 SNAPSHOT when a snapshot rebuilt it, TOP_CHANGED when a best price moved;
 *   GAP           when the sync detects a sequence break (expected vs received id);
 *   TRADE / BBO   copied as they came.
 *
 * Snapshot requests go back to the io thread on the md control ring. Latency (receive
 * stamp → book published) of depth messages goes to a LatencyHistogram. Per-event work
 * allocates nothing: values are read as int32 words, ids and mantissas below 2^53 as
 * numbers (u53FromWords), and every callback is made once at start.
 */
import { SharedBookWriter } from '../book/shared-book-writer.js';
import type { ResolvedBookConfig } from '../book/book-config.js';
import { u53FromWords } from '../book/int64-words.js';
import { Side } from '../book/side.js';
import { BinanceBookSync, H_FINAL, H_FIRST, H_PREV, H_TIME, type BookSyncOptions } from '../book/sync/binance-book-sync.js';
import type { BookSyncListener } from '../book/sync/sync-types.js';
import type { BroadcastProducer } from '../core/ring/broadcast-producer.js';
import type { SpscConsumer } from '../core/ring/spsc-consumer.js';
import { BookFlag, EventType, MdFlag, Source } from '../core/schema/constants.js';
import { BOOK_CHANGED, MD_GAP, MD_LEVEL } from '../core/schema/offsets.js';
import type { LatencyHistogram } from '../core/metrics/histogram.js';
import { tryNative } from '../native/load-addon.js';
import { BookStat, ROW_CELLS } from './book-stats.js';
import type { MdSyncKind } from './md-venue.js';
import type { SnapshotRequestWriter } from './snapshot-requests.js';

const TWO32 = 4294967296;
const INT32_MIN = -2147483648;
/** BookChanged records published in one go at most, inside a long drain. */
const COMMIT_EVERY = 64;

// Word offsets inside a 64-byte md slot.
const W_INSTRUMENT = MD_LEVEL.instrument >> 2;
const W_SEQ = MD_LEVEL.seq >> 2;
const W_EXCH = MD_LEVEL.exchTimeNs >> 2;
const W_RECV = MD_LEVEL.recvTimeNs >> 2;
const W_PRICE = MD_LEVEL.price >> 2;
const W_QTY = MD_LEVEL.qty >> 2;
const W_FIRST = MD_LEVEL.firstSeq >> 2;
const W_PREV = MD_LEVEL.prevSeq >> 2;

// Word offsets inside a BOOK_CHANGED record.
const O_INSTRUMENT = BOOK_CHANGED.instrument >> 2;
const O_VERSION = BOOK_CHANGED.bookVersion >> 2;
const O_SEQ = BOOK_CHANGED.seq >> 2;
const O_EXCH = BOOK_CHANGED.exchTimeNs >> 2;
const O_RECV = BOOK_CHANGED.recvTimeNs >> 2;
const O_PUBLISH = BOOK_CHANGED.publishTimeNs >> 2;
const O_BID = BOOK_CHANGED.bidPrice >> 2;
const O_ASK = BOOK_CHANGED.askPrice >> 2;

/** One instrument's book as the worker holds it. */
export interface BookWorkerBook {
  readonly instrumentId: number;
  readonly config: ResolvedBookConfig;
  /** The directory's buffer for this instrument (laid out by the pipeline). */
  readonly buffer: SharedArrayBuffer;
}

/** Metric handles the core records into (all optional: benchmarks may run without). */
export interface BookWorkerMetrics {
  messages?: { inc(): void };
  changes?: { inc(): void };
  gaps?: { inc(): void };
  /** Indexed by SnapshotReason. */
  resyncs?: ReadonlyArray<{ inc(): void } | undefined>;
  snapshots?: { inc(): void };
  stale?: { inc(): void };
  crossed?: { add(n: number): void };
  forwarded?: { inc(): void };
  latency?: LatencyHistogram;
}

export interface BookWorkerCoreOptions {
  syncKind: MdSyncKind;
  books: readonly BookWorkerBook[];
  md: SpscConsumer;
  mdBuffer: SharedArrayBuffer;
  bookRing: BroadcastProducer;
  bookRingBuffer: SharedArrayBuffer;
  requests: SnapshotRequestWriter;
  /** BookStatsView cells (bookStatsBytes(maxInstrumentId)). */
  stats: Float64Array;
  metrics?: BookWorkerMetrics;
  sync?: Omit<BookSyncOptions, 'market'>;
  /** CLOCK_MONOTONIC ns minus performance.now() ns (default: monotonicBaseNs()). */
  clockBaseNs?: number;
}

class Book {
  readonly writer: SharedBookWriter;
  readonly sync: BinanceBookSync;
  readonly row: number;
  versionAtStart = 0;
  bidBefore = -1;
  askBefore = -1;
  crossedSeen = 0;

  constructor(
    readonly id: number,
    spec: BookWorkerBook,
    listener: BookSyncListener,
    options: BookSyncOptions,
  ) {
    this.writer = new SharedBookWriter(spec.config, spec.buffer);
    this.sync = new BinanceBookSync(this.writer, listener, options);
    this.row = id * ROW_CELLS;
  }
}

/**
 * What to add to performance.now() (in ns) to read CLOCK_MONOTONIC ns, the receive
 * stamps' clock, with no bigint per reading. Calibrated from the tightest of a few
 * hrtime brackets (the first calls of either clock can take a millisecond to warm up).
 */
export function monotonicBaseNs(): number {
  let best = Infinity;
  let base = 0;
  for (let i = 0; i < 64; i++) {
    const a = process.hrtime.bigint();
    const p = performance.now();
    const b = process.hrtime.bigint();
    const d = Number(b - a);
    if (d < best) {
      best = d;
      base = Number(a) + d / 2 - p * 1e6;
    }
  }
  return base;
}

export class BookWorkerCore {
  private readonly byId: (Book | undefined)[];
  private readonly books: Book[] = [];
  private readonly md: SpscConsumer;
  private readonly mdU8: Uint8Array;
  private readonly mdU16: Uint16Array;
  private readonly mdI32: Int32Array;
  private readonly mdU32: Uint32Array;
  private readonly out: BroadcastProducer;
  private readonly outU8: Uint8Array;
  private readonly outU16: Uint16Array;
  private readonly outI32: Int32Array;
  private readonly outU32: Uint32Array;
  private readonly requests: SnapshotRequestWriter;
  private readonly stats: Float64Array;
  private readonly m: BookWorkerMetrics;
  private readonly clockBase: number;
  /** The addon's allocation-free CLOCK_MONOTONIC reader into clockCell (null without the addon). */
  private readonly clockTick: (() => void) | null;
  private readonly clockCell = new Float64Array(1);
  private readonly usdm: boolean;
  /** The book whose diff is open (its message's levels are being read). */
  private open: Book | null = null;
  /** Word index of the md event being handled (listeners report from it). */
  private curWord = 0;
  private uncommitted = 0;
  readonly handler: (view: DataView, offset: number, endOfBatch: boolean) => void;

  constructor(o: BookWorkerCoreOptions) {
    this.usdm = o.syncKind === 'binance-usdm';
    if (!this.usdm && o.syncKind !== 'binance-spot') throw new RangeError(`unknown book sync kind ${String(o.syncKind)}`);
    this.md = o.md;
    this.mdU8 = new Uint8Array(o.mdBuffer);
    this.mdU16 = new Uint16Array(o.mdBuffer);
    this.mdI32 = new Int32Array(o.mdBuffer);
    this.mdU32 = new Uint32Array(o.mdBuffer);
    this.out = o.bookRing;
    this.outU8 = new Uint8Array(o.bookRingBuffer);
    this.outU16 = new Uint16Array(o.bookRingBuffer);
    this.outI32 = new Int32Array(o.bookRingBuffer);
    this.outU32 = new Uint32Array(o.bookRingBuffer);
    this.requests = o.requests;
    this.stats = o.stats;
    this.m = o.metrics ?? {};
    this.clockBase = o.clockBaseNs ?? monotonicBaseNs();
    const addon = tryNative().addon;
    this.clockTick = addon && typeof addon.monotonicClock === 'function' ? addon.monotonicClock(this.clockCell) : null;
    const maxId = o.books.reduce((a, b) => Math.max(a, b.instrumentId), 0);
    if ((maxId + 1) * ROW_CELLS > o.stats.length) throw new RangeError(`book stats hold ${o.stats.length / ROW_CELLS - 1} instruments, need ${maxId}`);
    this.byId = new Array<Book | undefined>(maxId + 1).fill(undefined);
    const syncOptions: BookSyncOptions = { ...o.sync, market: this.usdm ? 'usdm' : 'spot' };
    for (const spec of o.books) {
      if (this.byId[spec.instrumentId]) throw new RangeError(`instrument ${spec.instrumentId} has two books`);
      let self: Book | null = null;
      const listener: BookSyncListener = {
        requestSnapshot: (reason) => this.onRequest(self!, reason),
        gap: (expected, received) => this.onGap(self!, expected, received),
        dropStale: () => this.onStale(self!),
      };
      self = new Book(spec.instrumentId, spec, listener, syncOptions);
      this.byId[spec.instrumentId] = self;
      this.books.push(self);
      this.stats[self.row + BookStat.STATE] = self.sync.state;
    }
    this.handler = (_view, offset, endOfBatch) => this.onEvent(offset, endOfBatch);
  }

  /** One duty cycle: drains the md ring, publishes; returns the events read (or RingStatus.CLOSED). */
  poll(): number {
    const n = this.md.poll(this.handler);
    this.requests.flush();
    return n;
  }

  idle(workCount: number): void {
    this.md.idle(workCount);
  }

  /** The writer of an instrument's book (tests, tools). */
  writerOf(instrumentId: number): SharedBookWriter | undefined {
    return this.byId[instrumentId]?.writer;
  }

  syncOf(instrumentId: number): BinanceBookSync | undefined {
    return this.byId[instrumentId]?.sync;
  }

  private onEvent(offset: number, endOfBatch: boolean): void {
    const w = offset >> 2;
    this.curWord = w;
    const type = this.mdU8[offset]!;
    const inst = this.mdU32[w + W_INSTRUMENT]!;
    const stats = this.stats;
    stats[BookStat.EVENTS]!++;
    const b = inst < this.byId.length ? this.byId[inst] : undefined;
    if (b === undefined) {
      stats[BookStat.UNKNOWN]!++;
    } else {
      switch (type) {
        case EventType.LEVEL_BID:
        case EventType.LEVEL_ASK:
          this.level(b, w, type === EventType.LEVEL_BID ? Side.BID : Side.ASK);
          break;
        case EventType.SEQ_ADVANCE:
          this.beginDiff(b, w);
          this.endDiff(b, w);
          break;
        case EventType.SNAPSHOT_BEGIN:
          this.beginMessage(b);
          if (b.sync.beginSnapshot(this.u53(w + W_SEQ), this.exchMs(w))) {
            stats[b.row + BookStat.SNAPSHOTS]!++;
            stats[BookStat.SNAPSHOTS]!++;
            this.m.snapshots?.inc();
          }
          break;
        case EventType.SNAPSHOT_END:
          b.sync.endSnapshot();
          this.endMessage(b, w, Source.VENUE_SNAPSHOT, BookFlag.SNAPSHOT);
          break;
        case EventType.BOOK_CLEAR:
          this.beginMessage(b);
          b.sync.streamReset();
          this.endMessage(b, w, Source.ENGINE, 0);
          break;
        case EventType.TRADE:
        case EventType.BBO:
          this.forward(b, w);
          break;
        default:
          stats[BookStat.UNKNOWN]!++;
      }
    }
    if (endOfBatch || this.uncommitted >= COMMIT_EVERY) {
      this.out.commit();
      this.uncommitted = 0;
    }
  }

  private level(b: Book, w: number, side: Side): void {
    const u32 = this.mdU32;
    const price = u53FromWords(u32[w + W_PRICE]!, u32[w + W_PRICE + 1]!);
    const qty = u53FromWords(u32[w + W_QTY]!, u32[w + W_QTY + 1]!);
    if (this.mdU8[(w << 2) + MD_LEVEL.source] === Source.VENUE_SNAPSHOT) {
      b.sync.snapshotLevel(side, price, qty);
      return;
    }
    if (this.open !== b) this.beginDiff(b, w);
    b.sync.level(side, price, qty);
    if ((this.mdU16[((w << 2) + MD_LEVEL.flags) >> 1]! & MdFlag.BATCH_END) !== 0) this.endDiff(b, w);
  }

  private beginMessage(b: Book): void {
    const wr = b.writer;
    b.versionAtStart = wr.currentVersion;
    b.bidBefore = wr.bestBid;
    b.askBefore = wr.bestAsk;
  }

  private beginDiff(b: Book, w: number): void {
    this.beginMessage(b);
    this.open = b;
    // Ids and times go through the sync's header: passed as arguments, numbers above
    // 2^31 would be boxed on the heap at every call V8 does not inline.
    const h = b.sync.header;
    const u32 = this.mdU32;
    let lo = u32[w + W_FIRST]!;
    let hi = u32[w + W_FIRST + 1]!;
    h[H_FIRST] = hi < 0x200000 ? lo + hi * TWO32 : -1;
    lo = u32[w + W_SEQ]!;
    hi = u32[w + W_SEQ + 1]!;
    h[H_FINAL] = hi < 0x200000 ? lo + hi * TWO32 : -1;
    if (this.usdm) {
      lo = u32[w + W_PREV]!;
      hi = u32[w + W_PREV + 1]!;
      h[H_PREV] = hi < 0x200000 ? lo + hi * TWO32 : -1;
    } else {
      h[H_PREV] = -1;
    }
    const tlo = u32[w + W_EXCH]!;
    const thi = this.mdI32[w + W_EXCH + 1]!;
    const ms = thi === INT32_MIN && tlo === 0 ? 0 : Math.round((thi * TWO32 + tlo) / 1e6);
    h[H_TIME] = ms > 0 ? ms : 0;
    b.sync.beginDiffFromHeader();
  }

  private endDiff(b: Book, w: number): void {
    b.sync.endDiff();
    this.endMessage(b, w, Source.VENUE_STREAM, 0);
  }

  private endMessage(b: Book, w: number, source: number, flags: number): void {
    this.open = null;
    const stats = this.stats;
    const wr = b.writer;
    stats[b.row + BookStat.MESSAGES]!++;
    stats[BookStat.MESSAGES]!++;
    stats[b.row + BookStat.STATE] = b.sync.state;
    this.m.messages?.inc();
    const crossed = wr.crossed;
    if (crossed !== b.crossedSeen) {
      const d = crossed - b.crossedSeen;
      b.crossedSeen = crossed;
      stats[b.row + BookStat.CROSSED]! += d;
      stats[BookStat.CROSSED]! += d;
      this.m.crossed?.add(d);
    }
    if (wr.currentVersion !== b.versionAtStart) this.publishChange(b, w, source, flags);
  }

  private publishChange(b: Book, w: number, source: number, extraFlags: number): void {
    const wr = b.writer;
    const bid = wr.bestBid;
    const ask = wr.bestAsk;
    let flags = extraFlags | (wr.isValid ? BookFlag.VALID : BookFlag.INVALID);
    if (bid !== b.bidBefore || ask !== b.askBefore) flags |= BookFlag.TOP_CHANGED;
    // Numbers above 2^31 are split into words here, not handed to helpers (a call V8
    // does not inline would box them on the heap); for the same reason the clock is read
    // into a typed array (performance.now() costs a heap number per call here).
    let now: number;
    if (this.clockTick !== null) {
      this.clockTick();
      now = this.clockCell[0]!;
    } else {
      now = performance.now() * 1e6 + this.clockBase;
    }
    const at = this.out.claim();
    const o = at >> 2;
    const ou32 = this.outU32;
    const oi32 = this.outI32;
    const in32 = this.mdI32;
    // Every one of the record's 16 words is written below, so no clearing first.
    this.outU8[at + BOOK_CHANGED.type] = EventType.BOOK_CHANGED;
    this.outU8[at + BOOK_CHANGED.source] = source;
    this.outU16[(at + BOOK_CHANGED.flags) >> 1] = flags;
    ou32[o + O_INSTRUMENT] = b.id;
    const version = wr.currentVersion;
    ou32[o + O_VERSION] = version >>> 0;
    ou32[o + O_VERSION + 1] = (version - (version >>> 0)) / TWO32;
    const seq = b.sync.bookId;
    if (seq >= 0) {
      ou32[o + O_SEQ] = seq >>> 0;
      ou32[o + O_SEQ + 1] = (seq - (seq >>> 0)) / TWO32;
    } else {
      ou32[o + O_SEQ] = 0xffffffff;
      ou32[o + O_SEQ + 1] = 0xffffffff;
    }
    // Exchange and receive time: the md header's words as they are.
    oi32[o + O_EXCH] = in32[w + W_EXCH]!;
    oi32[o + O_EXCH + 1] = in32[w + W_EXCH + 1]!;
    oi32[o + O_RECV] = in32[w + W_RECV]!;
    oi32[o + O_RECV + 1] = in32[w + W_RECV + 1]!;
    const pub = Math.floor(now);
    ou32[o + O_PUBLISH] = pub >>> 0;
    ou32[o + O_PUBLISH + 1] = (pub - (pub >>> 0)) / TWO32;
    if (bid < 0) {
      oi32[o + O_BID] = 0;
      oi32[o + O_BID + 1] = INT32_MIN;
    } else {
      ou32[o + O_BID] = bid >>> 0;
      ou32[o + O_BID + 1] = (bid - (bid >>> 0)) / TWO32;
    }
    if (ask < 0) {
      oi32[o + O_ASK] = 0;
      oi32[o + O_ASK + 1] = INT32_MIN;
    } else {
      ou32[o + O_ASK] = ask >>> 0;
      ou32[o + O_ASK + 1] = (ask - (ask >>> 0)) / TWO32;
    }
    this.uncommitted++;
    this.stats[b.row + BookStat.CHANGES]!++;
    this.stats[BookStat.CHANGES]!++;
    this.m.changes?.inc();
    const latency = this.m.latency;
    if (source === Source.VENUE_STREAM && latency) latency.record(now - (in32[w + W_RECV + 1]! * TWO32 + this.mdU32[w + W_RECV]!));
  }

  private forward(b: Book, w: number): void {
    const at = this.out.claim();
    const o = at >> 2;
    const src = this.mdI32;
    const dst = this.outI32;
    for (let i = 0; i < 16; i++) dst[o + i] = src[w + i]!;
    this.uncommitted++;
    this.stats[b.row + BookStat.FORWARDED]!++;
    this.stats[BookStat.FORWARDED]!++;
    this.m.forwarded?.inc();
  }

  private onRequest(b: Book, reason: number): void {
    this.requests.request(b.id, reason);
    this.stats[b.row + BookStat.RESYNCS]!++;
    this.stats[BookStat.RESYNCS]!++;
    this.m.resyncs?.[reason]?.inc();
  }

  private onGap(b: Book, expected: number, received: number): void {
    const w = this.curWord;
    const at = this.out.claim();
    const o = at >> 2;
    const ou32 = this.outU32;
    ou32.fill(0, o, o + 16);
    this.outU8[at + MD_GAP.type] = EventType.GAP;
    this.outU8[at + MD_GAP.source] = Source.VENUE_STREAM;
    ou32[o + (MD_GAP.instrument >> 2)] = b.id;
    // The md header (seq, exchange and receive time) sits at the same offsets in MdGap.
    copyWords(this.mdI32, w + W_SEQ, this.outI32, o + (MD_GAP.seq >> 2), 6);
    putU53(ou32, o + (MD_GAP.expectedSeq >> 2), expected >= 0 ? expected : 0);
    putU53(ou32, o + (MD_GAP.receivedSeq >> 2), received >= 0 ? received : 0);
    this.uncommitted++;
    this.stats[b.row + BookStat.GAPS]!++;
    this.stats[BookStat.GAPS]!++;
    this.m.gaps?.inc();
  }

  private onStale(b: Book): void {
    this.stats[b.row + BookStat.STALE]!++;
    this.stats[BookStat.STALE]!++;
    this.m.stale?.inc();
  }

  /** A u64 field as a number, -1 when it does not fit 53 bits (SEQ_UNDEF included). */
  private u53(word: number): number {
    return u53FromWords(this.mdU32[word]!, this.mdU32[word + 1]!);
  }

  /** Venue time of the event in ms (0 when absent), for the book's exchange-time field. */
  private exchMs(w: number): number {
    const lo = this.mdU32[w + W_EXCH]!;
    const hi = this.mdI32[w + W_EXCH + 1]!;
    if (hi === INT32_MIN && lo === 0) return 0;
    const ms = Math.round((hi * TWO32 + lo) / 1e6);
    return ms > 0 ? ms : 0;
  }
}

function copyWords(src: Int32Array, from: number, dst: Int32Array, to: number, n: number): void {
  for (let i = 0; i < n; i++) dst[to + i] = src[from + i]!;
}

/** Gap reports are rare: a helper is fine here. */
function putU53(u32: Uint32Array, i: number, v: number): void {
  const lo = v >>> 0;
  u32[i] = lo;
  u32[i + 1] = (v - lo) / TWO32;
}

