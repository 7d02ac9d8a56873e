/**
 * Candidate 1, the general layout: a sorted array of level records per side, best level
 * LAST. bench/book-apply measured it at ~40-60 % of the window's update rate, with the
 * cheaper top-N read; it is the default when no tick grid is known (replay, tools).
 *
 *   region: [ ....free.... | worst ... best | ....free.... ]
 *                          ^start          ^end = start + count
 *
 * Levels sit in a window [start, end) of 2 × capacity slots. Most updates touch the
 * first 10-20 levels, i.e. the end of the array, so the search gallops from the end
 * (O(log distance from the touch)) and an insert or delete moves the shorter side of the
 * array: near the touch that is a handful of records, and a far insert (snapshot load,
 * best first) moves nothing. When the side to move has no free slot the window is
 * re-centred once (O(count), amortised over >= capacity/2 one-sided inserts).
 *
 * Full side (count == capacity): a new level worse than all stored is not stored; a
 * better one evicts the worst (start++). Both count in droppedFar. Evicted far levels
 * are unknown until the venue changes them again, like levels beyond a REST snapshot.
 */
import { META_COUNT, META_START, SORTED_RECORD_WORDS as REC } from '../book-descriptor.js';
import { TWO32 } from '../int64-words.js';
import { LevelResult } from '../side.js';
import type { SideCopier, SideStore } from './side-store.js';

/** Below this many records a plain loop beats copyWithin's call overhead (bench/book-apply). */
const SMALL_MOVE_RECORDS = 8;

export class SortedSide implements SideStore {
  private readonly w: Uint32Array;
  private readonly region: number;
  private readonly meta: number;
  private readonly slots: number;
  private readonly capacity: number;
  /** +1 bids (ascending price = ascending goodness), -1 asks. */
  private readonly dir: number;
  /**
   * Writer-private mirror of the keys (dir × price) by slot: the search reads one
   * Float64 per probe instead of two Uint32 words and a multiply-add. The values are
   * integers below 2^53, exact in a double; shared memory still holds int64 words.
   */
  private readonly keys: Float64Array;
  private start: number;
  private end: number;
  droppedFar = 0;
  readonly rejected = 0;

  constructor(words: Uint32Array, region: number, meta: number, slots: number, capacity: number, isBid: boolean) {
    this.w = words;
    this.region = region;
    this.meta = meta;
    this.slots = slots;
    this.capacity = capacity;
    this.dir = isBid ? 1 : -1;
    this.keys = new Float64Array(slots);
    this.start = this.end = slots >> 1;
  }

  get count(): number {
    return this.end - this.start;
  }

  bestPrice(): number {
    if (this.end === this.start) return -1;
    const b = this.region + (this.end - 1) * REC;
    return this.w[b]! + this.w[b + 1]! * TWO32;
  }

  clear(): void {
    this.start = this.end = this.slots >> 1;
  }

  publish(): void {
    this.w[this.meta + META_COUNT] = this.end - this.start;
    this.w[this.meta + META_START] = this.start;
  }

  set(price: number, qty: number): LevelResult {
    const keys = this.keys;
    const k = this.dir * price;
    const start = this.start;
    const end = this.end;
    // Gallop from the best end: find lo < hi with key(lo) < k <= key(hi) (hi may be end).
    let hi = end;
    let probe = end - 1;
    let step = 1;
    while (probe >= start) {
      if (keys[probe]! < k) break;
      hi = probe;
      probe -= step;
      step += step;
    }
    let lo = probe < start ? start - 1 : probe;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < k) lo = mid;
      else hi = mid;
    }
    if (hi < end) {
      if (keys[hi] === k) {
        const w = this.w;
        const b = this.region + hi * REC;
        if (qty === 0) {
          this.removeAt(hi);
          return LevelResult.DELETED;
        }
        const qlo = qty >>> 0;
        w[b + 2] = qlo;
        w[b + 3] = (qty - qlo) / TWO32;
        return LevelResult.UPDATED;
      }
    }
    if (qty === 0) return LevelResult.ABSENT;
    if (end - start >= this.capacity) {
      this.droppedFar++;
      if (hi === start) return LevelResult.DROPPED_FAR;
      this.start = start + 1; // evict the worst level
    }
    this.insertAt(hi, price, qty);
    return LevelResult.INSERTED;
  }

  /** Inserts before slot `i` (the new level ends up between i-1 and i). */
  private insertAt(i: number, price: number, qty: number): void {
    let right = this.end - i;
    let left = i - this.start;
    if (right <= left) {
      if (this.end === this.slots) i += this.recenter();
      right = this.end - i;
      this.move(i, i + 1, right);
      this.end++;
    } else {
      if (this.start === 0) i += this.recenter();
      left = i - this.start;
      this.move(this.start, this.start - 1, left);
      this.start--;
      i--;
    }
    this.keys[i] = this.dir * price;
    const b = this.region + i * REC;
    const w = this.w;
    const plo = price >>> 0;
    w[b] = plo;
    w[b + 1] = (price - plo) / TWO32;
    const qlo = qty >>> 0;
    w[b + 2] = qlo;
    w[b + 3] = (qty - qlo) / TWO32;
  }

  private removeAt(i: number): void {
    const right = this.end - i - 1;
    const left = i - this.start;
    if (right <= left) {
      this.move(i + 1, i, right);
      this.end--;
    } else {
      this.move(this.start, this.start + 1, left);
      this.start++;
    }
  }

  /** Moves the levels to the middle of the region; returns how far they moved. */
  private recenter(): number {
    const count = this.end - this.start;
    const to = (this.slots - count) >> 1;
    const delta = to - this.start;
    this.move(this.start, to, count);
    this.start = to;
    this.end = to + count;
    return delta;
  }

  /** memmove of `n` records from slot `from` to slot `to` (ranges may overlap). */
  private move(from: number, to: number, n: number): void {
    if (n <= 0) return;
    const w = this.w;
    const keys = this.keys;
    const src = this.region + from * REC;
    const dst = this.region + to * REC;
    if (n > SMALL_MOVE_RECORDS) {
      w.copyWithin(dst, src, src + n * REC);
      keys.copyWithin(to, from, from + n);
    } else if (dst > src) {
      for (let j = n * REC - 1; j >= 0; j--) w[dst + j] = w[src + j]!;
      for (let j = n - 1; j >= 0; j--) keys[to + j] = keys[from + j]!;
    } else {
      for (let j = 0; j < n * REC; j++) w[dst + j] = w[src + j]!;
      for (let j = 0; j < n; j++) keys[to + j] = keys[from + j]!;
    }
  }
}

/** Reader side of the sorted layout: the top n are the last n records before `end`. */
export const copySortedTop: SideCopier = (words, meta, region, slots, n, out, at) => {
  const count = words[meta + META_COUNT]!;
  const start = words[meta + META_START]!;
  if (start + count > slots) return -1;
  const m = n < count ? n : count;
  let src = region + (start + count - 1) * REC;
  let dst = at;
  for (let j = 0; j < m; j++) {
    out[dst] = words[src]!;
    out[dst + 1] = words[src + 1]!;
    out[dst + 2] = words[src + 2]!;
    out[dst + 3] = words[src + 3]!;
    src -= REC;
    dst += REC;
  }
  return m;
};
