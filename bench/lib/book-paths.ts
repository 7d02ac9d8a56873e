/**
 * Two ways to maintain the books of a recorded depth session in one thread, fed frame by
 * frame, for the veloz-vs-ccxt benchmark:
 *
 *   VelozBookPath  the engine's own code: native decoder → md ring (MdRingWriter) →
 *                  BookWorkerCore (BinanceBookSync + SharedBookWriter per book, BookChanged
 *                  on a book ring); snapshot requests answered from the session's bodies.
 *   CcxtBookPath   ccxt 4.5.84 (pro) binance: a never-connected WebSocket client's
 *                  onMessage (its parsing) → handleMessage → handleOrderBook, with the
 *                  REST snapshot served in-process through fetchOrderBook.
 */
import ccxt from 'ccxt';
import { BroadcastRing } from '../../src/core/ring/broadcast-ring.js';
import { SpscRing } from '../../src/core/ring/spsc-ring.js';
import { bookConfigForInstrument } from '../../src/book/book-config.js';
import { BookLevels } from '../../src/book/book-levels.js';
import { SharedBookReader } from '../../src/book/shared-book-reader.js';
import { SharedBookWriter } from '../../src/book/shared-book-writer.js';
import { createDecoder, DecodeStatus } from '../../src/venues/binance/decode/index.js';
import { BookWorkerCore } from '../../src/md/book-worker-core.js';
import { BookStat, bookStatsBytes } from '../../src/md/book-stats.js';
import { MdRingWriter } from '../../src/md/md-ring-writer.js';
import { SnapshotRequestReader, SnapshotRequestWriter } from '../../src/md/snapshot-requests.js';
import type { DepthSession, FinalBook } from './depth-session.js';

/** Receive stamp handed to the decoder (a constant: the benchmark measures the book path, not a clock). */
const RECV_NS = 1_000_000_000n;
/** Frames between drains of the md ring (the book worker drains in batches). */
const DRAIN_EVERY = 32;

export class VelozBookPath {
  private readonly writer: MdRingWriter;
  private readonly core: BookWorkerCore;
  private readonly requests: SnapshotRequestReader;
  private readonly stats: Float64Array;
  private readonly bodyById = new Map<number, Buffer>();
  private pending = 0;
  private readonly serve = (id: number): void => {
    this.writer.writeSnapshot(this.bodyById.get(id)!, id, RECV_NS);
  };

  constructor(private readonly session: DepthSession) {
    const { decoder } = createDecoder({
      venue: 'binance',
      instruments: session.instruments.map((i) => ({ venueSymbol: i.venueSymbol, instrumentId: i.id, priceScale: i.priceScale, qtyScale: i.qtyScale })),
      implementation: 'native',
    });
    const md = SpscRing.create({ capacity: 65536 });
    const control = SpscRing.create({ capacity: 64 });
    const bookRing = BroadcastRing.create({ capacity: 16384, consumers: 1 });
    const maxId = Math.max(...session.instruments.map((i) => i.id));
    const statsBuffer = new SharedArrayBuffer(bookStatsBytes(maxId));
    this.stats = new Float64Array(statsBuffer);
    this.core = new BookWorkerCore({
      syncKind: 'binance-spot',
      books: session.instruments.map((inst) => {
        const config = bookConfigForInstrument(inst);
        return { instrumentId: inst.id, config, buffer: new SharedBookWriter(config).buffer };
      }),
      md: md.consumer('spin'),
      mdBuffer: md.buffer,
      bookRing: bookRing.producer(),
      bookRingBuffer: bookRing.buffer,
      requests: new SnapshotRequestWriter(control, maxId),
      stats: this.stats,
    });
    this.writer = new MdRingWriter(md, 'spin', decoder, DecodeStatus.NEED_SPACE, 1000);
    this.requests = new SnapshotRequestReader(control);
    for (const inst of session.instruments) this.bodyById.set(inst.id, session.snapshots.get(inst.symbol)!);
  }

  /** Feeds frames [from, to); snapshots are answered as the books ask. */
  feed(from: number, to: number): void {
    const frames = this.session.frames;
    for (let i = from; i < to; i++) {
      this.writer.writeFrame(frames[i]!, RECV_NS);
      if (++this.pending === DRAIN_EVERY) this.drain();
    }
  }

  drain(): void {
    this.pending = 0;
    this.core.poll();
    if (this.requests.drain(this.serve) > 0) this.core.poll();
  }

  /** Messages the books handled. */
  get messages(): number {
    return this.stats[BookStat.MESSAGES]!;
  }

  get gaps(): number {
    return this.stats[BookStat.GAPS]!;
  }

