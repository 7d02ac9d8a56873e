/**
 * Turns book events into Binance market-data frames and fans them out to the subscribed
 * connections. Diff depth follows Binance sequencing: each event carries U (first) and u
 * (final) update id of the book changes since the previous event of that stream; USD-M
 * events add T and pu (= previous event's u). With a depth interval of 0 every book batch
 * is its own event; with an interval the changes are merged per price (last quantity wins)
 * and sent once per interval, as Binance's 100 ms / 1000 ms streams do.
 *
 * Frames go out through FrameFanout (fanout.ts): queued per connection, written in one
 * uWS cork per connection once per generator slice or event-loop turn.
 */
import type { MatchingEngine } from '../matching/engine.js';
import type { BookEvents, FillRecord, OrderBook } from '../matching/order-book.js';
import type { PriceLevel } from '../matching/price-level.js';
import { BID, type RestingOrder, type SideCode } from '../matching/resting-order.js';
import type { SimFaults } from '../faults.js';
import type { SimClock } from '../server/plugin.js';
import type { BinanceFormat, SimMarketMode } from './format.js';
import type { CloseReason, MdConnection } from './connection.js';
import { FrameFanout } from './fanout.js';
import { PartialChannel, SymbolFeed } from './symbol-feed.js';
import * as msg from './messages.js';
import { DEPTH_VARIANTS, parseStream, type StreamSpec } from './streams.js';
import { PublisherStats } from './publisher-stats.js';

export interface PublisherOptions {
  mode: SimMarketMode;
  format: BinanceFormat;
  clock: SimClock;
  faults: SimFaults;
  /** Diff-depth interval per variant suffix ('' = @depth, '@100ms', …); 0 = every batch. */
  depthIntervals: Record<string, number>;
  /** Interval of partial-depth streams; default Binance's per stream. */
  partialIntervalMs?: number;
  /** Called to close a connection for a reason (the server owns sockets). */
  close: (conn: MdConnection, reason: CloseReason) => void;
}

export class MarketPublisher implements BookEvents {
  readonly stats = new PublisherStats();
  private readonly feeds = new Map<string, SymbolFeed>();
  private readonly out: FrameFanout;
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly removeSink: () => void;
  private readonly mode: SimMarketMode;

  constructor(
    private readonly engine: MatchingEngine,
    private readonly options: PublisherOptions,
  ) {
    this.mode = options.mode;
    for (const symbol of engine.symbols()) {
      this.feeds.set(symbol, new SymbolFeed(engine.instrument(symbol), engine.book(symbol), options.format, options.depthIntervals));
    }
    this.out = new FrameFanout({ clock: options.clock, faults: options.faults, close: options.close });
    this.removeSink = engine.addSink(this);
  }

  // Connections and subscriptions.

  attach(conn: MdConnection): void {
    this.out.conns.add(conn);
    this.stats.connectionOpened();
  }

  detach(conn: MdConnection, reason: CloseReason): void {
    if (!this.out.remove(conn)) return;
    for (const name of [...conn.streams]) this.unsubscribe(conn, name);
    this.stats.connectionClosed(reason);
  }

  /** Messages sent per stream since start (streams that sent any). */
  messagesByStream(): Record<string, number> {
    const out: Record<string, number> = this.stats.extraByStream();
    for (const feed of this.feeds.values()) for (const o of feed.outs()) if (o.sent > 0) out[o.name] = (out[o.name] ?? 0) + o.sent;
    return out;
  }

  connections(): ReadonlySet<MdConnection> {
    return this.out.conns;
  }

  /** Parses a stream name against this sim's symbols; undefined when invalid. */
  parse(name: string): StreamSpec | undefined {
    return parseStream(name, this.mode, (s) => this.feeds.has(s));
  }

