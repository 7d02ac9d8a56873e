/**
 * Builds OHLCV candles for one instrument from its public trades, in several periods at
 * once, in bigint fixed point.
 *
 * A candle is final as soon as its period has passed: either a trade of a later period
 * arrives, or tick(now) finds now - graceMs at or past its close time (the owner drives
 * tick from a timer, so a quiet market still closes its candles on time). Periods with
 * no trade produce no candle: gaps stay gaps.
 *
 * Lateness: everything before the watermark (the open of the newest smallest-period
 * candle that may still change) belongs to final candles. A trade older than that is
 * counted as late and dropped from every period, so the periods always agree (the sum
 * of the 1m volumes is the 5m volume). Within an open candle trades may arrive out of
 * order: open is the earliest trade by time, close the latest (ties by arrival).
 */
import type { Kline } from './kline.js';
import { KLINE_PERIODS, PERIOD_MS, periodOpenMs, type KlinePeriod } from './periods.js';

export interface KlineAggregatorOptions {
  venue: string;
  symbol: string;
  priceScale: number;
  qtyScale: number;
  /** Default: all of 1m 5m 15m 1h 4h 1d. Each must be a multiple of the smallest. */
  periods?: readonly KlinePeriod[];
  /**
   * How long after a period ends tick() still waits before making its candle final
   * (trade times are the venue's clock; the local one may run ahead). Default 0.
   */
  graceMs?: number;
  /** Receives final candles, and snapshots of changed open candles when emitOpen is set. */
  onKline: (k: Kline) => void;
  /** On each tick, also emit the open candles that changed since the last tick. */
  emitOpen?: boolean;
}

export type TradeOutcome = 'accepted' | 'late' | 'invalid';

export interface KlineAggregatorStats {
  trades: number;
  late: number;
  invalid: number;
  finals: number;
}

interface Candle {
  openTimeMs: number;
  firstTimeMs: number;
  lastTimeMs: number;
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
  volume: bigint;
  quoteVolume: bigint;
  trades: number;
  dirty: boolean;
}

interface Slot {
  period: KlinePeriod;
  ms: number;
  candle: Candle | null;
}

export class KlineAggregator {
  readonly venue: string;
  readonly symbol: string;
  readonly priceScale: number;
  readonly qtyScale: number;
  private readonly slots: Slot[];
  private readonly smallest: KlinePeriod;
  private readonly graceMs: number;
  private readonly emitOpen: boolean;
  private readonly onKline: (k: Kline) => void;
  private watermarkMs = Number.NEGATIVE_INFINITY;
  readonly stats: KlineAggregatorStats = { trades: 0, late: 0, invalid: 0, finals: 0 };

  constructor(opts: KlineAggregatorOptions) {
    this.venue = opts.venue;
    this.symbol = opts.symbol;
    this.priceScale = opts.priceScale;
    this.qtyScale = opts.qtyScale;
    const periods = [...new Set(opts.periods ?? KLINE_PERIODS)].sort((a, b) => PERIOD_MS[a] - PERIOD_MS[b]);
    if (periods.length === 0) throw new RangeError('KlineAggregator needs at least one period');
    const smallest = periods[0] as KlinePeriod;
    for (const p of periods) {
      if (PERIOD_MS[p] % PERIOD_MS[smallest] !== 0) throw new RangeError(`kline period ${p} is not a multiple of ${smallest}`);
    }
    this.smallest = smallest;
    this.slots = periods.map((period) => ({ period, ms: PERIOD_MS[period], candle: null }));
    this.graceMs = opts.graceMs ?? 0;
    if (!Number.isSafeInteger(this.graceMs) || this.graceMs < 0) throw new RangeError(`graceMs must be a non-negative integer, got ${opts.graceMs}`);
    this.emitOpen = opts.emitOpen ?? false;
    this.onKline = opts.onKline;
  }

  /** Epoch ms before which every candle is final. */
  get watermark(): number {
    return this.watermarkMs;
  }

  addTrade(timeMs: number, price: bigint, qty: bigint): TradeOutcome {
    if (!Number.isSafeInteger(timeMs) || typeof price !== 'bigint' || typeof qty !== 'bigint' || price <= 0n || qty <= 0n) {
      this.stats.invalid++;
      return 'invalid';
    }
    if (timeMs < this.watermarkMs) {
      this.stats.late++;
      return 'late';
    }
    const notional = price * qty;
    for (const slot of this.slots) {
      const openTimeMs = periodOpenMs(timeMs, slot.period);
      let c = slot.candle;
      if (c !== null && c.openTimeMs !== openTimeMs) {
        this.emit(slot, c, true);
        c = null;
      }
      if (c === null) {
        slot.candle = {
          openTimeMs,
          firstTimeMs: timeMs,
          lastTimeMs: timeMs,
          open: price,
          high: price,
          low: price,
          close: price,
          volume: qty,
          quoteVolume: notional,
          trades: 1,
          dirty: true,
        };
        continue;
      }
      if (price > c.high) c.high = price;
      if (price < c.low) c.low = price;
      if (timeMs < c.firstTimeMs) {
        c.firstTimeMs = timeMs;
        c.open = price;
      }
      if (timeMs >= c.lastTimeMs) {
        c.lastTimeMs = timeMs;
        c.close = price;
      }
      c.volume += qty;
      c.quoteVolume += notional;
      c.trades++;
      c.dirty = true;
    }
    this.advance(periodOpenMs(timeMs, this.smallest));
    this.stats.trades++;
    return 'accepted';
  }

  /** Makes final every candle whose period ended at or before nowMs - graceMs. Returns how many. */
  tick(nowMs: number): number {
    if (!Number.isSafeInteger(nowMs)) throw new RangeError(`tick(nowMs) needs an integer epoch ms, got ${nowMs}`);
    const boundary = nowMs - this.graceMs;
    let finals = 0;
    for (const slot of this.slots) {
      const c = slot.candle;
      if (c === null) continue;
      if (c.openTimeMs + slot.ms <= boundary) {
        this.emit(slot, c, true);
        finals++;
      } else if (this.emitOpen && c.dirty) {
        this.emit(slot, c, false);
      }
    }
    this.advance(periodOpenMs(boundary, this.smallest));
    return finals;
  }

  /** Copies of the candles still open (e.g. to persist them at shutdown). */
  openCandles(): Kline[] {
    const out: Kline[] = [];
    for (const slot of this.slots) if (slot.candle) out.push(this.toKline(slot, slot.candle, false));
    return out;
  }

  private advance(watermark: number): void {
    if (watermark > this.watermarkMs) this.watermarkMs = watermark;
  }

  private emit(slot: Slot, c: Candle, final: boolean): void {
    if (final) {
      slot.candle = null;
      this.stats.finals++;
    } else {
      c.dirty = false;
    }
    this.onKline(this.toKline(slot, c, final));
  }

  private toKline(slot: Slot, c: Candle, closed: boolean): Kline {
    return {
      venue: this.venue,
      symbol: this.symbol,
      period: slot.period,
      openTimeMs: c.openTimeMs,
      closeTimeMs: c.openTimeMs + slot.ms,
      open: c.open,
      high: c.high,
      low: c.low,
      close: c.close,
      volume: c.volume,
      quoteVolume: c.quoteVolume,
      trades: c.trades,
      priceScale: this.priceScale,
      qtyScale: this.qtyScale,
      closed,
    };
  }
}
