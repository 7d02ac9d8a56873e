/**
 * Lock-free reader of a shared book, usable from any thread that holds the buffer.
 * Every read is a seqlock read: load VERSION (must be even), copy, load VERSION again;
 * a change means a batch ran meanwhile, so the copy is dropped and retried, at most
 * `maxRetries` times. A read that runs out of retries returns false (and is counted):
 * it never returns torn data, and it never waits on the writer.
 */
import {
  BOOK_MAGIC,
  C_BATCHES,
  C_CROSSED,
  C_DROPPED_FAR,
  C_INVALIDATIONS,
  C_LEVELS,
  C_REJECTED,
  LayoutKind,
  META_COUNT,
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
  W_VALID,
  W_VERSION,
  sideRegions,
} from './book-descriptor.js';
import type { BookLevels, TopOfBook } from './book-levels.js';
import { BookError, BookErrorCode } from './errors.js';
import { TWO32, readU53 } from './int64-words.js';
import type { SideCopier } from './store/side-store.js';
import { copySortedTop } from './store/sorted-side.js';
import { copyWindowTop } from './store/window-side.js';

export const DEFAULT_READ_RETRIES = 256;

export interface BookCounters {
  batches: number;
  levels: number;
  droppedFar: number;
  rejected: number;
  crossed: number;
  invalidations: number;
}

export class SharedBookReader {
  readonly buffer: SharedArrayBuffer;
  readonly layout: LayoutKind;
  /** sorted: max levels per side; window: window width in ticks. */
  readonly capacity: number;
  readonly maxRetries: number;
  /** Reads that gave up after maxRetries (the writer kept publishing). */
  busy = 0;
  /** Copies discarded because the version moved. */
  retries = 0;
  private readonly i32: Int32Array;
  private readonly w: Uint32Array;
  private readonly slots: number;
  private readonly bidRegion: number;
  private readonly askRegion: number;
  private readonly copy: SideCopier;
  private readonly one: Uint32Array = new Uint32Array(4);

