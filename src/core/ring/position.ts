/**
 * Ring positions: counters that only grow, exact up to 2^53 (2.8 years at 100M
 * events/s), stored as two Int32 words [lo, hi] because Atomics work on Int32Array
 * without allocating, while Atomics on BigInt64Array return a fresh bigint per load.
 *
 * Hot paths only touch `lo`:
 *  - The slot is `lo & mask` (the capacity divides 2^32).
 *  - In an SPSC ring the distance between producer and consumer is always in
 *    0..capacity <= 2^30, so `(a.lo - b.lo) | 0` is that distance exactly, whatever
 *    the high words are: each side rebuilds the other's position from its own.
 *  - Threads keep `lo` as an int32 and count wraps in `hi`, so no hot value ever leaves
 *    the int32 range (a double above 2^31 would take V8's slow truncation path).
 *
 * Full reads (a broadcast consumer, which can fall arbitrarily far behind, and
 * attaching) use a seqlock on the high word. Hot paths ask only for a distance
 * (`distanceAhead`), clamped to the small-integer range: a full position is a double
 * above 2^30, and V8 boxes such a double in a fresh heap number whenever it is returned
 * from a call that was not inlined (measured: one allocation per `loadPosition`). The owner writes `hi` only when `lo`
 * wraps (once per 2^32 events) and then in three steps:
 *
 *     hi := HI_WRITING;  lo := new lo;  hi := new hi
 *
 * A reader loads hi, lo, hi and accepts only two equal, valid his. All accesses are
 * sequentially consistent Atomics, so equal his mean the lo was written in that epoch:
 * a lo from after the wrap would need the reader's second hi load to follow the
 * HI_WRITING store, which it cannot, having read the old hi.
 */

export const TWO32 = 4294967296;
/** The high word while its owner is between the stores of a wrap. */
export const HI_WRITING = -1;
/** Returned by loadPosition when the owner is mid-wrap: read again shortly. */
export const POSITION_BUSY = -1;
export const MAX_POSITION = Number.MAX_SAFE_INTEGER;

export function positionLo(position: number): number {
  return (position % TWO32) | 0;
}

export function positionHi(position: number): number {
  return Math.floor(position / TWO32);
}

export function fullPosition(hi: number, lo: number): number {
  return hi * TWO32 + (lo >>> 0);
}

/**
 * Publishes a position owned by the calling thread. `previousHi` is the high word it
 * last published; the common case is a single release store of `lo`.
 */
export function storePosition(words: Int32Array, loIndex: number, lo: number, hi: number, previousHi: number): void {
  if (hi === previousHi) {
    Atomics.store(words, loIndex, lo);
    return;
  }
  Atomics.store(words, loIndex + 1, HI_WRITING);
  Atomics.store(words, loIndex, lo);
  Atomics.store(words, loIndex + 1, hi);
}

/** The full position, or POSITION_BUSY while its owner is between the stores of a wrap. */
export function loadPosition(words: Int32Array, loIndex: number): number {
  const hi = Atomics.load(words, loIndex + 1);
  const lo = Atomics.load(words, loIndex);
  if (hi < 0 || Atomics.load(words, loIndex + 1) !== hi) return POSITION_BUSY;
  return hi * TWO32 + (lo >>> 0);
}

/**
 * loadPosition, retried while the owner is mid-wrap. Used off the hot path (attach,
 * monitoring); gives up with POSITION_BUSY after `tries` reads.
 */
export function loadPositionSettled(words: Int32Array, loIndex: number, tries = 1_000_000): number {
  for (let i = 0; i < tries; i++) {
    const p = loadPosition(words, loIndex);
    if (p !== POSITION_BUSY) return p;
  }
  return POSITION_BUSY;
}

/** distanceAhead's answer for "further than any ring": 2^30 - 1, the largest small integer. */
export const DISTANCE_FAR = 0x3fff_ffff;

/**
 * How far the position stored at `loIndex` is ahead of the position (refHi, refLo):
 * exact from 0 to DISTANCE_FAR - 1, DISTANCE_FAR when further, POSITION_BUSY while the
 * owner is mid-wrap. Always a small integer, so calling it never allocates.
 */
export function distanceAhead(words: Int32Array, loIndex: number, refHi: number, refLo: number): number {
  const hi = Atomics.load(words, loIndex + 1);
  const lo = Atomics.load(words, loIndex);
  if (hi < 0 || Atomics.load(words, loIndex + 1) !== hi) return POSITION_BUSY;
  const d = (hi - refHi) * TWO32 + ((lo >>> 0) - (refLo >>> 0));
  if (d >= DISTANCE_FAR) return DISTANCE_FAR;
  return d < 0 ? 0 : d;
}

/** Writes a position with nobody reading yet (ring creation). */
export function initPosition(words: Int32Array, loIndex: number, position: number): void {
  Atomics.store(words, loIndex, positionLo(position));
  Atomics.store(words, loIndex + 1, positionHi(position));
}
