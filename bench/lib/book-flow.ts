/**
 * A synthetic but realistic L2 update flow for book benchmarks, pre-generated so the
 * timed loop only reads it. Shaped after Binance depth streams on a liquid pair:
 *
 * - ~1000 levels per side at start; `occupancy` of the ticks hold a level (0.7: a liquid
 *   pair quoted on nearly every tick; 0.05: a sparse book, levels ~20 ticks apart);
 * - messages of 1..15 level changes (mean ≈ 8);
 * - 80 % of changes within 20 levels of the touch, 15 % within 200, 5 % deep (200..2000),
 *   distances drawn in levels and converted to ticks by the occupancy;
 * - 25 % of changes to existing levels are deletes; a change drawn on an empty tick
 *   inserts there just often enough to keep the occupancy steady, else it updates the
 *   nearest level further out;
 * - every 10th message on average the touch moves 1..3 ticks: the side giving way is
 *   deleted and the other side gains new best levels (top-of-book inserts).
 *
 * Events are stored the way the md ring carries them: per level five Int32 words
 * [side, price lo, price hi, qty lo, qty hi], plus the index where each message ends.
 */
export interface BookFlow {
  /** Five words per level event. */
  events: Int32Array;
  /** Exclusive end (in events) of each message. */
  messageEnds: Int32Array;
  /** The starting book, best first: [price, qty] mantissas. */
  snapshotBids: number[][];
  snapshotAsks: number[][];
}

export const EVENT_WORDS = 5;
const TWO32 = 4294967296;

/** Deterministic xorshift32: every run benchmarks the same flow. */
class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / TWO32;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
}

/** Share of changes to an existing level that delete it. */
const DELETE_SHARE = 0.25;

export function generateBookFlow(levelEvents: number, occupancy = 0.7, seed = 12345): BookFlow {
  const rng = new Rng(seed);
  // Steady state: deletes (occupancy × DELETE_SHARE) balance inserts ((1 - occupancy) × insertShare).
  const insertShare = Math.min(1, (occupancy * DELETE_SHARE) / (1 - occupancy));
  // BTCUSDT-like: price mantissa at scale 2 around 100000.00, quantities at scale 8.
  let bestBid = 10_000_000;
  let bestAsk = bestBid + 1;
  const bids = new Map<number, number>();
  const asks = new Map<number, number>();
  const qty = (): number => rng.int(1, 500_000_000);
  const span = Math.round(1000 / occupancy);
  for (let d = 0; d < span; d++) {
    if (d < 3 || rng.next() < occupancy) bids.set(bestBid - d, qty());
    if (d < 3 || rng.next() < occupancy) asks.set(bestAsk + d, qty());
  }
  const snapshotBids = [...bids.entries()].sort((a, b) => b[0] - a[0]);
  const snapshotAsks = [...asks.entries()].sort((a, b) => a[0] - b[0]);

  const events = new Int32Array(levelEvents * EVENT_WORDS);
  const ends: number[] = [];
  let n = 0;
  const emit = (side: number, price: number, q: number): void => {
    const o = n * EVENT_WORDS;
    events[o] = side;
    events[o + 1] = price >>> 0;
    events[o + 2] = Math.floor(price / TWO32);
    events[o + 3] = q >>> 0;
    events[o + 4] = Math.floor(q / TWO32);
    const m = side === 0 ? bids : asks;
    if (q === 0) m.delete(price);
    else m.set(price, q);
    n++;
  };
  const distance = (): number => {
    const r = rng.next();
    let levels: number;
    if (r < 0.8) levels = Math.min(20, Math.floor(-Math.log(1 - rng.next()) * 5));
    else if (r < 0.95) levels = rng.int(20, 200);
    else levels = rng.int(200, 2000);
    return Math.round(levels / occupancy);
  };
  while (n < levelEvents) {
    const size = Math.min(rng.int(1, 15), levelEvents - n);
    const stop = n + size;
    if (rng.next() < 0.1 && stop - n >= 6) {
      const shift = rng.int(1, 3);
      if (rng.next() < 0.5) {
        for (let s = 0; s < shift; s++) if (asks.has(bestAsk + s)) emit(1, bestAsk + s, 0);
        for (let s = 1; s <= shift; s++) emit(0, bestBid + s, qty());
        bestBid += shift;
        bestAsk += shift;
      } else {
        for (let s = 0; s < shift; s++) if (bids.has(bestBid - s)) emit(0, bestBid - s, 0);
        for (let s = 1; s <= shift; s++) emit(1, bestAsk - s, qty());
        bestBid -= shift;
        bestAsk -= shift;
      }
    }
    while (n < stop) {
      const side = rng.next() < 0.5 ? 0 : 1;
      const book = side === 0 ? bids : asks;
      const dir = side === 0 ? -1 : 1;
      let price = side === 0 ? bestBid - distance() : bestAsk + distance();
      if (book.has(price)) {
        emit(side, price, rng.next() < DELETE_SHARE ? 0 : qty());
      } else if (rng.next() < insertShare) {
        emit(side, price, qty());
      } else {
        // Keep the occupancy steady: update the nearest existing level further out instead.
        const from = price;
        for (let k = 0; k < 400 && !book.has(price); k++) price += dir;
        if (!book.has(price)) price = from; // beyond the book's far end: insert there
        emit(side, price, qty());
      }
    }
    ends.push(n);
  }
  return { events, messageEnds: Int32Array.from(ends), snapshotBids, snapshotAsks };
}
