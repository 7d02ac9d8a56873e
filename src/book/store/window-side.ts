/**
 * Candidate 2: a dense price-indexed window per side (hftbacktest's "region of interest").
 *
 *   slot = tick & (W - 1), tick = price / tickMantissa; one int64 quantity per slot.
 *   The window covers W ticks from EDGE toward worse prices:
 *     bids: (EDGE - W, EDGE]      asks: [EDGE, EDGE + W)
 *
 * An update inside the window is O(1) (no search, no move). A new best beyond EDGE
 * slides the window, clearing the slots that fall off its far end (counted in
 * droppedFar when they held a level). Deleting the best scans toward worse prices for
 * the next one (dense near the touch, so short). A level beyond the far end is dropped
 * unless the window can slide back (only the empty span between BEST and EDGE may be
 * given up). Readers scan from BEST, so a sparse book costs them a longer scan.
 */
import { META_BEST_TICK, META_COUNT, META_EDGE_TICK, W_BID_META, W_TICK } from '../book-descriptor.js';
import { TWO32, readU53, writeU53 } from '../int64-words.js';
import { LevelResult } from '../side.js';
import type { SideCopier, SideStore } from './side-store.js';

export class WindowSide implements SideStore {
  private readonly w: Uint32Array;
  private readonly region: number;
  private readonly meta: number;
  private readonly width: number;
  private readonly mask: number;
  private readonly tick: number;
  /** +1 bids (better = higher tick), -1 asks. */
  private readonly dir: number;
  count = 0;
  private best = 0;
  private edge = 0;
  droppedFar = 0;
  rejected = 0;

  constructor(words: Uint32Array, region: number, meta: number, width: number, tick: number, isBid: boolean) {
    this.w = words;
    this.region = region;
    this.meta = meta;
    this.width = width;
    this.mask = width - 1;
    this.tick = tick;
    this.dir = isBid ? 1 : -1;
  }

  bestPrice(): number {
    return this.count === 0 ? -1 : this.best * this.tick;
  }

  clear(): void {
    if (this.count > 0) this.w.fill(0, this.region, this.region + this.width * 2);
    this.count = 0;
  }

  publish(): void {
    const w = this.w;
    w[this.meta + META_COUNT] = this.count;
    writeU53(w, this.meta + META_BEST_TICK, this.best);
    writeU53(w, this.meta + META_EDGE_TICK, this.edge);
  }

  set(price: number, qty: number): LevelResult {
    const t = this.tick === 1 ? price : price / this.tick;
    if (Math.floor(t) !== t) {
      this.rejected++;
      return LevelResult.REJECTED;
    }
    const w = this.w;
    const dir = this.dir;
    if (this.count === 0) {
      if (qty === 0) return LevelResult.ABSENT;
      this.edge = this.best = t;
      this.store(t, qty);
      this.count = 1;
      return LevelResult.INSERTED;
    }
    let d = dir * (this.edge - t); // distance from the edge toward worse prices
    if (d < 0) {
      if (qty === 0) return LevelResult.ABSENT;
      this.slide(-d);
      this.edge = this.best = t;
      this.store(t, qty);
      this.count++;
      return LevelResult.INSERTED;
    }
    if (d >= this.width) {
      if (qty === 0) return LevelResult.ABSENT;
      // Give up the empty span between best and edge if that brings t inside.
      if (dir * (this.best - t) >= this.width) {
        this.droppedFar++;
        return LevelResult.DROPPED_FAR;
      }
      this.edge = this.best;
      d = dir * (this.edge - t);
    }
    const s = this.region + (t & this.mask) * 2;
    const had = w[s]! !== 0 || w[s + 1]! !== 0;
    if (qty === 0) {
      if (!had) return LevelResult.ABSENT;
      w[s] = 0;
      w[s + 1] = 0;
      this.count--;
      if (t === this.best && this.count > 0) this.findBest(d);
      return LevelResult.DELETED;
    }
    const qlo = qty >>> 0;
    w[s] = qlo;
    w[s + 1] = (qty - qlo) / TWO32;
    if (dir * (t - this.best) > 0) this.best = t;
    if (had) return LevelResult.UPDATED;
    this.count++;
    return LevelResult.INSERTED;
  }

  private store(t: number, qty: number): void {
    const s = this.region + (t & this.mask) * 2;
    const qlo = qty >>> 0;
    this.w[s] = qlo;
    this.w[s + 1] = (qty - qlo) / TWO32;
  }

  /** Moves the edge `shift` ticks better, clearing the ticks that leave the far end. */
  private slide(shift: number): void {
    const w = this.w;
    const n = shift < this.width ? shift : this.width;
    // Ticks leaving: distances width - n .. width - 1 from the old edge.
    let t = this.edge - this.dir * (this.width - n);
    for (let j = 0; j < n; j++, t -= this.dir) {
      const s = this.region + (t & this.mask) * 2;
      if (w[s]! !== 0 || w[s + 1]! !== 0) {
        w[s] = 0;
        w[s + 1] = 0;
        this.count--;
        this.droppedFar++;
      }
    }
  }

  /** The best was removed at distance `from` from the edge: scan worse for the next level. */
  private findBest(from: number): void {
    const w = this.w;
    let t = this.best;
    for (let d = from + 1; d < this.width; d++) {
      t -= this.dir;
      const s = this.region + (t & this.mask) * 2;
      if (w[s]! !== 0 || w[s + 1]! !== 0) {
        this.best = t;
        return;
      }
    }
  }
}

/** Reader side of the window layout: scan from BEST toward worse prices over at most W ticks. */
export const copyWindowTop: SideCopier = (words, meta, region, slots, n, out, at) => {
  const count = words[meta + META_COUNT]!;
  if (count > slots) return -1;
  if (count === 0 || n === 0) return 0;
  const tick = readU53(words, W_TICK);
  const best = readU53(words, meta + META_BEST_TICK);
  const edge = readU53(words, meta + META_EDGE_TICK);
  // Bids have best <= edge, asks best >= edge; the sign of (edge - best) is the direction.
  const dir = meta === W_BID_META ? 1 : -1;
  const mask = slots - 1;
  const start = dir * (edge - best);
  if (start < 0 || start >= slots) return -1;
  const want = n < count ? n : count;
  let m = 0;
  let t = best;
  let dst = at;
  for (let d = start; d < slots && m < want; d++, t -= dir) {
    const s = region + (t & mask) * 2;
    const qlo = words[s]!;
    const qhi = words[s + 1]!;
    if (qlo === 0 && qhi === 0) continue;
    const price = t * tick;
    const plo = price >>> 0;
    out[dst] = plo;
    out[dst + 1] = (price - plo) / TWO32;
    out[dst + 2] = qlo;
    out[dst + 3] = qhi;
    dst += 4;
    m++;
  }
  return m;
};
