/**
 * The symbols a sim can list, with Binance-like filters and a starting price for the
 * generator. `SimExchange.start({symbols})` takes names from this catalogue or full
 * SimSymbolConfig objects.
 */
import type { InstrumentDefinition } from '../../../core/instruments/instrument.js';
import type { SimMarketMode } from './format.js';

export const SIM_VENUE = 'sim';

export interface SimSymbolConfig {
  symbol: string;
  base: string;
  quote: string;
  tickSize: string;
  stepSize: string;
  minQty?: string;
  /** Smallest price × qty (Binance NOTIONAL minNotional). */
  minNotional?: string;
  /** Where the generator starts the mid price. */
  startPrice: string;
  /** Typical generated order size (a few steps up to ~10× this). Default 100 steps. */
  typicalQty?: string;
}

export const SIM_CATALOG: Readonly<Record<string, SimSymbolConfig>> = {
  BTCUSDT: { symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001', minQty: '0.00001', minNotional: '5', startPrice: '60000.00', typicalQty: '0.01' },
  ETHUSDT: { symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', tickSize: '0.01', stepSize: '0.0001', minQty: '0.0001', minNotional: '5', startPrice: '3000.00', typicalQty: '0.2' },
  BNBUSDT: { symbol: 'BNBUSDT', base: 'BNB', quote: 'USDT', tickSize: '0.01', stepSize: '0.001', minQty: '0.001', minNotional: '5', startPrice: '580.00', typicalQty: '1' },
  SOLUSDT: { symbol: 'SOLUSDT', base: 'SOL', quote: 'USDT', tickSize: '0.01', stepSize: '0.001', minQty: '0.001', minNotional: '5', startPrice: '150.00', typicalQty: '5' },
  XRPUSDT: { symbol: 'XRPUSDT', base: 'XRP', quote: 'USDT', tickSize: '0.0001', stepSize: '0.1', minQty: '0.1', minNotional: '5', startPrice: '0.5500', typicalQty: '500' },
  DOGEUSDT: { symbol: 'DOGEUSDT', base: 'DOGE', quote: 'USDT', tickSize: '0.00001', stepSize: '1', minQty: '1', minNotional: '1', startPrice: '0.15000', typicalQty: '2000' },
};

export const DEFAULT_SIM_SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'DOGEUSDT'];

export class SimConfigError extends Error {
  readonly code = 'SIM_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'SimConfigError';
  }
}

export function resolveSymbols(list: readonly (string | SimSymbolConfig)[]): SimSymbolConfig[] {
  const out: SimSymbolConfig[] = [];
  const seen = new Set<string>();
  for (const item of list) {
    const cfg = typeof item === 'string' ? SIM_CATALOG[item.toUpperCase()] : item;
    if (!cfg) throw new SimConfigError(`unknown sim symbol ${JSON.stringify(item)}; known: ${Object.keys(SIM_CATALOG).join(', ')} (or pass a full symbol config)`);
    if (!/^[A-Z0-9]{2,20}$/.test(cfg.symbol)) throw new SimConfigError(`sim symbol ${JSON.stringify(cfg.symbol)} must be 2-20 upper-case letters or digits`);
    if (seen.has(cfg.symbol)) throw new SimConfigError(`sim symbol ${cfg.symbol} listed twice`);
    seen.add(cfg.symbol);
    out.push(cfg);
  }
  if (out.length === 0) throw new SimConfigError('a sim needs at least one symbol');
  return out;
}

export function instrumentDefinition(cfg: SimSymbolConfig, mode: SimMarketMode): InstrumentDefinition {
  return {
    venue: SIM_VENUE,
    symbol: cfg.symbol,
    venueSymbol: cfg.symbol,
    base: cfg.base,
    quote: cfg.quote,
    kind: mode === 'usdm' ? 'perpetual' : 'spot',
    tickSize: cfg.tickSize,
    stepSize: cfg.stepSize,
    minQty: cfg.minQty ?? cfg.stepSize,
    minNotional: cfg.minNotional ?? '0',
  };
}
