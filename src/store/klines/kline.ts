import type { KlinePeriod } from './periods.js';

/**
 * One OHLCV candle in fixed point. Prices at priceScale, volume at qtyScale, quote
 * volume (Σ price × qty) at priceScale + qtyScale, exact (it may exceed int64).
 */
export interface Kline {
  venue: string;
  symbol: string;
  period: KlinePeriod;
  /** Epoch ms, aligned to the period. */
  openTimeMs: number;
  /** Exclusive: openTimeMs + the period. */
  closeTimeMs: number;
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
  volume: bigint;
  quoteVolume: bigint;
  trades: number;
  priceScale: number;
  qtyScale: number;
  /** Final: the period has passed and no trade will change it. */
  closed: boolean;
}
