/**
 * The decimal scales venue strings are parsed at: per symbol (prices at priceScale,
 * quantities at qtyScale, quote amounts at priceScale + qtyScale) and per asset
 * (balances and commissions; Binance prints 8 decimals, so 8 unless configured).
 */
import { MAX_SCALE } from '../../../core/fixed/decimal.js';

export interface InstrumentScales {
  /** The venue symbol, e.g. BTCUSDT. */
  readonly symbol: string;
  readonly priceScale: number;
  readonly qtyScale: number;
}

export interface SymbolScales {
  readonly price: number;
  readonly qty: number;
  readonly quote: number;
}

export const DEFAULT_ASSET_SCALE = 8;

export class ScaleBook {
  private readonly symbols = new Map<string, SymbolScales>();
  private readonly assets: ReadonlyMap<string, number>;

  constructor(instruments: readonly InstrumentScales[], assetScales: Readonly<Record<string, number>> = {}) {
    for (const i of instruments) {
      this.symbols.set(i.symbol, { price: i.priceScale, qty: i.qtyScale, quote: Math.min(MAX_SCALE, i.priceScale + i.qtyScale) });
    }
    this.assets = new Map(Object.entries(assetScales));
  }

  symbol(symbol: string): SymbolScales | undefined {
    return this.symbols.get(symbol);
  }

  asset(asset: string): number {
    return this.assets.get(asset) ?? DEFAULT_ASSET_SCALE;
  }

  symbolNames(): string[] {
    return [...this.symbols.keys()];
  }
}
