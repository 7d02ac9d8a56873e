/**
 * Kline aggregation for many instruments, closed on time by one timer. The owner
 * (the market-data persistence consumer) registers each instrument, feeds every public
 * trade, and starts the timer; final candles (and open updates) go to one sink,
 * typically KlineWriter.add.
 */
import { KlineAggregator, type KlineAggregatorOptions, type TradeOutcome } from './kline-aggregator.js';
import type { Kline } from './kline.js';
import type { KlinePeriod } from './periods.js';

export interface KlineInstrument {
  venue: string;
  symbol: string;
  priceScale: number;
  qtyScale: number;
}

export interface KlineHubOptions {
  onKline: (k: Kline) => void;
  periods?: readonly KlinePeriod[];
  graceMs?: number;
  emitOpen?: boolean;
  /** Clock for the timer (epoch ms); tests pass a fake one. */
  now?: () => number;
}

export class KlineHub {
  private readonly byKey = new Map<string, KlineAggregator>();
  private readonly opts: KlineHubOptions;
  private timer: NodeJS.Timeout | null = null;
  /** Trades for instruments that were never registered. */
  unknownInstrument = 0;

  constructor(opts: KlineHubOptions) {
    this.opts = opts;
  }

  register(inst: KlineInstrument): KlineAggregator {
    const key = `${inst.venue}\u0000${inst.symbol}`;
    let agg = this.byKey.get(key);
    if (!agg) {
      const o: KlineAggregatorOptions = { ...inst, onKline: this.opts.onKline };
      if (this.opts.periods) o.periods = this.opts.periods;
      if (this.opts.graceMs !== undefined) o.graceMs = this.opts.graceMs;
      if (this.opts.emitOpen !== undefined) o.emitOpen = this.opts.emitOpen;
      agg = new KlineAggregator(o);
      this.byKey.set(key, agg);
    }
    return agg;
  }

  addTrade(venue: string, symbol: string, timeMs: number, price: bigint, qty: bigint): TradeOutcome | 'unknown' {
    const agg = this.byKey.get(`${venue}\u0000${symbol}`);
    if (!agg) {
      this.unknownInstrument++;
      return 'unknown';
    }
    return agg.addTrade(timeMs, price, qty);
  }

  tick(nowMs: number): number {
    let n = 0;
    for (const agg of this.byKey.values()) n += agg.tick(nowMs);
    return n;
  }

  /** Ticks every `intervalMs` (default 250 ms) on the given clock; the timer does not keep node alive. */
  start(intervalMs = 250): void {
    if (this.timer) return;
    const now = this.opts.now ?? Date.now;
    this.timer = setInterval(() => this.tick(now()), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  aggregators(): IterableIterator<KlineAggregator> {
    return this.byKey.values();
  }
}
