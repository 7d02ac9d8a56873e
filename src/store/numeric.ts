/**
 * Fixed-point values to and from PostgreSQL NUMERIC text, and timestamps to
 * timestamptz text. Exact both ways: no float ever holds a price, a quantity or a time.
 *
 * Prices and quantities (int64 at scale 0..18) go through core formatDecimal /
 * parseDecimal. Products and sums (quote volume at priceScale + qtyScale, PnL) can
 * exceed int64 and scale 18, so the wide forms here accept any bigint and scale.
 */
import { formatDecimal, MAX_SCALE, parseDecimal } from '../core/fixed/decimal.js';
import { StoreError } from './errors.js';

/** NUMERIC's own limit on fraction digits is far higher; this bounds the work per value. */
export const MAX_WIDE_SCALE = 64;

function checkWideScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_WIDE_SCALE) {
    throw new StoreError('ROW_INVALID', `numeric scale must be an integer in 0..${MAX_WIDE_SCALE}, got ${scale}`);
  }
}

/** `mantissa / 10^scale` as NUMERIC text, trailing fraction zeros trimmed. Any bigint, any scale. */
export function formatNumeric(mantissa: bigint, scale: number): string {
  if (scale <= MAX_SCALE) return formatDecimal(mantissa, scale);
  checkWideScale(scale);
  const negative = mantissa < 0n;
  const abs = (negative ? -mantissa : mantissa).toString();
  const padded = abs.length <= scale ? '0'.repeat(scale - abs.length + 1) + abs : abs;
  const intPart = padded.slice(0, padded.length - scale);
  let end = padded.length;
  while (end > padded.length - scale && padded.charCodeAt(end - 1) === 0x30) end--;
  const frac = padded.slice(padded.length - scale, end);
  return (negative ? '-' : '') + intPart + (frac.length > 0 ? '.' + frac : '');
}

const NUMERIC_TEXT = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;

/**
 * NUMERIC text (as pg returns it) to a mantissa at `scale`, with no int64 bound.
 * Fraction digits past `scale` must be zeros; anything else is an error naming the text.
 */
export function parseNumeric(text: string, scale: number): bigint {
  checkWideScale(scale);
  const m = NUMERIC_TEXT.exec(text);
  if (!m) throw new StoreError('ROW_INVALID', `not a plain NUMERIC value: ${JSON.stringify(text.slice(0, 80))}`);
  const intDigits = m[2] as string;
  let frac = m[3] ?? '';
  if (frac.length > scale) {
    if (!/^0*$/.test(frac.slice(scale))) {
      throw new StoreError('ROW_INVALID', `NUMERIC ${text} has more fraction digits than scale ${scale}`);
    }
    frac = frac.slice(0, scale);
  }
  const v = BigInt(intDigits + frac.padEnd(scale, '0'));
  return m[1] === '-' ? -v : v;
}

/** NUMERIC text to an int64 mantissa at `scale` (0..18): a price or a quantity. */
export function parseNumericInt64(text: string, scale: number): bigint {
  return parseDecimal(text, scale, { allowNegative: true });
}

/**
 * Epoch nanoseconds as timestamptz text with microsecond precision (what PostgreSQL
 * keeps): the sub-microsecond part is truncated toward the past. Trades arrive many per
 * second, so the "YYYY-MM-DDTHH:MM:SS." prefix is cached per second.
 */
export function timestamptzFromNs(ns: bigint): string {
  let ms = ns / 1_000_000n;
  let subNs = ns % 1_000_000n;
  if (subNs < 0n) {
    subNs += 1_000_000n;
    ms -= 1n;
  }
  return timestampText(Number(ms), Math.floor(Number(subNs) / 1000));
}

export function timestamptzFromUs(us: bigint): string {
  let ms = us / 1000n;
  let micros = us % 1000n;
  if (micros < 0n) {
    micros += 1000n;
    ms -= 1n;
  }
  return timestampText(Number(ms), Number(micros));
}

let cachedSecond = Number.NaN;
let cachedPrefix = '';

/** `ms` epoch milliseconds (an integer) plus `micros` (0..999) as ISO-8601 UTC text. */
function timestampText(ms: number, micros: number): string {
  const msInSecond = ((ms % 1000) + 1000) % 1000;
  const second = (ms - msInSecond) / 1000;
  if (second !== cachedSecond) {
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20); // YYYY-MM-DDTHH:MM:SS.
    cachedSecond = second;
  }
  const frac = msInSecond * 1000 + micros;
  return `${cachedPrefix}${frac < 100_000 ? String(frac).padStart(6, '0') : frac}Z`;
}

export function timestamptzFromMs(ms: number): string {
  return new Date(ms).toISOString();
}
