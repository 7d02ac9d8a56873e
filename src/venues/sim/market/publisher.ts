/**
 * Turns book events into Binance market-data frames and fans them out to the subscribed
 * connections. Diff depth follows Binance sequencing: each event carries U (first) and u
 * (final) update id of the book changes since the previous event of that stream; USD-M
 * events add T and pu (= previous event's u). With a depth interval of 0 every book batch
 * is its own event; with an interval the changes are merged per price (last quantity wins)
 * and sent once per interval, as Binance's 100 ms / 1000 ms streams do.
 *
 * Frames are queued per connection and written by flush() inside one uWS cork per
 * connection, once per generator slice or event-loop turn.
 */
import type { Instrument } from '../../../core/instruments/instrument.js';
import type { MatchingEngine } from '../matching/engine.js';
import type { BookEvents, FillRecord, OrderBook } from '../matching/order-book.js';
import type { PriceLevel } from '../matching/price-level.js';
import { BID, type RestingOrder, type SideCode } from '../matching/resting-order.js';
import type { ArmedStreamFault, SimFaults } from '../faults.js';
import type { SimClock, SimLog } from '../server/plugin.js';
import { formatMantissa, type BinanceFormat, type SimMarketMode } from './format.js';
import { MAX_HELD_FRAMES, type CloseReason, type MdConnection } from './connection.js';
import * as msg from './messages.js';
import { DEPTH_VARIANTS, parseStream, type StreamSpec } from './streams.js';
import { PublisherStats } from './publisher-stats.js';

/** Buffered bytes above which a connection counts as behind ('max' flow waits). */
const HIGH_WATER_BYTES = 1 << 20;
const PRICE_CACHE_MAX = 4096;

export interface PublisherOptions {
  mode: SimMarketMode;
  format: BinanceFormat;
  clock: SimClock;
  faults: SimFaults;
  log: SimLog;
  /** Diff-depth interval per variant suffix ('' = @depth, '@100ms', …); 0 = every batch. */
  depthIntervals: Record<string, number>;
  /** Interval of partial-depth streams; default Binance's per stream. */
  partialIntervalMs?: number;
  /** Called to close a connection for a reason (the server owns sockets). */
  close: (conn: MdConnection, reason: CloseReason) => void;
}

/** One stream's subscribers and its sent-message counter. */
export class StreamOut {
  readonly subs = new Set<MdConnection>();
  sent = 0;
  constructor(readonly name: string) {}
}

class DepthChannel extends StreamOut {
  /** Interval mode: merged changes of the current window. */
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  firstId = 0;
  lastId = 0;
  /** u of this stream's previous event (USD-M pu). */
  prevU = 0;
  lastT = 0;

  constructor(
    name: string,
    readonly suffix: string,
    readonly intervalMs: number,
  ) {
    super(name);
  }
}

class PartialChannel extends StreamOut {
  prevU = 0;
  constructor(
    name: string,
    readonly levels: number,
    readonly intervalMs: number,
  ) {
    super(name);
  }
}

class SymbolFeed {
  readonly lower: string;
  readonly depth: DepthChannel[] = [];
  readonly trade: StreamOut;
  readonly aggTrade: StreamOut;
  readonly bookTicker: StreamOut;
  readonly partial = new Map<string, PartialChannel>();
  immediateSubs = 0;
  intervalSubs = 0;
  /** Book changes of the current batch: nB bid and nA ask entries are valid. */
  readonly bP: number[] = [];
  readonly bQ: number[] = [];
  readonly aP: number[] = [];
  readonly aQ: number[] = [];
  nB = 0;
  nA = 0;
  /** Fills of the current batch (for aggTrade): nT entries are valid. */
  readonly tId: number[] = [];
  readonly tP: number[] = [];
  readonly tQ: number[] = [];
  nT = 0;
  tBuyerMaker = false;
  /** u of the previous batch (USD-M pu of real-time depth). */
  prevBatchU = 0;
  aggId = 0;
  tickerBid = -1;
  tickerBidQty = -1;
  tickerAsk = -1;
  tickerAskQty = -1;
  readonly ps: string[] = [];
  readonly qs: string[] = [];
  readonly ps2: string[] = [];
  readonly qs2: string[] = [];
  readonly priceDigits: number;
  readonly qtyDigits: number;

