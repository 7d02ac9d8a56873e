/**
 * MarketDataPipeline: the market-data hot path of one venue, wired.
 *
 *   io thread (this one)                       book thread (book-worker.ts)
 *   venue feed ─► decoder ─► md ring (SPSC) ──► BinanceBookSync + SharedBookWriter per book
 *   snapshot fetch ◄── md control ring (SPSC) ◄── snapshot requests
 *                                               └─► book ring (broadcast): BOOK_CHANGED, GAP, TRADE, BBO
 *
 * Every book's SharedArrayBuffer is laid out here before any thread starts, so the book
 * directory is complete from the first moment and can be handed to strategies and the
 * gateway (`books.entries()`); readers use the seqlock path and never wait on the writer.
 *
 *   const md = await MarketDataPipeline.start({ venue: { kind: 'binance' }, instruments });
 *   await md.whenAllValid(10_000);
 *   md.books.reader(id).readTop(20, levels);  …  await md.stop();
 */
import type { Instrument } from '../core/instruments/instrument.js';
import { MetricsRegistry } from '../core/metrics/registry.js';
import { BroadcastRing } from '../core/ring/broadcast-ring.js';
import { SpscRing } from '../core/ring/spsc-ring.js';
import type { WaitStrategyName } from '../core/ring/wait-strategy.js';
import { consoleLogger, type RuntimeLogger } from '../core/threads/logger.js';
import { ThreadRuntime, type ThreadFatal } from '../core/threads/thread-runtime.js';
import type { ExitPolicy } from '../core/threads/thread-spec.js';
import { bookConfigForInstrument, type BookConfig } from '../book/book-config.js';
import { TopOfBook } from '../book/book-levels.js';
import type { SharedBookReader } from '../book/shared-book-reader.js';
import { SharedBookWriter } from '../book/shared-book-writer.js';
import type { BookSyncOptions } from '../book/sync/binance-book-sync.js';
import { BinanceMdVenue, type BinanceMdOptions } from '../venues/binance/md-venue.js';
import { BookDirectory, type BookDirectoryEntry } from './book-directory.js';
import { BookStat, BookStatsView, bookStatsBytes, type BookStatsRow } from './book-stats.js';
import { BOOK_WORKER_RINGS, type BookWorkerConfig } from './book-worker.js';
import type { BookWorkerBook } from './book-worker-core.js';
import { MarketDataIo, type MdIoCounters } from './md-io.js';
import type { MdVenue } from './md-venue.js';
import { MdMetric, mdMetricDefinitions } from './metrics.js';

/** A Binance market by config (URLs default to the venue's production hosts). */
export interface BinanceVenueConfig extends Omit<BinanceMdOptions, 'market' | 'wsBase' | 'restBase'> {
  kind: 'binance' | 'binance-usdm';
  wsUrl?: string;
  restUrl?: string;
}

export interface MarketDataPipelineOptions {
  /** The venue by config, or an adapter built elsewhere. */
  venue: BinanceVenueConfig | MdVenue;
  /** The instruments to keep books for (ids from the engine's registry). */
  instruments: readonly Instrument[];
  threads?: {
    /** How the io thread waits for md ring space. Default 'block'. */
    io?: { waitStrategy?: WaitStrategyName };
    book?: { cpus?: readonly number[]; schedFifo?: number; waitStrategy?: WaitStrategyName; onExit?: ExitPolicy };
  };
  /** Ring capacities in 64-byte slots (powers of two), and book-ring consumer slots. */
  rings?: { md?: number; book?: number; control?: number; bookConsumers?: number };
  /** Book sizing over bookConfigForInstrument (window layout on the tick grid). */
  book?: BookConfig;
  sync?: Omit<BookSyncOptions, 'market'>;
  /** A registry whose definitions include mdMetricDefinitions(venue name); default: one of its own. */
  metrics?: MetricsRegistry;
  /** Longest io wait for md ring space before a message is dropped (counted). Default 1000 ms. */
  maxRingWaitMs?: number;
  snapshotRetryMs?: { initial: number; max: number };
  logger?: RuntimeLogger;
  /** Longest wait for the book thread's warm-up before start() fails. Default 10000. */
  warmUpTimeoutMs?: number;
  /** A fatal book thread (it exhausted its restarts). Default: logged. */
  onFatal?: (f: ThreadFatal) => void;
}

