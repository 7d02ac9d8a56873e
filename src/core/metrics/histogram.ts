/**
 * Log-linear latency histogram (HDR-style) over plain integer counts, so it can live in
 * a SharedArrayBuffer: one thread records, any thread reads.
 *
 * Values are non-negative integers (nanoseconds by convention). Values below 2^SUB_BITS
 * are exact; above, each power-of-two range is split into HALF sub-buckets, so the
 * relative error of a reported percentile is below 1 / HALF (1.6 %).
 *
 * Memory (Uint32 words, all single-writer):
 *
 *   [0 .. BUCKETS)      count per bucket (wraps at 2^32; exporters track deltas)
 *   [BUCKETS]           total count (wraps likewise)
 *   then one Float64    sum of recorded values (exact up to 2^53)
 *   then one Float64    max recorded value
 *
 * `record` allocates nothing and uses no atomics: the recording thread is the only
 * writer, and an aligned 32-bit store is never torn, so a reader sees each counter
 * either before or after an increment.
 */

const SUB_BITS = 7;
const SUB_COUNT = 1 << SUB_BITS; // 128
const HALF = SUB_COUNT >> 1; // 64
const MAX_MSB = 44; // values up to 2^45 ns (~9.7 h); larger values clamp to the top bucket
export const HISTOGRAM_BUCKETS = (MAX_MSB - SUB_BITS + 2) * HALF + HALF;

const COUNT_WORD = HISTOGRAM_BUCKETS;
/** Byte offset of the two Float64 slots, rounded up to 8. */
const FLOAT_OFFSET_BYTES = Math.ceil(((HISTOGRAM_BUCKETS + 1) * 4) / 8) * 8;
export const HISTOGRAM_BYTES = FLOAT_OFFSET_BYTES + 16;

const TWO32 = 4294967296;

function msbOf(v: number): number {
  if (v < TWO32) return 31 - Math.clz32(v);
  return 63 - Math.clz32(Math.floor(v / TWO32));
}

/** Bucket index of a value (exported for tests). */
export function bucketIndex(value: number): number {
  if (value < SUB_COUNT) return value < 0 ? 0 : Math.floor(value);
  if (value < TWO32) {
    // Fast path (every latency below 4.3 s): integer shifts instead of float division,
    // ~10x cheaper than the general path below, same result.
    const u = value >>> 0;
    const shift = 31 - Math.clz32(u) - SUB_BITS + 1;
    return shift * HALF + (u >>> shift);
  }
  let v = Math.floor(value);
  let msb = msbOf(v);
  if (msb > MAX_MSB) {
    msb = MAX_MSB;
    v = 2 ** (MAX_MSB + 1) - 1;
  }
  const shift = msb - SUB_BITS + 1;
  const sub = Math.floor(v / 2 ** shift); // in [HALF, SUB_COUNT)
  return shift * HALF + sub;
}

/** Lowest value that lands in bucket `index`. */
export function bucketLowerBound(index: number): number {
  if (index < SUB_COUNT) return index;
  const shift = Math.floor(index / HALF) - 1;
  const sub = index - shift * HALF;
  return sub * 2 ** shift;
}

/** Highest value that lands in bucket `index`. */
export function bucketUpperBound(index: number): number {
  if (index < SUB_COUNT) return index;
  const shift = Math.floor(index / HALF) - 1;
  const sub = index - shift * HALF;
  return (sub + 1) * 2 ** shift - 1;
}

export class LatencyHistogram {
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  readonly byteOffset: number;
  private readonly counts: Uint32Array;
  private readonly floats: Float64Array;

  /** A histogram over `buffer` at `byteOffset` (8-aligned), or over fresh memory. */
  constructor(buffer?: SharedArrayBuffer | ArrayBuffer, byteOffset = 0) {
    if (byteOffset % 8 !== 0) throw new RangeError(`histogram byteOffset ${byteOffset} is not 8-byte aligned`);
    this.buffer = buffer ?? new ArrayBuffer(HISTOGRAM_BYTES);
    if (this.buffer.byteLength < byteOffset + HISTOGRAM_BYTES) {
      throw new RangeError(
        `histogram needs ${HISTOGRAM_BYTES} bytes at offset ${byteOffset}, buffer has ${this.buffer.byteLength}`,
      );
    }
    this.byteOffset = byteOffset;
    this.counts = new Uint32Array(this.buffer, byteOffset, HISTOGRAM_BUCKETS + 1);
    this.floats = new Float64Array(this.buffer, byteOffset + FLOAT_OFFSET_BYTES, 2);
  }

  /** Records one value (ns). Allocation-free. */
  record(value: number): void {
    const i = bucketIndex(value);
    const c = this.counts;
    c[i] = (c[i]! + 1) >>> 0;
    c[COUNT_WORD] = (c[COUNT_WORD]! + 1) >>> 0;
    const f = this.floats;
    f[0] = f[0]! + value;
    if (value > f[1]!) f[1] = value;
  }

  /** Count of recorded values (exact while it stays below 2^32). */
  get count(): number {
    return this.counts[COUNT_WORD]!;
  }

  get sum(): number {
    return this.floats[0]!;
  }

  get max(): number {
    return this.floats[1]!;
  }

  get mean(): number {
    const n = this.count;
    return n === 0 ? 0 : this.sum / n;
  }

  /** Raw count of one bucket. */
  bucketCount(index: number): number {
    return this.counts[index]!;
  }

  /**
   * Value at percentile `p` (0..100): the upper bound of the bucket holding the
   * p-th value, capped at the recorded max; 0 when empty.
   */
  percentile(p: number): number {
    const n = this.count;
    if (n === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * n));
    let seen = 0;
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(bucketUpperBound(i), this.max);
    }
    return this.max;
  }

  /** Adds another histogram's counts into this one (single-threaded use). */
  add(other: LatencyHistogram): void {
    for (let i = 0; i <= HISTOGRAM_BUCKETS; i++) this.counts[i] = (this.counts[i]! + other.counts[i]!) >>> 0;
    this.floats[0] = this.floats[0]! + other.sum;
    if (other.max > this.floats[1]!) this.floats[1] = other.max;
  }

  reset(): void {
    this.counts.fill(0);
    this.floats.fill(0);
  }

  /** p50/p90/p99/p99.9/max summary in the recorded unit. */
  summary(): { count: number; mean: number; p50: number; p90: number; p99: number; p999: number; max: number } {
    return {
      count: this.count,
      mean: this.mean,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: this.max,
    };
  }
}
