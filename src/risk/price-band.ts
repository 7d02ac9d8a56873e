/**
 * Price band: a limit price must lie within `bps` basis points of the current mid, the
 * same symmetric collar venues apply (Binance PERCENT_PRICE), so a fat-finger price is
 * refused here rather than by the venue or, worse, filled. Exact (exact.ts): the test is
 * |price − mid| · 10 000 ≤ bps · mid with mid = num/den, decided in float64 unless the
 * result is within rounding distance of the edge (then in bigint).
 */
import { withinBand } from './exact.js';
import type { Mid } from './mark-source.js';

export function priceInBand(price: number, mid: Mid, midApprox: number, bps: number): boolean {
  return withinBand(price, midApprox, mid.num, mid.den, bps);
}