  /** Whole-book differences from the session's final state (empty when equal). */
  compare(): string[] {
    this.drain();
    const out: string[] = [];
    for (const inst of this.session.instruments) {
      const writer = this.core.writerOf(inst.id)!;
      const l = new BookLevels(8192);
      new SharedBookReader(writer.buffer).readFull(l);
      const want = this.session.final.get(inst.symbol)!;
      const got: FinalBook = {
        lastUpdateId: l.lastUpdateId,
        bids: Array.from({ length: l.bidCount }, (_, k) => [l.bidPrice(k), l.bidQty(k)] as [number, number]),
        asks: Array.from({ length: l.askCount }, (_, k) => [l.askPrice(k), l.askQty(k)] as [number, number]),
      };
      if (!l.valid) out.push(`${inst.symbol}: not valid`);
      if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${inst.symbol}: differs from the sim's final book`);
    }
    return out;
  }
}

interface CcxtOrderBook {
  bids: ArrayLike<ArrayLike<number>>;
  asks: ArrayLike<ArrayLike<number>>;
  nonce: number | undefined;
}

interface CcxtBinance {
  urls: { api: Record<string, unknown> };
  markets: Record<string, unknown>;
  orderbooks: Record<string, CcxtOrderBook>;
  loadMarkets(): Promise<unknown>;
  client(url: string): { onMessage(event: { data: Buffer }): void };
  handleOrderBookSubscription(client: unknown, message: unknown, subscription: unknown): void;
  parseOrderBook(response: unknown, symbol: string, timestamp?: number): CcxtOrderBook;
  fetchOrderBook: (symbol: string, limit?: number) => Promise<CcxtOrderBook>;
  close(): Promise<void>;
}

export class CcxtBookPath {
  private ex!: CcxtBinance;
  private client!: { onMessage(event: { data: Buffer }): void };
  private readonly event: { data: Buffer } = { data: Buffer.alloc(0) };
  private readonly unified = new Map<string, string>();

  private constructor(private readonly session: DepthSession) {}

  /** Loads ccxt's markets from the sim at `restUrl` (exchangeInfo) and subscribes every book. */
  static async create(session: DepthSession, restUrl: string): Promise<CcxtBookPath> {
    const p = new CcxtBookPath(session);
    const Binance = (ccxt as unknown as { pro: { binance: new (o: unknown) => CcxtBinance } }).pro.binance;
    const ex = new Binance({ enableRateLimit: false, options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } });
    for (const [k, v] of Object.entries(ex.urls.api)) if (typeof v === 'string') ex.urls.api[k] = v.replace(/^https:\/\/[^/]+/, restUrl);
    await ex.loadMarkets();
    // ccxt's REST snapshot, answered from the session (its own parse, as fetchOrderBook does).
    const bodies = new Map<string, Buffer>();
    for (const s of session.symbols) bodies.set(`${s.base}/${s.quote}`, session.snapshots.get(s.symbol)!);
    ex.fetchOrderBook = async (symbol: string) => {
      const response = JSON.parse(bodies.get(symbol)!.toString()) as { lastUpdateId: number };
      const ob = ex.parseOrderBook(response, symbol);
      ob.nonce = response.lastUpdateId;
      return ob;
    };
    // A spot combined-stream URL (ccxt tells spot from futures by it); never connected.
    p.client = ex.client('wss://stream.binance.com:9443/stream');
    p.ex = ex;
    for (const s of session.symbols) {
      const unified = `${s.base}/${s.quote}`;
      p.unified.set(s.symbol, unified);
      ex.handleOrderBookSubscription(p.client, {}, { symbol: unified, limit: 1000, type: 'spot', params: {} });
    }
    // The snapshot fetches are spawned with setTimeout 0.
    await new Promise((r) => setTimeout(r, 20));
    return p;
  }

  feed(from: number, to: number): void {
    const frames = this.session.frames;
    const ev = this.event;
    const client = this.client;
    for (let i = from; i < to; i++) {
      ev.data = frames[i]! as Buffer<ArrayBuffer>;
      client.onMessage(ev);
    }
  }

  /** Differences of the top `depth` levels from the session's final state. */
  compare(depth: number): string[] {
    const out: string[] = [];
    for (const inst of this.session.instruments) {
      const ob = this.ex.orderbooks[this.unified.get(inst.symbol)!];
      const want = this.session.final.get(inst.symbol)!;
      if (!ob) {
        out.push(`${inst.symbol}: ccxt has no book (it dropped it after an error)`);
        continue;
      }
      if (ob.nonce !== want.lastUpdateId) out.push(`${inst.symbol}: ccxt nonce ${ob.nonce}, the sim ${want.lastUpdateId}`);
      const side = (levels: ArrayLike<ArrayLike<number>>, truth: [number, number][]): boolean => {
        for (let k = 0; k < depth && k < truth.length; k++) {
          const [p, q] = truth[k]!;
          const l = levels[k];
          if (!l || l[0] !== p / 10 ** inst.priceScale || Math.abs(l[1]! - q / 10 ** inst.qtyScale) > 1e-9 * Math.max(1, l[1]!)) return false;
        }
        return true;
      };
      if (!side(ob.bids, want.bids) || !side(ob.asks, want.asks)) out.push(`${inst.symbol}: ccxt's top ${depth} levels differ from the sim's`);
    }
    return out;
  }

  close(): Promise<void> {
    return this.ex.close();
  }
}