  subscribe(conn: MdConnection, spec: StreamSpec): void {
    if (conn.streams.has(spec.name)) return;
    const feed = this.feeds.get(spec.symbol) as SymbolFeed;
    conn.streams.add(spec.name);
    switch (spec.kind) {
      case 'depth': {
        const ch = feed.channel(spec.variant);
        if (ch.subs.size === 0) {
          ch.bids.clear();
          ch.asks.clear();
          ch.firstId = 0;
          ch.prevU = feed.book.lastUpdateId;
        }
        ch.subs.add(conn);
        if (ch.intervalMs > 0) {
          feed.intervalSubs++;
          this.ensureTimer(ch.intervalMs);
        } else {
          feed.immediateSubs++;
        }
        break;
      }
      case 'partial': {
        const ms = this.options.partialIntervalMs ?? spec.binanceIntervalMs;
        let ch = feed.partial.get(spec.name);
        if (!ch) feed.partial.set(spec.name, (ch = new PartialChannel(spec.name, spec.levels, ms)));
        ch.subs.add(conn);
        this.ensureTimer(ms);
        break;
      }
      case 'trade':
        feed.trade.subs.add(conn);
        break;
      case 'aggTrade':
        feed.aggTrade.subs.add(conn);
        break;
      case 'bookTicker':
        feed.bookTicker.subs.add(conn);
        break;
    }
  }

  unsubscribe(conn: MdConnection, name: string): void {
    if (!conn.streams.delete(name)) return;
    const spec = this.parse(name);
    if (!spec) return;
    const feed = this.feeds.get(spec.symbol) as SymbolFeed;
    switch (spec.kind) {
      case 'depth': {
        const ch = feed.channel(spec.variant);
        if (ch.subs.delete(conn)) {
          if (ch.intervalMs > 0) feed.intervalSubs--;
          else feed.immediateSubs--;
        }
        break;
      }
      case 'partial':
        feed.partial.get(name)?.subs.delete(conn);
        break;
      case 'trade':
        feed.trade.subs.delete(conn);
        break;
      case 'aggTrade':
        feed.aggTrade.subs.delete(conn);
        break;
      case 'bookTicker':
        feed.bookTicker.subs.delete(conn);
        break;
    }
  }

  /** Queues a control reply (or any frame) for one connection, ahead of later data. */
  sendTo(conn: MdConnection, frame: string | Uint8Array): void {
    this.out.enqueue(conn, frame);
  }

  /** Writes every queued frame now (the generator calls this after each slice). */
  flush(): void {
    this.out.flush();
  }

  /** True while some connection is more than a high-water mark behind. */
  isBackpressured(): boolean {
    return this.out.isBackpressured();
  }

  drained(conn: MdConnection): void {
    this.out.drained(conn);
  }

  announceShutdown(): void {
    this.out.announceShutdown();
  }

  stop(): void {
    for (const t of this.timers.values()) clearInterval(t);
    this.timers.clear();
    this.out.stop();
    this.removeSink();
  }

  // BookEvents.

  orderUpdated(_book: OrderBook, _order: RestingOrder, _fill: FillRecord | null): void {}

  trade(book: OrderBook, fill: FillRecord): void {
    const feed = this.feeds.get(book.symbol) as SymbolFeed;
    const buyerIsMaker = fill.takerSide !== BID;
    if (feed.trade.subs.size > 0) {
      const p = feed.price(fill.price);
      const q = feed.qty(fill.qty);
      const E = this.options.clock.nowMs();
      const payload = this.mode === 'spot' ? msg.spotTrade(E, book.symbol, fill.tradeId, p, q, fill.timeMs, buyerIsMaker) : msg.usdmTrade(E, book.symbol, fill.tradeId, p, q, fill.timeMs, buyerIsMaker);
      this.out.deliver(feed.trade, payload, false);
    }
    if (feed.aggTrade.subs.size > 0) {
      const i = feed.nT++;
      feed.tId[i] = fill.tradeId;
      feed.tP[i] = fill.price;
      feed.tQ[i] = fill.qty;
      feed.tBuyerMaker = buyerIsMaker;
    }
  }

  levelChanged(book: OrderBook, side: SideCode, price: number, qty: number, _updateId: number): void {
    const feed = this.feeds.get(book.symbol) as SymbolFeed;
    if (feed.immediateSubs === 0 && feed.intervalSubs === 0) return;
    if (side === BID) {
      feed.bP[feed.nB] = price;
      feed.bQ[feed.nB++] = qty;
    } else {
      feed.aP[feed.nA] = price;
      feed.aQ[feed.nA++] = qty;
    }
  }