  constructor(buffer: SharedArrayBuffer, maxRetries = DEFAULT_READ_RETRIES) {
    if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength < W_COUNTERS * 4) {
      throw new BookError(BookErrorCode.LAYOUT, 'not a shared book: expected a SharedArrayBuffer made by SharedBookWriter');
    }
    this.buffer = buffer;
    this.i32 = new Int32Array(buffer);
    this.w = new Uint32Array(buffer);
    const w = this.w;
    if (w[W_MAGIC] !== BOOK_MAGIC) throw new BookError(BookErrorCode.LAYOUT, `not a shared book: magic ${w[W_MAGIC]}`);
    const layout = w[W_LAYOUT];
    if (layout !== LayoutKind.SORTED && layout !== LayoutKind.WINDOW) {
      throw new BookError(BookErrorCode.LAYOUT, `unknown book layout ${layout}`);
    }
    this.layout = layout;
    this.capacity = w[W_CAPACITY]!;
    this.slots = w[W_SLOTS]!;
    const regions = sideRegions(layout, this.slots);
    this.bidRegion = regions.bidRegion;
    this.askRegion = regions.askRegion;
    if (regions.totalBytes > buffer.byteLength) {
      throw new BookError(BookErrorCode.LAYOUT, `shared book of ${buffer.byteLength} bytes is too small for ${this.slots} slots`);
    }
    this.copy = layout === LayoutKind.SORTED ? copySortedTop : copyWindowTop;
    this.maxRetries = maxRetries;
  }

  /** Current seqlock version (even = stable). Strategies compare it to skip unchanged books. */
  version(): number {
    return Atomics.load(this.i32, W_VERSION);
  }

  /** Copies the best `depth` levels per side (depth <= out.depth) with the book state. */
  readTop(depth: number, out: BookLevels): boolean {
    const n = depth < out.depth ? depth : out.depth;
    const w = this.w;
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      const v1 = Atomics.load(this.i32, W_VERSION);
      if ((v1 & 1) !== 0) {
        this.retries++;
        continue;
      }
      const nb = this.copy(w, W_BID_META, this.bidRegion, this.slots, n, out.bidWords, 0);
      const na = this.copy(w, W_ASK_META, this.askRegion, this.slots, n, out.askWords, 0);
      const valid = w[W_VALID]! === 1;
      const flags = w[W_FLAGS]!;
      const id = w[W_LAST_UPDATE_ID]! + w[W_LAST_UPDATE_ID + 1]! * TWO32;
      const time = w[W_EXCHANGE_TIME]! + w[W_EXCHANGE_TIME + 1]! * TWO32;
      if (Atomics.load(this.i32, W_VERSION) !== v1 || nb < 0 || na < 0) {
        this.retries++;
        continue;
      }
      out.bidCount = nb;
      out.askCount = na;
      out.valid = valid;
      out.flags = flags;
      out.version = v1;
      out.lastUpdateId = id;
      out.exchangeTime = time;
      return true;
    }
    this.busy++;
    return false;
  }

  /** Copies every stored level (out.depth must cover the levels held; extra levels are cut). */
  readFull(out: BookLevels): boolean {
    return this.readTop(out.depth, out);
  }

  /** Best bid and ask with the book state, O(1) for the sorted layout. */
  readBest(out: TopOfBook): boolean {
    const w = this.w;
    const one = this.one;
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      const v1 = Atomics.load(this.i32, W_VERSION);
      if ((v1 & 1) !== 0) {
        this.retries++;
        continue;
      }
      const nb = this.copy(w, W_BID_META, this.bidRegion, this.slots, 1, one, 0);
      const bidPrice = nb === 1 ? one[0]! + one[1]! * TWO32 : -1;
      const bidQty = nb === 1 ? one[2]! + one[3]! * TWO32 : 0;
      const na = this.copy(w, W_ASK_META, this.askRegion, this.slots, 1, one, 0);
      const askPrice = na === 1 ? one[0]! + one[1]! * TWO32 : -1;
      const askQty = na === 1 ? one[2]! + one[3]! * TWO32 : 0;
      const valid = w[W_VALID]! === 1;
      const id = w[W_LAST_UPDATE_ID]! + w[W_LAST_UPDATE_ID + 1]! * TWO32;
      const time = w[W_EXCHANGE_TIME]! + w[W_EXCHANGE_TIME + 1]! * TWO32;
      if (Atomics.load(this.i32, W_VERSION) !== v1 || nb < 0 || na < 0) {
        this.retries++;
        continue;
      }
      out.bidPrice = bidPrice;
      out.bidQty = bidQty;
      out.askPrice = askPrice;
      out.askQty = askQty;
      out.valid = valid;
      out.version = v1;
      out.lastUpdateId = id;
      out.exchangeTime = time;
      return true;
    }
    this.busy++;
    return false;
  }

  /** Level counts per side, read consistently; null when busy. */
  levelCounts(): { bids: number; asks: number } | null {
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      const v1 = Atomics.load(this.i32, W_VERSION);
      if ((v1 & 1) !== 0) continue;
      const bids = this.w[W_BID_META + META_COUNT]!;
      const asks = this.w[W_ASK_META + META_COUNT]!;
      if (Atomics.load(this.i32, W_VERSION) === v1) return { bids, asks };
    }
    return null;
  }

  /** Writer counters as of the last published batch; null when busy. */
  counters(): BookCounters | null {
    const w = this.w;
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      const v1 = Atomics.load(this.i32, W_VERSION);
      if ((v1 & 1) !== 0) continue;
      const c: BookCounters = {
        batches: readU53(w, W_COUNTERS + C_BATCHES),
        levels: readU53(w, W_COUNTERS + C_LEVELS),
        droppedFar: readU53(w, W_COUNTERS + C_DROPPED_FAR),
        rejected: readU53(w, W_COUNTERS + C_REJECTED),
        crossed: readU53(w, W_COUNTERS + C_CROSSED),
        invalidations: readU53(w, W_COUNTERS + C_INVALIDATIONS),
      };
      if (Atomics.load(this.i32, W_VERSION) === v1) return c;
    }
    return null;
  }
}
