/**
 * The single writer of a shared L2 book (the book worker). Each venue message is one
 * batch inside a seqlock:
 *
 *   beginBatch:  VERSION := v + 1 (odd)  — Atomics.store, a full fence on x86 (xchg)
 *   applyLevel…  plain typed-array stores into the side regions
 *   endBatch:    side meta, VALID/FLAGS, ids, counters; VERSION := v + 2 (even)
 *
 * Readers (shared-book-reader.ts) copy between two Atomics.load of VERSION and retry
 * if it changed or was odd. Atomics operations are sequentially consistent and V8 does
 * not move plain typed-array accesses across them, so a reader that sees the same even
 * version twice saw no store of a batch in between. The stress test in
 * test/book/book-concurrency.test.ts checks this with a second thread.
 *
 * Values: prices and quantities are passed as numbers holding integer mantissas in
 * [0, 2^53). Chosen over (hi, lo) pairs and over BigInt64Array slots because the
 * comparison in the search is then one double compare, the call takes two arguments
 * instead of four, and nothing allocates (a BigInt64Array read allocates a BigInt).
 * Instruments whose scaled values could reach 2^53 are refused at this boundary
 * (LevelResult.REJECTED, counted); see bench/book-apply.ts for the measured cost.
 */
import { resolveBookConfig, type BookConfig, type ResolvedBookConfig } from './book-config.js';
import {
  BOOK_MAGIC,
  BookFlag,
  C_BATCHES,
  C_CROSSED,
  C_DROPPED_FAR,
  C_INVALIDATIONS,
  C_LEVELS,
  C_REJECTED,
  LayoutKind,
  W_ASK_META,
  W_BID_META,
  W_CAPACITY,
  W_COUNTERS,
  W_EXCHANGE_TIME,
  W_FLAGS,
  W_LAST_UPDATE_ID,
  W_LAYOUT,
  W_MAGIC,
  W_SLOTS,
  W_TICK,
  W_VALID,
  W_VERSION,
  bookGeometry,
  type BookGeometry,
} from './book-descriptor.js';
import type { BookSink } from './book-sink.js';
import { BookError, BookErrorCode } from './errors.js';
import { MAX_U53, readU53, writeU53 } from './int64-words.js';
import { LevelResult, Side } from './side.js';
import type { SideStore } from './store/side-store.js';
import { SortedSide } from './store/sorted-side.js';
import { WindowSide } from './store/window-side.js';

export class SharedBookWriter implements BookSink {
  readonly buffer: SharedArrayBuffer;
  readonly config: ResolvedBookConfig;
  readonly geometry: BookGeometry;
  private readonly i32: Int32Array;
  private readonly w: Uint32Array;
  private readonly bids: SideStore;
  private readonly asks: SideStore;
  private version = 0;
  private inBatch = false;
  private valid = false;
  private lastUpdateId = 0;
  private exchangeTime = 0;
  private batches = 0;
  private levels = 0;
  private rejectedLevels = 0;
  private crossedBatches = 0;
  private invalidations = 0;

  /**
   * A writer over a new buffer, or over the `buffer` of an earlier writer of the same
   * config: the book worker takes over books the main thread laid out (so readers could
   * attach before the worker ran), and a restarted worker takes over its predecessor's.
   * An existing book is re-laid out and cleared inside one seqlock batch, its version
   * continuing, so a reader never sees the change half done.
   */
  constructor(config?: BookConfig, buffer?: SharedArrayBuffer) {
    this.config = resolveBookConfig(config);
    this.geometry = bookGeometry(this.config);
    const g = this.geometry;
    if (buffer !== undefined && (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength !== g.totalBytes)) {
      throw new BookError(
        BookErrorCode.CONFIG,
        `book buffer must be a SharedArrayBuffer of ${g.totalBytes} bytes for this config, got ${buffer instanceof SharedArrayBuffer ? `${buffer.byteLength} bytes` : typeof buffer}`,
      );
    }
    this.buffer = buffer ?? new SharedArrayBuffer(g.totalBytes);
    this.i32 = new Int32Array(this.buffer);
    this.w = new Uint32Array(this.buffer);
    const w = this.w;
    if (buffer !== undefined) {
      // Readers may be attaching right now (their constructor checks the static header
      // without the seqlock): keep the header, which must describe this very layout.
      if (w[W_MAGIC] === BOOK_MAGIC && (w[W_LAYOUT] !== g.kind || w[W_CAPACITY] !== g.capacity || w[W_SLOTS] !== g.slots || readU53(w, W_TICK) !== this.config.tickMantissa)) {
        throw new BookError(BookErrorCode.CONFIG, 'book buffer was laid out for another book config; a writer takes over only a book of its own config');
      }
      const prior = Atomics.load(this.i32, W_VERSION);
      this.version = (prior + 1) | 1;
      Atomics.store(this.i32, W_VERSION, this.version);
      w.fill(0, W_VALID);
    }
    w[W_MAGIC] = BOOK_MAGIC;
    w[W_LAYOUT] = g.kind;
    w[W_CAPACITY] = g.capacity;
    w[W_SLOTS] = g.slots;
    writeU53(w, W_TICK, this.config.tickMantissa);
    if (g.kind === LayoutKind.SORTED) {
      this.bids = new SortedSide(w, g.bidRegion, W_BID_META, g.slots, g.capacity, true);
      this.asks = new SortedSide(w, g.askRegion, W_ASK_META, g.slots, g.capacity, false);
    } else {
      this.bids = new WindowSide(w, g.bidRegion, g.bitmapOffset, W_BID_META, g.slots, this.config.tickMantissa, true);
      this.asks = new WindowSide(w, g.askRegion, g.bitmapOffset, W_ASK_META, g.slots, this.config.tickMantissa, false);
    }
    this.bids.publish();
    this.asks.publish();
    w[W_FLAGS] = BookFlag.SYNCING;
    if (buffer !== undefined) this.version++;
    Atomics.store(this.i32, W_VERSION, this.version);
  }