export interface MdPipelineCounters {
  io: MdIoCounters;
  /** Totals over every book (book worker). */
  books: BookStatsRow;
  venue: Record<string, number>;
  rings: { mdFull: number; bookLapped: number; bookLost: number };
}

const DEFAULT_RINGS = { md: 65536, book: 16384, control: 1024, bookConsumers: 8 };
const DEFAULT_SYNC: Omit<BookSyncOptions, 'market'> = { maxBufferedMessages: 4096, maxBufferedLevels: 16384 };

function venueOf(v: BinanceVenueConfig | MdVenue, instruments: readonly Instrument[]): MdVenue {
  if ('start' in v) return v;
  const { kind, wsUrl, restUrl, ...rest } = v;
  const options: BinanceMdOptions = { ...rest, market: kind === 'binance' ? 'spot' : 'usdm' };
  if (wsUrl !== undefined) options.wsBase = wsUrl;
  if (restUrl !== undefined) options.restBase = restUrl;
  return new BinanceMdVenue(
    options,
    instruments.map((i) => ({ id: i.id, venueSymbol: i.venueSymbol, priceScale: i.priceScale, qtyScale: i.qtyScale })),
  );
}

export class MarketDataPipeline {
  readonly venueName: string;
  readonly books: BookDirectory;
  readonly bookRing: BroadcastRing;
  readonly metrics: MetricsRegistry;
  readonly runtime: ThreadRuntime;
  readonly io: MarketDataIo;
  private readonly mdRing: SpscRing;
  private readonly controlRing: SpscRing;
  private readonly stats: BookStatsView;
  private readonly readers: SharedBookReader[];
  private readonly top = new TopOfBook();
  private stopping: Promise<void> | null = null;

  private constructor(o: MarketDataPipelineOptions) {
    if (!Array.isArray(o.instruments) || o.instruments.length === 0) throw new RangeError('the market-data pipeline needs at least one instrument');
    const venue = venueOf(o.venue, o.instruments);
    this.venueName = venue.name;
    const logger = o.logger ?? consoleLogger;
    const rings = { ...DEFAULT_RINGS, ...o.rings };
    this.mdRing = SpscRing.create({ capacity: rings.md });
    this.controlRing = SpscRing.create({ capacity: rings.control });
    this.bookRing = BroadcastRing.create({ capacity: rings.book, consumers: rings.bookConsumers });
    this.metrics = o.metrics ?? MetricsRegistry.create(mdMetricDefinitions(venue.name));

    const entries: BookDirectoryEntry[] = [];
    const books: BookWorkerBook[] = [];
    for (const inst of o.instruments) {
      const config = bookConfigForInstrument(inst, o.book);
      // Laid out here, so readers anywhere can attach before the book thread runs.
      const buffer = new SharedBookWriter(config).buffer;
      entries.push({ instrumentId: inst.id, venue: inst.venue, symbol: inst.symbol, priceScale: inst.priceScale, qtyScale: inst.qtyScale, buffer });
      books.push({ instrumentId: inst.id, config, buffer });
    }
    this.books = BookDirectory.from(entries);
    this.readers = entries.map((e) => this.books.reader(e.instrumentId));
    const maxId = o.instruments.reduce((a, i) => Math.max(a, i.id), 0);
    const statsBuffer = new SharedArrayBuffer(bookStatsBytes(maxId));
    this.stats = new BookStatsView(statsBuffer);

    const workerConfig: BookWorkerConfig = {
      venue: venue.name,
      syncKind: venue.syncKind,
      books,
      stats: statsBuffer,
      metrics: { sab: this.metrics.sab, definitions: [...this.metrics.definitions] },
      sync: { ...DEFAULT_SYNC, ...o.sync },
    };
    const book = o.threads?.book ?? {};
    const ringName = (r: string): string => `${r}.${venue.name}`;
    this.runtime = new ThreadRuntime({
      threads: [
        {
          name: `book-${venue.name.replace(/[^a-z0-9_-]/g, '-')}`,
          module: new URL('./book-worker.js', import.meta.url),
          waitStrategy: book.waitStrategy ?? 'backoff',
          ...(book.cpus ? { cpus: book.cpus } : {}),
          ...(book.schedFifo !== undefined ? { schedFifo: book.schedFifo } : {}),
          rings: {
            [BOOK_WORKER_RINGS.md]: ringName('md'),
            [BOOK_WORKER_RINGS.book]: ringName('book'),
            [BOOK_WORKER_RINGS.control]: ringName('control'),
          },
          config: workerConfig,
          onExit: book.onExit ?? { kind: 'restart', maxRestarts: 5, backoffMs: 100, maxBackoffMs: 5000, windowMs: 60_000 },
        },
      ],
      rings: { [ringName('md')]: this.mdRing.buffer, [ringName('book')]: this.bookRing.buffer, [ringName('control')]: this.controlRing.buffer },
      logger,
    });
    this.runtime.on('fatal', o.onFatal ?? ((f) => logger.error({ thread: f.name }, `market data for ${venue.name} lost its book thread: ${f.error.message}`)));
    this.io = new MarketDataIo({
      venue,
      mdRing: this.mdRing,
      controlRing: this.controlRing,
      bookRing: this.bookRing,
      wait: o.threads?.io?.waitStrategy ?? 'block',
      ...(o.maxRingWaitMs !== undefined ? { maxRingWaitMs: o.maxRingWaitMs } : {}),
      ...(o.snapshotRetryMs ? { snapshotRetryMs: o.snapshotRetryMs } : {}),
      metrics: this.metrics,
      onError: (err, what) => logger.warn({ venue: venue.name, err: err.message }, `market data: ${what}`),
    });
  }

