/**
 * Ground truth over time: the top levels of every sim book at every update id, recorded
 * by a matching-engine listener as each book batch ends, and a checker for what reader
 * threads saw. A valid book state (update id L, top levels) must equal the sim's book at
 * L; a book shown valid while stale, crossed or mid-resync would not.
 */
import { Worker } from 'node:worker_threads';
import type { SimExchange } from '../../src/venues/sim/server/exchange.js';
import type { MarketDataPipeline } from '../../src/md/pipeline.js';
import { CTL, SAMPLE_CELLS, SAMPLE_DEPTH } from './fixtures/sample-layout.js';
import { waitFor } from './pipeline-helpers.js';

export class TruthHistory {
  private readonly bySymbol = new Map<string, Map<number, Float64Array>>();
  private readonly remove: () => void;

  constructor(private readonly sim: SimExchange) {
    for (const s of sim.engine.symbols()) {
      this.bySymbol.set(s, new Map());
      this.record(s);
    }
    this.remove = sim.engine.addListener({ onBatchEnd: (symbol) => this.record(symbol) });
  }

  stop(): void {
    this.remove();
  }

  /** Top levels at `id`: SAMPLE_DEPTH × (price, qty) bids then asks (-1 = none). */
  at(symbol: string, id: number): Float64Array | undefined {
    return this.bySymbol.get(symbol)?.get(id);
  }

  private record(symbol: string): void {
    const book = this.sim.engine.book(symbol);
    const top = new Float64Array(4 * SAMPLE_DEPTH).fill(-1);
    const fill = (levels: readonly { price: number; total: number }[], at: number): void => {
      for (let k = 0; k < SAMPLE_DEPTH && k < levels.length; k++) {
        const l = levels[levels.length - 1 - k]!;
        top[at + 2 * k] = l.price;
        top[at + 2 * k + 1] = l.total;
      }
    };
    fill(book.bids.levels, 0);
    fill(book.asks.levels, 2 * SAMPLE_DEPTH);
    this.bySymbol.get(symbol)!.set(book.lastUpdateId, top);
  }
}

export interface SamplerResult {
  samples: number;
  invalidReads: number;
  reads: number;
  dropped: number;
  /** Valid states that did not match the sim at their update id. */
  mismatches: string[];
  /** Valid states whose update id the history does not know. */
  unknownIds: string[];
  /** What the reader found on its own (valid after a gap, GAP not followed by INVALID). */
  violations: string[];
  /** GAP and BOOK_CHANGED records it consumed from the book ring, and laps. */
  gaps: number;
  changes: number;
  lapped: number;
}

/** A reader thread sampling every book of `md` until stop(). */
export class BookSampler {
  private readonly control = new SharedArrayBuffer(64);
  private readonly samples = new SharedArrayBuffer(SAMPLE_CELLS * 8 * 120_000);
  private readonly worker: Worker;
  private readonly ctl = new Int32Array(this.control);

  private readonly report: Promise<{ violations: string[]; gaps: number; changes: number; lapped: number }>;

  /** Subscribes to `md`'s book ring as consumer `consumerIndex`. */
  constructor(md: MarketDataPipeline, consumerIndex: number) {
    const books = md.books.entries().map((e) => ({ instrumentId: e.instrumentId, buffer: e.buffer }));
    this.worker = new Worker(new URL('./fixtures/book-sampler.worker.js', import.meta.url), {
      workerData: { books, control: this.control, samples: this.samples, bookRing: md.bookRingBuffer, consumerIndex },
    });
    this.report = new Promise((resolve, reject) => {
      this.worker.once('message', resolve);
      this.worker.once('error', reject);
    });
  }

  get invalidReads(): number {
    return Atomics.load(this.ctl, CTL.INVALID_READS);
  }

  async waitReading(): Promise<void> {
    await waitFor(() => Atomics.load(this.ctl, CTL.READS) > 0, 10_000, 'the sampler reading');
  }

  /** Stops the thread and checks every valid state it saw against `truth`. */
  async stop(md: MarketDataPipeline, truth: TruthHistory): Promise<SamplerResult> {
    Atomics.store(this.ctl, CTL.STOP, 1);
    Atomics.notify(this.ctl, CTL.STOP);
    const report = await this.report;
    const n = Atomics.load(this.ctl, CTL.SAMPLES);
    const rows = new Float64Array(this.samples);
    const mismatches: string[] = [];
    const unknownIds: string[] = [];
    for (let i = 0; i < n; i++) {
      const o = i * SAMPLE_CELLS;
      const id = rows[o]!;
      const symbol = md.books.entry(id)!.symbol;
      const L = rows[o + 1]!;
      const want = truth.at(symbol, L);
      const got = rows.subarray(o + 4, o + SAMPLE_CELLS);
      if (!want) {
        unknownIds.push(`${symbol}@${L}`);
        continue;
      }
      for (let k = 0; k < want.length; k++) {
        if (want[k] !== got[k]) {
          mismatches.push(`${symbol}@${L}: cell ${k} is ${got[k]}, the sim had ${want[k]}`);
          break;
        }
      }
    }
    return {
      samples: n,
      invalidReads: Atomics.load(this.ctl, CTL.INVALID_READS),
      reads: Atomics.load(this.ctl, CTL.READS),
      dropped: Atomics.load(this.ctl, CTL.DROPPED),
      mismatches,
      unknownIds,
      ...report,
    };
  }
}
