/**
 * Per-symbol publishing state: the streams of one symbol with their subscribers and
 * counters, the scratch arrays of the book batch being reported, and cached price strings.
 */
import type { Instrument } from '../../../core/instruments/instrument.js';
import type { OrderBook } from '../matching/order-book.js';
import type { MdConnection } from './connection.js';
import { formatMantissa, type BinanceFormat } from './format.js';

const PRICE_CACHE_MAX = 4096;

/** One stream's subscribers and its sent-message counter. */
export class StreamOut {
  readonly subs = new Set<MdConnection>();
  sent = 0;
  constructor(readonly name: string) {}
}

export class DepthChannel extends StreamOut {
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

export class PartialChannel extends StreamOut {
  prevU = 0;
  constructor(
    name: string,
    readonly levels: number,
    readonly intervalMs: number,
  ) {
    super(name);
  }
}

export class SymbolFeed {
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