  /**
   * Starts the book thread and waits until it has warmed up (book-worker-warmup.ts), then
   * starts the venue feed; resolves once both run (the books are not valid yet).
   */
  static async start(o: MarketDataPipelineOptions): Promise<MarketDataPipeline> {
    const p = new MarketDataPipeline(o);
    await p.runtime.start();
    const deadline = Date.now() + (o.warmUpTimeoutMs ?? 10_000);
    while (p.stats.cells[BookStat.READY] !== 1) {
      if (Date.now() > deadline) {
        await p.stop();
        throw new Error(`${p.venueName}: the book thread did not finish warming up in ${o.warmUpTimeoutMs ?? 10_000} ms`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    p.io.start();
    return p;
  }

  /** The book ring's memory, for strategy threads (BroadcastRing.attach + subscribe(index)). */
  get bookRingBuffer(): SharedArrayBuffer {
    return this.bookRing.buffer;
  }

  /** Books currently valid (in sync with the venue). */
  validCount(): number {
    let n = 0;
    for (const r of this.readers) if (r.readBest(this.top) && this.top.valid) n++;
    return n;
  }

  /** Readiness: every book is in sync with the venue. */
  allValid(): boolean {
    return this.validCount() === this.readers.length;
  }

  /** Resolves once every book is valid; rejects after `timeoutMs` naming how many are not. */
  async whenAllValid(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = this.validCount();
      if (n === this.readers.length) return;
      if (Date.now() >= deadline) throw new Error(`${this.venueName}: ${this.readers.length - n} of ${this.readers.length} books still not valid after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** What one book went through (sync state, gaps, resyncs, …); instrument 0 = totals. */
  bookStats(instrumentId = 0): BookStatsRow {
    return this.stats.row(instrumentId);
  }

  counters(): MdPipelineCounters {
    let lapped = 0;
    let lost = 0;
    for (let i = 0; i < this.bookRing.layout.consumers; i++) {
      const s = this.bookRing.consumerStats(i);
      lapped += s.lapped;
      lost += s.lost;
    }
    return {
      io: this.io.counters(),
      books: this.stats.row(0),
      venue: this.io.venue.counters(),
      rings: { mdFull: this.mdRing.stats().full, bookLapped: lapped, bookLost: lost },
    };
  }

  /** Receive → book-published latency of depth messages so far, ns. */
  latency(): ReturnType<ReturnType<MetricsRegistry['histogram']>['summary']> {
    return this.metrics.histogram(MdMetric.LATENCY, { venue: this.venueName }).summary();
  }

  /** Stops the feed, then the book thread; closes the rings. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.io.stop();
      const threads = this.runtime.stop();
      this.mdRing.close();
      this.controlRing.close();
      await threads;
      this.bookRing.close();
      await this.io.closed();
    })();
    return this.stopping;
  }
}
