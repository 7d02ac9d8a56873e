/**
 * A seeded generator of decimal-ish byte strings packed into one buffer, the layout
 * decimalParseBatch takes. Cheap enough for millions of inputs (fast-check is not).
 */
import { INT64_MAX, INT64_MIN, formatDecimal } from '../../../src/core/fixed/decimal.js';

/** xorshift32: deterministic per seed, fast, good enough to pick shapes. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  /** Uniform in [0, n). */
  below(n: number): number {
    return this.next() % n;
  }
}

export interface Corpus {
  bytes: Uint8Array;
  starts: Uint32Array;
  ends: Uint32Array;
  count: number;
}

const NEAR_MISS = [0x2e, 0x2d, 0x2b, 0x65, 0x45, 0x20, 0x09, 0x0a, 0x00, 0x78, 0x2c, 0xc3, 0xa9, 0xa0, 0xff, 0x80];

function boundaryTexts(): string[] {
  const anchors = [INT64_MAX, INT64_MIN, 1n << 53n, -(1n << 53n), 1n << 64n, -(1n << 64n), 10n ** 18n, 10n ** 19n, 0n];
  const out: string[] = [];
  for (const a of anchors) {
    for (let d = -3n; d <= 3n; d++) {
      const v = a + d;
      // The same digits at every scale: formatting moves the point, the bound stays put.
      for (let s = 0; s <= 18; s++) {
        const abs = (v < 0n ? -v : v).toString().padStart(s + 1, '0');
        const text = (v < 0n ? '-' : '') + (s === 0 ? abs : abs.slice(0, abs.length - s) + '.' + abs.slice(abs.length - s));
        out.push(text);
      }
      if (v >= INT64_MIN && v <= INT64_MAX) out.push(formatDecimal(v, 8));
    }
  }
  return out;
}

export class CorpusWriter {
  private readonly rng: Rng;
  private readonly boundary: Uint8Array[];
  readonly bytes: Uint8Array;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  count = 0;
  private pos = 0;

  constructor(seed: number, capacity: number, bytesCapacity: number) {
    this.rng = new Rng(seed);
    this.boundary = boundaryTexts().map((t) => Buffer.from(t, 'latin1'));
    this.bytes = new Uint8Array(bytesCapacity);
    this.starts = new Uint32Array(capacity);
    this.ends = new Uint32Array(capacity);
  }

  corpus(): Corpus {
    return { bytes: this.bytes, starts: this.starts, ends: this.ends, count: this.count };
  }

  private put(b: number): void {
    if (this.pos < this.bytes.length) this.bytes[this.pos] = b;
    this.pos++;
  }

  private digits(n: number): void {
    for (let k = 0; k < n; k++) this.put(0x30 + this.rng.below(10));
  }

  /** Appends one input; returns false when the buffers are full. */
  add(): boolean {
    if (this.count >= this.starts.length || this.pos + 200 > this.bytes.length) return false;
    const r = this.rng;
    const start = this.pos;
    const kind = r.below(100);
    if (kind < 35) {
      this.wellFormed();
    } else if (kind < 45) {
      const b = this.boundary[r.below(this.boundary.length)]!;
      for (const c of b) this.put(c);
      if (r.below(3) === 0) for (let k = r.below(4); k > 0; k--) this.put(0x30);
    } else if (kind < 70) {
      // A well-formed decimal with one byte replaced, inserted or dropped.
      this.wellFormed();
      const len = this.pos - start;
      const at = start + r.below(len);
      const op = r.below(3);
      const b = NEAR_MISS[r.below(NEAR_MISS.length)]!;
      if (op === 0) {
        this.bytes[at] = b;
      } else if (op === 1) {
        this.bytes.copyWithin(at + 1, at, this.pos);
        this.bytes[at] = b;
        this.pos++;
      } else if (len > 1) {
        this.bytes.copyWithin(at, at + 1, this.pos);
        this.pos--;
      }
    } else if (kind < 97) {
      const n = r.below(16);
      for (let k = 0; k < n; k++) {
        const p = r.below(10);
        if (p < 6) this.put(0x30 + r.below(10));
        else if (p < 9) this.put(NEAR_MISS[r.below(NEAR_MISS.length)]!);
        else this.put(r.below(256));
      }
    } else {
      // Long runs around the digit limit.
      const c = [0x30, 0x31, 0x39, 0x20][r.below(4)]!;
      const n = 55 + r.below(20);
      for (let k = 0; k < n; k++) this.put(c);
      if (r.below(2) === 0) {
        this.put(0x2e);
        this.digits(1 + r.below(5));
      }
    }
    this.starts[this.count] = start;
    this.ends[this.count] = this.pos;
    this.count++;
    return true;
  }

  private wellFormed(): void {
    const r = this.rng;
    if (r.below(4) === 0) this.put(0x2d);
    for (let k = r.below(8) === 0 ? 1 + r.below(3) : 0; k > 0; k--) this.put(0x30);
    this.digits(1 + (r.below(3) === 0 ? r.below(21) : r.below(7)));
    if (r.below(3) !== 0) {
      this.put(0x2e);
      this.digits(1 + r.below(12));
      for (let k = r.below(4) === 0 ? r.below(6) : 0; k > 0; k--) this.put(0x30);
    }
  }
}
