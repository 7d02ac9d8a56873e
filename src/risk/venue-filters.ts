/**
 * The venue's own order filters, checked before sending so the venue never has to reject:
 * price on the tick grid (TICK), quantity on the lot grid and at least the minimum
 * quantity (STEP: Binance's LOT_SIZE covers both), and price × qty × multiplier at least
 * the minimum notional (MIN_NOTIONAL). Mantissas are safe integers (limits.ts), so `%`
 * is exact.
 */
import { RejectReason } from '../core/schema/constants.js';
import { compareProduct } from './exact.js';
import type { InstrumentRiskParams } from './limits.js';

/** TICK for a limit price off the grid, else NONE. */
export function checkTick(p: InstrumentRiskParams, price: number): number {
  return price % p.tick === 0 ? RejectReason.NONE : RejectReason.TICK;
}

/** STEP for a quantity off the lot grid or below the minimum quantity, else NONE. */
export function checkLot(p: InstrumentRiskParams, qty: number): number {
  return qty % p.step === 0 && qty >= p.minQty ? RejectReason.NONE : RejectReason.STEP;
}

/** MIN_NOTIONAL when price × qty × multiplier is below the venue minimum, else NONE. */
export function checkMinNotional(p: InstrumentRiskParams, price: number, qty: number): number {
  if (p.minNotional === 0n) return RejectReason.NONE;
  return compareProduct(price, qty, p.mult, p.minNotional, p.minNotionalApprox) < 0 ? RejectReason.MIN_NOTIONAL : RejectReason.NONE;
}