  batchEnd(book: OrderBook, changes: number): void {
    const feed = this.feeds.get(book.symbol) as SymbolFeed;
    if (feed.nT > 0) this.emitAggTrades(feed);
    if (changes === 0) return;
    const u = book.lastUpdateId;
    const U = u - changes + 1;
    if (feed.immediateSubs > 0 || feed.intervalSubs > 0) {
      if (feed.immediateSubs > 0) this.emitImmediate(feed, U, u);
      if (feed.intervalSubs > 0) this.mergeInterval(feed, U, u);
      feed.nB = 0;
      feed.nA = 0;
    }
    feed.prevBatchU = u;
    if (feed.bookTicker.subs.size > 0) this.emitBookTicker(feed);
  }

  // Emission.

  private emitImmediate(feed: SymbolFeed, U: number, u: number): void {
    const ps = feed.ps;
    const qs = feed.qs;
    const nb = feed.nB;
    for (let i = 0; i < nb; i++) {
      ps[i] = feed.price(feed.bP[i] as number);
      qs[i] = feed.qty(feed.bQ[i] as number);
    }
    const bids = msg.levelsJson(ps, qs, nb);
    const na = feed.nA;
    for (let i = 0; i < na; i++) {
      ps[i] = feed.price(feed.aP[i] as number);
      qs[i] = feed.qty(feed.aQ[i] as number);
    }
    const asks = msg.levelsJson(ps, qs, na);
    const E = this.options.clock.nowMs();
    const payload = this.mode === 'spot' ? msg.spotDepthUpdate(E, feed.inst.symbol, U, u, bids, asks) : msg.usdmDepthUpdate(E, feed.book.lastBatchTimeMs, feed.inst.symbol, U, u, feed.prevBatchU, bids, asks);
    for (const ch of feed.depth) {
      if (ch.intervalMs > 0 || ch.subs.size === 0) continue;
      ch.prevU = u;
      this.out.deliver(ch, payload, true);
    }
  }

  private mergeInterval(feed: SymbolFeed, U: number, u: number): void {
    for (const ch of feed.depth) {
      if (ch.intervalMs === 0 || ch.subs.size === 0) continue;
      if (ch.firstId === 0) ch.firstId = U;
      ch.lastId = u;
      ch.lastT = feed.book.lastBatchTimeMs;
      for (let i = 0; i < feed.nB; i++) ch.bids.set(feed.bP[i] as number, feed.bQ[i] as number);
      for (let i = 0; i < feed.nA; i++) ch.asks.set(feed.aP[i] as number, feed.aQ[i] as number);
    }
  }

  private flushInterval(intervalMs: number): void {
    for (const feed of this.feeds.values()) {
      for (const ch of feed.depth) {
        if (ch.intervalMs !== intervalMs || ch.firstId === 0) continue;
        if (ch.subs.size > 0) {
          const bids = this.mapJson(feed, ch.bids, true);
          const asks = this.mapJson(feed, ch.asks, false);
          const E = this.options.clock.nowMs();
          const payload = this.mode === 'spot' ? msg.spotDepthUpdate(E, feed.inst.symbol, ch.firstId, ch.lastId, bids, asks) : msg.usdmDepthUpdate(E, ch.lastT, feed.inst.symbol, ch.firstId, ch.lastId, ch.prevU, bids, asks);
          this.out.deliver(ch, payload, true);
        }
        ch.prevU = ch.lastId;
        ch.firstId = 0;
        ch.bids.clear();
        ch.asks.clear();
      }
      for (const ch of feed.partial.values()) {
        if (ch.intervalMs === intervalMs && ch.subs.size > 0) this.emitPartial(feed, ch);
      }
    }
    this.out.flush();
  }

  /** Merged levels, best first as Binance orders them. */
  private mapJson(feed: SymbolFeed, m: Map<number, number>, bids: boolean): string {
    const prices = [...m.keys()].sort((a, b) => (bids ? b - a : a - b));
    const ps = feed.ps2;
    const qs = feed.qs2;
    for (let i = 0; i < prices.length; i++) {
      const p = prices[i] as number;
      ps[i] = feed.price(p);
      qs[i] = feed.qty(m.get(p) as number);
    }
    return msg.levelsJson(ps, qs, prices.length);
  }

