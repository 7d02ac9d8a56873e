/**
 * One account's balances: free and locked per asset, bigint mantissas at the asset's
 * scale (AssetScales). Every mutation checks that nothing goes negative; a violation is
 * a bug in settlement, so it throws instead of letting the ledger drift.
 */
import { formatDecimal, rescale } from '../../../core/fixed/decimal.js';
import { BALANCE_DISPLAY_SCALE, type AssetScales } from './asset-scales.js';

export interface AssetBalance {
  free: bigint;
  locked: bigint;
}

export class BalanceLedgerError extends Error {
  readonly code = 'SIM_BALANCE_NEGATIVE';
  constructor(message: string) {
    super(message);
    this.name = 'BalanceLedgerError';
  }
}

export class Balances {
  private readonly byAsset = new Map<string, AssetBalance>();
  /** Assets touched since the last takeChanged(): what outboundAccountPosition reports. */
  private readonly changed = new Set<string>();

  constructor(readonly scales: AssetScales) {}

  get(asset: string): AssetBalance {
    let b = this.byAsset.get(asset);
    if (!b) {
      b = { free: 0n, locked: 0n };
      this.byAsset.set(asset, b);
    }
    return b;
  }

  assets(): string[] {
    return [...this.byAsset.keys()];
  }

  /** Sets the free balance (config load, `/sim` adjustments). */
  setFree(asset: string, free: bigint): void {
    if (free < 0n) throw new BalanceLedgerError(`${asset}: free balance cannot be negative`);
    this.get(asset).free = free;
    this.changed.add(asset);
  }

  credit(asset: string, amount: bigint): void {
    if (amount === 0n) return;
    if (amount < 0n) throw new BalanceLedgerError(`${asset}: credit of negative amount ${amount}`);
    this.get(asset).free += amount;
    this.changed.add(asset);
  }

  /** Moves free → locked; false (nothing changed) if free is short. */
  tryLock(asset: string, amount: bigint): boolean {
    const b = this.get(asset);
    if (amount < 0n || b.free < amount) return false;
    if (amount === 0n) return true;
    b.free -= amount;
    b.locked += amount;
    this.changed.add(asset);
    return true;
  }

  /** Moves locked → free. */
  unlock(asset: string, amount: bigint): void {
    if (amount === 0n) return;
    const b = this.get(asset);
    if (amount < 0n || b.locked < amount) throw new BalanceLedgerError(`${asset}: unlock ${amount} exceeds locked ${b.locked}`);
    b.locked -= amount;
    b.free += amount;
    this.changed.add(asset);
  }

  /** Removes `amount` from locked (it was spent). */
  spendLocked(asset: string, amount: bigint): void {
    if (amount === 0n) return;
    const b = this.get(asset);
    if (amount < 0n || b.locked < amount) throw new BalanceLedgerError(`${asset}: spend ${amount} exceeds locked ${b.locked}`);
    b.locked -= amount;
    this.changed.add(asset);
  }

  /** The assets changed since the last call, in first-touched order. */
  takeChanged(): string[] {
    const out = [...this.changed];
    this.changed.clear();
    return out;
  }

  /** Decimal string with at least 8 fraction digits, like Binance ("0.00100000"). */
  format(asset: string, mantissa: bigint): string {
    return formatBalance(mantissa, this.scales.of(asset));
  }
}

export function formatBalance(mantissa: bigint, scale: number): string {
  if (scale >= BALANCE_DISPLAY_SCALE) return formatDecimal(mantissa, scale, BALANCE_DISPLAY_SCALE);
  return formatDecimal(rescale(mantissa, scale, BALANCE_DISPLAY_SCALE, 'exact'), BALANCE_DISPLAY_SCALE, BALANCE_DISPLAY_SCALE);
}
