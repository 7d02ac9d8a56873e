/**
 * Decimal strings the way Binance prints them. Spot pads every price, quantity and quote
 * amount to 8 fraction digits ("0.01000000"); USD-M futures print at the symbol's
 * pricePrecision / quantityPrecision ("9517.60", "0.003").
 *
 * Hot paths format safe-integer mantissas (numbers < 2^53, checked where the engine
 * accepts them) with integer arithmetic only; bigint callers go through formatDecimal.
 */
import type { Instrument } from '../../../core/instruments/instrument.js';
import { formatDecimal } from '../../../core/fixed/decimal.js';

export type SimMarketMode = 'spot' | 'usdm';

/** Binance spot's fixed display precision. */
export const SPOT_DISPLAY_DIGITS = 8;

const POW10_NUM: number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);
const ZEROS = '0000000000000000000000000000000000000000';

/**
 * Formats a non-negative safe-integer mantissa at `scale` with exactly `digits` fraction
 * digits (digits >= scale). Integer arithmetic only.
 */
export function formatMantissa(m: number, scale: number, digits: number): string {
  if (scale === 0) return digits === 0 ? String(m) : String(m) + '.' + ZEROS.slice(0, digits);
  const p = POW10_NUM[scale] as number;
  let q = Math.floor(m / p);
  let r = m - q * p;
  // m / p is one rounding away from exact; correct the quotient with integer checks.
  if (r < 0) {
    q -= 1;
    r += p;
  } else if (r >= p) {
    q += 1;
    r -= p;
  }
  const rs = String(r);
  return String(q) + '.' + ZEROS.slice(0, scale - rs.length) + rs + ZEROS.slice(0, digits - scale);
}

export interface BinanceFormat {
  readonly mode: SimMarketMode;
  /** Fraction digits used for prices of `inst`. */
  priceDigits(inst: Instrument): number;
  qtyDigits(inst: Instrument): number;
  price(inst: Instrument, mantissa: bigint | number): string;
  qty(inst: Instrument, mantissa: bigint | number): string;
  /** A quote amount (price × qty) at priceScale + qtyScale, e.g. cummulativeQuoteQty. */
  quote(inst: Instrument, mantissa: bigint): string;
}

function fmt(m: bigint | number, scale: number, digits: number): string {
  if (typeof m === 'number' && m >= 0 && Number.isSafeInteger(m) && scale < POW10_NUM.length) return formatMantissa(m, scale, digits);
  return padFraction(formatDecimal(BigInt(m), scale, digits), digits);
}

/** formatDecimal keeps at most `scale` fraction digits; Binance pads beyond it. */
function padFraction(text: string, digits: number): string {
  if (digits === 0) return text;
  const dot = text.indexOf('.');
  const have = dot < 0 ? 0 : text.length - dot - 1;
  if (have >= digits) return text;
  return (dot < 0 ? text + '.' : text) + ZEROS.slice(0, digits - have);
}

export function binanceFormat(mode: SimMarketMode): BinanceFormat {
  const priceDigits = (inst: Instrument): number => (mode === 'spot' ? Math.max(SPOT_DISPLAY_DIGITS, inst.priceScale) : inst.priceScale);
  const qtyDigits = (inst: Instrument): number => (mode === 'spot' ? Math.max(SPOT_DISPLAY_DIGITS, inst.qtyScale) : inst.qtyScale);
  return {
    mode,
    priceDigits,
    qtyDigits,
    price: (inst, m) => fmt(m, inst.priceScale, priceDigits(inst)),
    qty: (inst, m) => fmt(m, inst.qtyScale, qtyDigits(inst)),
    quote: (inst, m) => {
      const scale = inst.priceScale + inst.qtyScale;
      const digits = mode === 'spot' ? Math.max(SPOT_DISPLAY_DIGITS, 0) : inst.priceScale;
      // Quote amounts are shown at a fixed precision; extra digits are cut (Binance truncates).
      const shown = digits >= scale ? m * 10n ** BigInt(digits - scale) : m / 10n ** BigInt(scale - digits);
      return padFraction(formatDecimal(shown, digits, digits), digits);
    },
  };
}