  constructor(
    readonly inst: Instrument,
    readonly book: OrderBook,
    format: BinanceFormat,
    variants: Record<string, number>,
  ) {
    this.lower = inst.symbol.toLowerCase();
    this.priceDigits = format.priceDigits(inst);
    this.qtyDigits = format.qtyDigits(inst);
    this.trade = new StreamOut(this.lower + '@trade');
    this.aggTrade = new StreamOut(this.lower + '@aggTrade');
    this.bookTicker = new StreamOut(this.lower + '@bookTicker');
    for (const [suffix, ms] of Object.entries(variants)) this.depth.push(new DepthChannel(this.lower + '@depth' + suffix, suffix, ms));
  }

  outs(): StreamOut[] {
    return [...this.depth, this.trade, this.aggTrade, this.bookTicker, ...this.partial.values()];
  }

  /** Prices near the touch repeat in almost every event: keep their strings. */
  private readonly priceCache = new Map<number, string>();

  price(m: number): string {
    let s = this.priceCache.get(m);
    if (s === undefined) {
      if (this.priceCache.size >= PRICE_CACHE_MAX) this.priceCache.clear();
      s = formatMantissa(m, this.inst.priceScale, this.priceDigits);
      this.priceCache.set(m, s);
    }
    return s;
  }

  qty(m: number): string {
    return formatMantissa(m, this.inst.qtyScale, this.qtyDigits);
  }

  channel(suffix: string): DepthChannel {
    return this.depth.find((c) => c.suffix === suffix) as DepthChannel;
  }
}

