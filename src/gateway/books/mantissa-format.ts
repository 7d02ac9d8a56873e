/**
 * A non-negative integer mantissa below 2^53 (how shared books hold prices and
 * quantities) printed as a decimal string at a scale, with integer arithmetic only:
 * formatMantissa(6500012, 2) === "65000.12". Fixed number of decimals (the instrument's
 * scale), as venues print them.
 */
import { POW10_NUMBER } from '../../core/fixed/decimal.js';

const ZEROS = '000000000000000000';

export function formatMantissa(mantissa: number, scale: number): string {
  if (!Number.isSafeInteger(mantissa) || mantissa < 0) throw new RangeError(`mantissa ${mantissa} is not a safe non-negative integer`);
  if (scale === 0) return String(mantissa);
  const p = POW10_NUMBER[scale];
  if (p === undefined) throw new RangeError(`scale ${scale} is not 0..18`);
  // Division of doubles may round up near 2^53; correct the quotient with exact products.
  let q = Math.floor(mantissa / p);
  let r = mantissa - q * p;
  if (r < 0) {
    q--;
    r += p;
  } else if (r >= p) {
    q++;
    r -= p;
  }
  const frac = String(r);
  return `${q}.${ZEROS.slice(0, scale - frac.length)}${frac}`;
}
