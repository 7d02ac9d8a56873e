/**
 * Owner of every offset in a shared book. Nothing else does offset arithmetic on the
 * SharedArrayBuffer; writer, reader and side stores take their word indices from here.
 *
 *   byte 0    ┌ line 0: VERSION (Int32, seqlock: odd = batch in progress) ──────────┐
 *   byte 64   ├ line 1: static, written once: MAGIC, LAYOUT, CAPACITY, SLOTS, TICK  │
 *   byte 128  ├ line 2: published (inside the seqlock): VALID, FLAGS,               │
 *             │         LAST_UPDATE_ID u64, EXCHANGE_TIME u64                       │
 *   byte 160  │         bid side meta: COUNT, START, BEST_TICK u64, EDGE_TICK u64   │
 *   byte 192  │         ask side meta: same                                         │
 *   byte 256  ├ line 4: counters (monotonic, single writer, published per batch)    │
 *   byte 320  ├ bid region ─ sorted: SLOTS records of 16 bytes                      │
 *             │              [price lo | price hi | qty lo | qty hi]                │
 *             │              ascending by "goodness", best level LAST               │
 *             │            ─ window: SLOTS int64 quantities, slot = tick & (W-1),   │
 *             │              then a bitmap of occupied slots (SLOTS / 32 words)     │
 *             └ ask region ─ same shape ────────────────────────────────────────────┘
 *
 * VERSION sits alone on its cache line: it is the only word readers poll.
 */
import type { ResolvedBookConfig } from './book-config.js';

export const BOOK_MAGIC = 0x4b4f4f42; // "BOOK"

export const LayoutKind = { SORTED: 1, WINDOW: 2 } as const;
export type LayoutKind = (typeof LayoutKind)[keyof typeof LayoutKind];

/** Word (Uint32/Int32) indices. */
export const W_VERSION = 0;
export const W_MAGIC = 16;
export const W_LAYOUT = 17;
/** sorted: maxLevels; window: windowTicks. */
export const W_CAPACITY = 18;
/** Record slots per side in the region. */
export const W_SLOTS = 19;
export const W_TICK = 20; // u64
export const W_VALID = 32;
export const W_FLAGS = 33;
export const W_LAST_UPDATE_ID = 34; // u64
export const W_EXCHANGE_TIME = 36; // u64
export const W_BID_META = 40;
export const W_ASK_META = 48;
/** Offsets inside a side meta block. */
export const META_COUNT = 0;
export const META_START = 1;
export const META_BEST_TICK = 2; // u64
export const META_EDGE_TICK = 4; // u64
export const W_COUNTERS = 64;
/** Counter words (u64 each, offsets from W_COUNTERS). */
export const C_BATCHES = 0;
export const C_LEVELS = 2;
export const C_DROPPED_FAR = 4;
export const C_REJECTED = 6;
export const C_CROSSED = 8;
export const C_INVALIDATIONS = 10;
export const W_REGION = 80;

/** FLAGS bits: why the book is not valid (VALID is 1 only when FLAGS is 0). */
export const BookFlag = {
  /** The sync layer does not vouch for the book (initial, buffering, resync, gap). */
  SYNCING: 1,
  /** Best bid >= best ask after a batch: the book is corrupt until resynced. */
  CROSSED: 2,
} as const;

export const SORTED_RECORD_WORDS = 4;
export const WINDOW_SLOT_WORDS = 2;

export interface BookGeometry {
  kind: LayoutKind;
  capacity: number;
  slots: number;
  recordWords: number;
  bitmapOffset: number;
  bidRegion: number;
  askRegion: number;
  totalBytes: number;
}

/** Where the two side regions lie for a layout with `slots` records per side. */
export function sideRegions(
  kind: LayoutKind,
  slots: number,
): { recordWords: number; bitmapOffset: number; bidRegion: number; askRegion: number; totalBytes: number } {
  const recordWords = kind === LayoutKind.SORTED ? SORTED_RECORD_WORDS : WINDOW_SLOT_WORDS;
  // The window keeps one occupancy bit per slot after its quantities (slots is a power of two >= 32).
  const bitmapOffset = slots * recordWords;
  const sideWords = bitmapOffset + (kind === LayoutKind.WINDOW ? slots >>> 5 : 0);
  return { recordWords, bitmapOffset, bidRegion: W_REGION, askRegion: W_REGION + sideWords, totalBytes: (W_REGION + 2 * sideWords) * 4 };
}

/** Sizes a book: sorted keeps 2 × maxLevels slots per side (slack for cheap inserts at both ends). */
export function bookGeometry(config: ResolvedBookConfig): BookGeometry {
  const sorted = config.layout === 'sorted';
  const kind = sorted ? LayoutKind.SORTED : LayoutKind.WINDOW;
  const capacity = sorted ? config.maxLevels : config.windowTicks;
  const slots = sorted ? 2 * config.maxLevels : config.windowTicks;
  return { kind, capacity, slots, ...sideRegions(kind, slots) };
}
