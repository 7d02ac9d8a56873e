/**
 * Binance market stream names the sim serves, parsed once per subscription:
 *   <symbol>@depth, <symbol>@depth@100ms   diff depth (spot: 1000/100 ms on Binance)
 *   usdm also <symbol>@depth@250ms, @depth@500ms (usdm @depth is 250 ms on Binance)
 *   <symbol>@depth5|10|20[@100ms|@1000ms] (spot) / [@100ms|@250ms|@500ms] (usdm)  partial book
 *   <symbol>@trade, <symbol>@aggTrade, <symbol>@bookTicker
 * Symbols are lower case in stream names, as on Binance.
 */
import type { SimMarketMode } from './format.js';

export type StreamKind = 'depth' | 'partial' | 'trade' | 'aggTrade' | 'bookTicker';

export interface StreamSpec {
  /** The canonical stream name (lower-case symbol), used in wrappers and replies. */
  name: string;
  symbol: string;
  kind: StreamKind;
  /** depth: which diff-depth variant ('', '@100ms', '@250ms', '@500ms'); partial: interval suffix. */
  variant: string;
  /** partial: number of levels (5, 10, 20). */
  levels: number;
  /** What Binance uses for this stream's interval, ms (0 = real time). */
  binanceIntervalMs: number;
}

export const DEPTH_VARIANTS: Record<SimMarketMode, Record<string, number>> = {
  spot: { '': 1000, '@100ms': 100 },
  usdm: { '': 250, '@100ms': 100, '@250ms': 250, '@500ms': 500 },
};

const PARTIAL_VARIANTS: Record<SimMarketMode, Record<string, number>> = {
  spot: { '': 1000, '@1000ms': 1000, '@100ms': 100 },
  usdm: { '': 250, '@100ms': 100, '@250ms': 250, '@500ms': 500 },
};

const STREAM_RE = /^([a-z0-9]{2,20})@(depth(?:5|10|20)?|trade|aggTrade|bookTicker)((?:@\d+ms)?)$/;

/** Parses a stream name; undefined when it is not one the sim serves for `isSymbol`. */
export function parseStream(raw: string, mode: SimMarketMode, isSymbol: (upper: string) => boolean): StreamSpec | undefined {
  const m = STREAM_RE.exec(raw);
  if (!m) return undefined;
  const lower = m[1] as string;
  const symbol = lower.toUpperCase();
  if (!isSymbol(symbol)) return undefined;
  const what = m[2] as string;
  const suffix = m[3] as string;
  if (what === 'depth') {
    const ms = DEPTH_VARIANTS[mode][suffix];
    if (ms === undefined) return undefined;
    return { name: raw, symbol, kind: 'depth', variant: suffix, levels: 0, binanceIntervalMs: ms };
  }
  if (what.startsWith('depth')) {
    const ms = PARTIAL_VARIANTS[mode][suffix];
    if (ms === undefined) return undefined;
    return { name: raw, symbol, kind: 'partial', variant: suffix, levels: Number.parseInt(what.slice(5), 10), binanceIntervalMs: ms };
  }
  if (suffix !== '') return undefined;
  return { name: raw, symbol, kind: what as StreamKind, variant: '', levels: 0, binanceIntervalMs: 0 };
}