  private emitPartial(feed: SymbolFeed, ch: PartialChannel): void {
    const side = (levels: PriceLevel[]): string => {
      const n = Math.min(ch.levels, levels.length);
      for (let i = 0; i < n; i++) {
        const l = levels[levels.length - 1 - i] as PriceLevel;
        feed.ps2[i] = feed.price(l.price);
        feed.qs2[i] = feed.qty(l.total);
      }
      return msg.levelsJson(feed.ps2, feed.qs2, n);
    };
    const bids = side(feed.book.bids.levels);
    const asks = side(feed.book.asks.levels);
    const u = feed.book.lastUpdateId;
    const payload =
      this.mode === 'spot'
        ? msg.spotPartialDepth(u, bids, asks)
        : msg.usdmDepthUpdate(this.options.clock.nowMs(), feed.book.lastBatchTimeMs, feed.inst.symbol, u, u, ch.prevU, bids, asks);
    ch.prevU = u;
    this.out.deliver(ch, payload, false);
  }

  private emitBookTicker(feed: SymbolFeed): void {
    const bid = feed.book.bids.best();
    const ask = feed.book.asks.best();
    const bp = bid?.price ?? 0;
    const bq = bid?.total ?? 0;
    const ap = ask?.price ?? 0;
    const aq = ask?.total ?? 0;
    if (bp === feed.tickerBid && bq === feed.tickerBidQty && ap === feed.tickerAsk && aq === feed.tickerAskQty) return;
    feed.tickerBid = bp;
    feed.tickerBidQty = bq;
    feed.tickerAsk = ap;
    feed.tickerAskQty = aq;
    const u = feed.book.lastUpdateId;
    const payload =
      this.mode === 'spot'
        ? msg.spotBookTicker(u, feed.inst.symbol, feed.price(bp), feed.qty(bq), feed.price(ap), feed.qty(aq))
        : msg.usdmBookTicker(u, this.options.clock.nowMs(), feed.book.lastBatchTimeMs, feed.inst.symbol, feed.price(bp), feed.qty(bq), feed.price(ap), feed.qty(aq));
    this.out.deliver(feed.bookTicker, payload, false);
  }

  /** Fills of one taker at one price form one aggregate trade, as on Binance. */
  private emitAggTrades(feed: SymbolFeed): void {
    const n = feed.nT;
    const E = this.options.clock.nowMs();
    const T = feed.book.lastBatchTimeMs;
    for (let i = 0; i < n; ) {
      const price = feed.tP[i] as number;
      let j = i;
      let qty = 0;
      while (j < n && feed.tP[j] === price) qty += feed.tQ[j++] as number;
      const payload = msg.aggTrade(this.mode, E, feed.inst.symbol, ++feed.aggId, feed.price(price), feed.qty(qty), feed.tId[i] as number, feed.tId[j - 1] as number, T, feed.tBuyerMaker);
      if (feed.aggTrade.subs.size > 0) this.out.deliver(feed.aggTrade, payload, false);
      i = j;
    }
    feed.nT = 0;
  }

  // Delivery, faults, flushing.

  private ensureTimer(ms: number): void {
    if (this.timers.has(ms)) return;
    const t = setInterval(() => this.flushInterval(ms), ms);
    t.unref();
    this.timers.set(ms, t);
  }
}

/** Resolves the depthInterval option to a per-variant table. */
export function resolveDepthIntervals(mode: SimMarketMode, option: number | 'binance' | Record<string, number> | undefined): Record<string, number> {
  const variants = DEPTH_VARIANTS[mode];
  const out: Record<string, number> = {};
  for (const [suffix, binanceMs] of Object.entries(variants)) {
    if (option === 'binance') out[suffix] = binanceMs;
    else if (typeof option === 'number') out[suffix] = option;
    else if (option && option[suffix] !== undefined) out[suffix] = option[suffix] as number;
    else out[suffix] = 0;
  }
  for (const [k, v] of Object.entries(out)) {
    if (!Number.isInteger(v) || v < 0 || v > 60_000) throw new RangeError(`depth interval for "@depth${k}" must be an integer 0..60000 ms, got ${v}`);
  }
  return out;
}
