/**
 * Recording handles over the shared metrics region, created once when a thread attaches.
 * Recording allocates nothing and, except SharedCounter, uses no atomics: each series has
 * one writing thread and an aligned 32-bit store is never torn, so the exporter reads
 * every word either before or after an update.
 *
 * Counters are 32-bit words that wrap; the exporter turns them into 64-bit totals by
 * adding the (wrapping) difference since its previous read, so it must read each word
 * at least once per 2^32 increments (it samples on a timer as well as at scrape time).
 */

/** Single-writer counter: one u32 word. */
export class Counter {
  constructor(
    private readonly words: Uint32Array,
    private readonly index: number,
  ) {}

  inc(): void {
    this.words[this.index] = (this.words[this.index]! + 1) >>> 0;
  }

  /** Adds a non-negative integer below 2^32. */
  add(n: number): void {
    this.words[this.index] = (this.words[this.index]! + n) >>> 0;
  }

  /** The raw 32-bit word (wraps; exporters track totals). */
  get raw(): number {
    return this.words[this.index]!;
  }
}

/** Counter any thread may increment: Atomics.add on a word alone on its cache line. */
export class SharedCounter {
  constructor(
    private readonly words: Uint32Array,
    private readonly index: number,
  ) {}

  inc(): void {
    Atomics.add(this.words, this.index, 1);
  }

  add(n: number): void {
    Atomics.add(this.words, this.index, n);
  }

  get raw(): number {
    return Atomics.load(this.words, this.index);
  }
}

/** Single-writer gauge: one float64 (an aligned 8-byte store, not torn on x86-64/arm64). */
export class Gauge {
  constructor(
    private readonly cells: Float64Array,
    private readonly index: number,
  ) {}

  set(v: number): void {
    this.cells[this.index] = v;
  }

  inc(d = 1): void {
    this.cells[this.index] = this.cells[this.index]! + d;
  }

  dec(d = 1): void {
    this.cells[this.index] = this.cells[this.index]! - d;
  }

  get value(): number {
    return this.cells[this.index]!;
  }
}
