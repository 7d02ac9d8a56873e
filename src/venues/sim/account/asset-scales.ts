/**
 * The fixed-point scale each asset's balances are kept at. Binance shows balances with 8
 * decimals; an asset gets more when one of its instruments needs it to hold a quantity
 * (base: qtyScale) or a notional (quote: priceScale + qtyScale) exactly, so settling a
 * fill never rounds anything except the commission.
 */
import type { Instrument } from '../../../core/instruments/instrument.js';

export const BALANCE_DISPLAY_SCALE = 8;

export class AssetScales {
  private readonly scales = new Map<string, number>();

  constructor(instruments: readonly Instrument[]) {
    for (const inst of instruments) {
      this.widen(inst.base, inst.qtyScale);
      this.widen(inst.quote, inst.priceScale + inst.qtyScale);
    }
  }

  private widen(asset: string, scale: number): void {
    this.scales.set(asset, Math.max(this.scales.get(asset) ?? BALANCE_DISPLAY_SCALE, scale));
  }

  /** Scale of `asset`; assets no instrument trades use the display scale. */
  of(asset: string): number {
    return this.scales.get(asset) ?? BALANCE_DISPLAY_SCALE;
  }
}