  beginBatch(): void {
    if (this.inBatch) throw new BookError(BookErrorCode.BATCH_ORDER, 'beginBatch inside an open batch');
    this.inBatch = true;
    Atomics.store(this.i32, W_VERSION, ++this.version);
  }

  clearBook(): void {
    if (!this.inBatch) throw new BookError(BookErrorCode.BATCH_ORDER, 'clearBook outside a batch');
    this.bids.clear();
    this.asks.clear();
  }

  applyLevel(side: Side, price: number, qty: number): LevelResult {
    if (!this.inBatch) throw new BookError(BookErrorCode.BATCH_ORDER, 'applyLevel outside a batch');
    if (!(price > 0 && price <= MAX_U53 && qty >= 0 && qty <= MAX_U53 && Math.floor(price) === price && Math.floor(qty) === qty)) {
      this.rejectedLevels++;
      return LevelResult.REJECTED;
    }
    this.levels++;
    return side === Side.BID ? this.bids.set(price, qty) : this.asks.set(price, qty);
  }

  endBatch(lastUpdateId: number, exchangeTime: number, valid: boolean): boolean {
    if (!this.inBatch) throw new BookError(BookErrorCode.BATCH_ORDER, 'endBatch without beginBatch');
    const bid = this.bids.bestPrice();
    const ask = this.asks.bestPrice();
    const crossed = bid >= 0 && ask >= 0 && bid >= ask;
    if (crossed) this.crossedBatches++;
    this.lastUpdateId = lastUpdateId;
    this.exchangeTime = exchangeTime;
    this.setValidity(valid && !crossed, crossed);
    this.publish();
    return !crossed;
  }

  markInvalid(): void {
    if (this.inBatch) throw new BookError(BookErrorCode.BATCH_ORDER, 'markInvalid inside an open batch');
    if (!this.valid && this.w[W_FLAGS] !== 0) return;
    Atomics.store(this.i32, W_VERSION, ++this.version);
    this.inBatch = true;
    this.setValidity(false, false);
    this.publish();
  }

  private setValidity(valid: boolean, crossed: boolean): void {
    if (this.valid && !valid) this.invalidations++;
    this.valid = valid;
    this.w[W_VALID] = valid ? 1 : 0;
    this.w[W_FLAGS] = valid ? 0 : crossed ? BookFlag.CROSSED | BookFlag.SYNCING : BookFlag.SYNCING;
  }

  private publish(): void {
    const w = this.w;
    this.bids.publish();
    this.asks.publish();
    writeU53(w, W_LAST_UPDATE_ID, this.lastUpdateId);
    writeU53(w, W_EXCHANGE_TIME, this.exchangeTime);
    this.batches++;
    writeU53(w, W_COUNTERS + C_BATCHES, this.batches);
    writeU53(w, W_COUNTERS + C_LEVELS, this.levels);
    writeU53(w, W_COUNTERS + C_DROPPED_FAR, this.bids.droppedFar + this.asks.droppedFar);
    writeU53(w, W_COUNTERS + C_REJECTED, this.rejectedLevels + this.bids.rejected + this.asks.rejected);
    writeU53(w, W_COUNTERS + C_CROSSED, this.crossedBatches);
    writeU53(w, W_COUNTERS + C_INVALIDATIONS, this.invalidations);
    this.inBatch = false;
    Atomics.store(this.i32, W_VERSION, ++this.version);
  }

  get isValid(): boolean {
    return this.valid;
  }
  /** Best bid price mantissa, or -1 when the side is empty (the writer's own view, no seqlock). */
  get bestBid(): number {
    return this.bids.bestPrice();
  }
  /** Best ask price mantissa, or -1 when the side is empty. */
  get bestAsk(): number {
    return this.asks.bestPrice();
  }
  get bidCount(): number {
    return this.bids.count;
  }
  get askCount(): number {
    return this.asks.count;
  }
  get droppedFar(): number {
    return this.bids.droppedFar + this.asks.droppedFar;
  }
  get rejected(): number {
    return this.rejectedLevels + this.bids.rejected + this.asks.rejected;
  }
  get crossed(): number {
    return this.crossedBatches;
  }
  get currentVersion(): number {
    return this.version;
  }
}
