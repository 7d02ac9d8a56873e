/**
 * Binance spot or USD-M as a market-data venue of the pipeline (the MdVenue shape of
 * src/md/md-venue.ts): the feed connector hands raw frames over, the decoder (native
 * simdjson, or its TS twin) writes them into md ring slots, depth snapshots come from the
 * single-flight fetcher under the shared REST gate, and a lost connection names the books
 * its depth streams fed.
 */
import { createDecoder, decodeStatusName, DecodeStatus, type MdDecoder } from './decode/index.js';
import { BinanceFeedClient, DepthSnapshotFetcher, RestGate, type BinanceFeedOptions, type FeedHandler } from './feed/index.js';
import { WEIGHT_LIMIT_PER_MIN } from './feed/snapshot-fetcher.js';
import { streamSymbol } from './feed/stream-names.js';

export type BinanceMdMarket = 'spot' | 'usdm';

export interface BinanceMdInstrument {
  readonly id: number;
  /** Upper-case venue symbol, e.g. BTCUSDT. */
  readonly venueSymbol: string;
  readonly priceScale: number;
  readonly qtyScale: number;
}

export interface BinanceMdOptions {
  market: BinanceMdMarket;
  wsBase?: string;
  restBase?: string;
  /** Streams per symbol; default depth@100ms and trade. */
  streams?: readonly string[];
  /** Levels per depth snapshot. Default 1000 (spot 1..5000; USD-M one of 5..1000). */
  snapshotLimit?: number;
  /** Further feed options (connection plan, deadlines, backoff). */
  feed?: Omit<BinanceFeedOptions, 'market' | 'symbols' | 'streams' | 'urls'>;
  snapshot?: { timeoutMs?: number; maxAttempts?: number; maxWaitMs?: number };
  decoder?: 'auto' | 'native' | 'ts';
  /** Share one REST gate between the feeds of one IP. */
  restGate?: RestGate;
}

export interface BinanceMdSink {
  frame(frame: Buffer, recvNs: bigint): void;
  interrupted(instrumentIds: readonly number[], reason: string): void;
}

export class BinanceMdVenue {
  readonly name: 'binance' | 'binance-usdm';
  readonly syncKind: 'binance-spot' | 'binance-usdm';
  readonly decoder: MdDecoder;
  readonly decoderImplementation: string;
  readonly needSpaceStatus: number = DecodeStatus.NEED_SPACE;
  readonly maxSnapshotSlots: number;
  private readonly fetcher: DepthSnapshotFetcher;
  private readonly symbolById = new Map<number, string>();
  private readonly idBySymbol = new Map<string, number>();
  private readonly limit: number;
  private feed: BinanceFeedClient | null = null;

  constructor(
    private readonly options: BinanceMdOptions,
    instruments: readonly BinanceMdInstrument[],
  ) {
    const market = options.market;
    this.name = market === 'spot' ? 'binance' : 'binance-usdm';
    this.syncKind = market === 'spot' ? 'binance-spot' : 'binance-usdm';
    for (const i of instruments) {
      const sym = i.venueSymbol.toUpperCase();
      this.symbolById.set(i.id, sym);
      this.idBySymbol.set(sym, i.id);
    }
    const created = createDecoder({
      venue: this.name,
      instruments: instruments.map((i) => ({ venueSymbol: i.venueSymbol, instrumentId: i.id, priceScale: i.priceScale, qtyScale: i.qtyScale })),
      implementation: options.decoder ?? 'auto',
    });
    this.decoder = created.decoder;
    this.decoderImplementation = created.fallbackReason ? `${created.implementation} (${created.fallbackReason})` : created.implementation;
    this.limit = options.snapshotLimit ?? 1000;
    // Every level one event, plus the SNAPSHOT_BEGIN and SNAPSHOT_END markers.
    this.maxSnapshotSlots = 2 * this.limit + 2;
    this.fetcher = new DepthSnapshotFetcher({
      market,
      ...(options.restBase !== undefined ? { restBase: options.restBase } : {}),
      ...options.snapshot,
      gate: options.restGate ?? new RestGate(WEIGHT_LIMIT_PER_MIN[market]),
    });
  }

  statusName(status: number): string {
    return decodeStatusName(status);
  }

  start(sink: BinanceMdSink): void {
    if (this.feed) throw new Error(`${this.name} market data already started`);
    const idBySymbol = this.idBySymbol;
    const handler: FeedHandler = {
      onFrame: (frame, recvNs) => sink.frame(frame, recvNs),
      onStreamsInterrupted(streams, reason) {
        const ids: number[] = [];
        for (const s of streams) {
          if (!s.includes('@depth') && !s.includes('@rpiDepth')) continue;
          const id = idBySymbol.get(streamSymbol(s));
          if (id !== undefined && !ids.includes(id)) ids.push(id);
        }
        if (ids.length > 0) sink.interrupted(ids, reason);
      },
    };
    const urls: { wsBase?: string; restBase?: string } = {};
    if (this.options.wsBase !== undefined) urls.wsBase = this.options.wsBase;
    if (this.options.restBase !== undefined) urls.restBase = this.options.restBase;
    this.feed = new BinanceFeedClient(
      {
        // The decoders validate UTF-8 themselves (malformed input is MALFORMED_JSON):
        // ws need not walk every frame a second time.
        validateUtf8: false,
        ...this.options.feed,
        market: this.options.market,
        urls,
        symbols: [...this.symbolById.values()],
        streams: this.options.streams ?? ['depth@100ms', 'trade'],
      },
      handler,
    );
    this.feed.start();
  }

  async stop(): Promise<void> {
    this.fetcher.stop();
    await this.feed?.stop();
  }

  fetchSnapshot(instrumentId: number): Promise<Buffer> {
    const symbol = this.symbolById.get(instrumentId);
    if (symbol === undefined) return Promise.reject(new RangeError(`no ${this.name} instrument ${instrumentId}`));
    return this.fetcher.fetch(symbol, this.limit);
  }

  /** Live connections, the feed's summed per-connection counters, snapshot and REST-gate counters. */
  counters(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.feed) {
      out['liveConnections'] = this.feed.liveCount();
      out['plannedConnections'] = this.feed.plan.length;
      for (const [k, v] of Object.entries(this.feed.totals())) out[`feed.${k}`] = v;
    }
    for (const [k, v] of Object.entries(this.fetcher.counters)) out[`snapshot.${k}`] = v;
    for (const [k, v] of Object.entries(this.fetcher.gate.counters)) out[`rest.${k}`] = v;
    return out;
  }
}