export class MarketPublisher implements BookEvents {
  readonly stats = new PublisherStats();
  private readonly feeds = new Map<string, SymbolFeed>();
  private readonly conns = new Set<MdConnection>();
  private dirty: MdConnection[] = [];
  private flushScheduled = false;
  private stallTimer: NodeJS.Timeout | null = null;
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private behind = 0;
  private readonly unsubscribeFaults: () => void;
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
    this.removeSink = engine.addSink(this);
    this.unsubscribeFaults = options.faults.onStreamFault((f) => this.applyStreamFault(f));
  }

  // Connections and subscriptions.

  attach(conn: MdConnection): void {
    this.conns.add(conn);
    this.stats.connectionOpened();
  }

  detach(conn: MdConnection, reason: CloseReason): void {
    if (!this.conns.delete(conn)) return;
    conn.closed = true;
    for (const name of [...conn.streams]) this.unsubscribe(conn, name);
    if (conn.backpressured) this.behind--;
    conn.pending.length = 0;
    this.stats.connectionClosed(reason);
  }

  /** Messages sent per stream since start (streams that sent any). */
  messagesByStream(): Record<string, number> {
    const out: Record<string, number> = this.stats.extraByStream();
    for (const feed of this.feeds.values()) for (const o of feed.outs()) if (o.sent > 0) out[o.name] = (out[o.name] ?? 0) + o.sent;
    return out;
  }

  connections(): ReadonlySet<MdConnection> {
    return this.conns;
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
    this.enqueue(conn, frame);
  }

  /** True while some connection has more than HIGH_WATER_BYTES unsent. */
  isBackpressured(): boolean {
    return this.behind > 0;
  }

  /** The server's drain handler: the connection's buffer went down. */
  drained(conn: MdConnection): void {
    if (conn.backpressured && conn.socket.getBufferedAmount() < HIGH_WATER_BYTES / 2) {
      conn.backpressured = false;
      this.behind--;
    }
  }

  /** Sends the serverShutdown event to every connection (raw or combined form). */
  announceShutdown(): void {
    const payload = msg.serverShutdown(this.options.clock.nowMs());
    for (const c of this.conns) this.enqueue(c, c.combined ? msg.combined('!serverShutdown', payload) : payload);
    this.flush();
  }

  stop(): void {
    for (const t of this.timers.values()) clearInterval(t);
    this.timers.clear();
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.unsubscribeFaults();
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
      this.deliver(feed.trade, payload, false);
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
      this.deliver(ch, payload, true);
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
          this.deliver(ch, payload, true);
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
    this.flush();
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
    this.deliver(ch, payload, false);
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
    this.deliver(feed.bookTicker, payload, false);
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
      if (feed.aggTrade.subs.size > 0) this.deliver(feed.aggTrade, payload, false);
      i = j;
    }
    feed.nT = 0;
  }

  // Delivery, faults, flushing.

  private deliver(out: StreamOut, payload: string, isDiff: boolean): void {
    let wrapped: string | null = null;
    const stream = out.name;
    for (const c of out.subs) {
      const frame = c.combined ? (wrapped ??= msg.combined(stream, payload)) : payload;
      if ((c.faults !== null || c.held !== null) && this.faulted(c, stream, frame, isDiff)) continue;
      this.enqueue(c, frame);
    }
    out.sent += out.subs.size;
  }

  /** Applies armed message faults; true when the frame was fully handled here. */
  private faulted(c: MdConnection, stream: string, frame: string, isDiff: boolean): boolean {
    const faults = this.options.faults;
    if (c.takeFault('malformed', stream)) {
      faults.noteFired('malformed');
      this.enqueue(c, '{"e":"depthUpdate","E":,"s":' + frame.length + ']}');
    }
    if (c.takeFault('truncated', stream)) {
      faults.noteFired('truncated');
      this.enqueue(c, frame.slice(0, Math.max(1, frame.length >> 1)));
    }
    if (!isDiff) return false;
    if (c.held !== null) {
      this.enqueue(c, frame);
      this.enqueue(c, c.held);
      c.held = null;
      return true;
    }
    if (c.takeFault('gap', stream)) {
      faults.noteFired('gap');
      return true;
    }
    if (c.takeFault('duplicate', stream)) {
      faults.noteFired('duplicate');
      this.enqueue(c, frame);
      this.enqueue(c, frame);
      return true;
    }
    if (c.takeFault('reorder', stream)) {
      faults.noteFired('reorder');
      c.held = frame;
      return true;
    }
    return false;
  }

  private applyStreamFault(f: ArmedStreamFault): void {
    const now = this.options.clock.nowMs();
    for (const c of [...this.conns]) {
      if (!c.matches(f.stream)) continue;
      switch (f.kind) {
        case 'drop':
          this.options.faults.noteFired('drop');
          this.options.close(c, 'drop');
          break;
        case 'stall':
          this.options.faults.noteFired('stall');
          c.stalledUntil = Math.max(c.stalledUntil, now + f.ms);
          break;
        case 'serverShutdown': {
          this.options.faults.noteFired('serverShutdown');
          const payload = msg.serverShutdown(now);
          this.enqueue(c, c.combined ? msg.combined('!serverShutdown', payload) : payload);
          this.flush();
          const t = setTimeout(() => this.options.close(c, 'shutdown'), f.ms);
          t.unref();
          break;
        }
        default:
          c.addFault(f.kind, f.count, f.stream);
      }
    }
  }

  private enqueue(c: MdConnection, frame: string | Uint8Array): void {
    if (c.closed) return;
    c.pending.push(frame);
    if (!c.dirty) {
      c.dirty = true;
      this.dirty.push(c);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    }
  }

  /** Writes every queued frame, one cork per connection. Stalled connections keep theirs. */
  flush(): void {
    this.flushScheduled = false;
    if (this.dirty.length === 0) return;
    const list = this.dirty;
    this.dirty = [];
    const now = this.options.clock.nowMs();
    let nextStallEnd = Infinity;
    for (const c of list) {
      if (c.closed) continue;
      if (c.stalledUntil > now) {
        if (c.pending.length > MAX_HELD_FRAMES) {
          this.options.close(c, 'stallOverflow');
          continue;
        }
        this.dirty.push(c);
        nextStallEnd = Math.min(nextStallEnd, c.stalledUntil);
        continue;
      }
      c.dirty = false;
      const frames = c.pending;
      const socket = c.socket;
      socket.cork(() => {
        for (let i = 0; i < frames.length; i++) socket.send(frames[i] as string | Uint8Array);
      });
      c.framesSent += frames.length;
      frames.length = 0;
      if (!c.backpressured && !c.closed && socket.getBufferedAmount() > HIGH_WATER_BYTES) {
        c.backpressured = true;
        this.behind++;
      }
    }
    if (nextStallEnd !== Infinity && !this.stallTimer) {
      this.stallTimer = setTimeout(() => {
        this.stallTimer = null;
        this.flush();
      }, Math.max(1, nextStallEnd - now));
      this.stallTimer.unref();
    }
  }

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
