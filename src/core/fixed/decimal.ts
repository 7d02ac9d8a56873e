/**
 * Fixed-point decimals: an int64 mantissa at a per-instrument decimal scale
 * (value = mantissa / 10^scale). Venue strings are parsed exactly, with no float in
 * between; anything that is not a plain decimal is a DecimalError naming the input.
 *
 * Grammar accepted (the same in native/core/decimal.h):
 *   ['-'] digit+ ['.' digit+]      ('-' only when allowNegative)
 * Fraction digits beyond `scale` must be zeros ("0.00012000" at scale 5 is fine);
 * otherwise the value is not representable and PRECISION is raised (use `rescale`
 * with an explicit rounding mode instead).
 *
 * Which error, so that every parser (this one, parseDecimalAscii, the C++ one) names
 * the same status for the same input: a scale outside 0..18 is SCALE before anything
 * else; '+' first, or '-' first without allowNegative, is SIGN. Otherwise the first
 * character that cannot continue the grammar (the end, when the input stops early)
 * decides: 'e'/'E' is EXPONENT; an input of ASCII blanks only (space \t \n \v \f \r,
 * or nothing) is EMPTY; '+'/'-' is SIGN; anything else is SYNTAX. A well-formed input
 * is then TOO_MANY_DIGITS past MAX_DIGITS digits, PRECISION if a non-zero digit lies past
 * `scale`, OVERFLOW outside int64, in that order.
 */
import { DecimalError, DecimalStatus } from './errors.js';

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;
/** Largest supported scale: 10^18 still fits int64. */
export const MAX_SCALE = 18;
/** Longest digit run accepted before TOO_MANY_DIGITS (bounds the work per input). */
export const MAX_DIGITS = 64;

const POW10: bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));

export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

/** 10^k as a number, exact for every scale. */
export const POW10_NUMBER: readonly number[] = Array.from({ length: MAX_SCALE + 1 }, (_, k) => 10 ** k);
/** acc · 10^k is a safe integer whenever acc <= SAFE_MUL_LIMIT[k]. */
export const SAFE_MUL_LIMIT: readonly number[] = POW10_NUMBER.map((p) => Math.floor(Number.MAX_SAFE_INTEGER / p));
/** Any run of this many decimal digits is below 2^53. */
const SAFE_DIGITS = 15;

function checkScale(scale: number, input: string): void {
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE) {
    throw new DecimalError(DecimalStatus.SCALE, input, `scale ${scale}`);
  }
}

export interface ParseOptions {
  /** Accept a leading '-'. Prices and quantities from venues never carry one. */
  allowNegative?: boolean;
}

/** Parses `text` to a mantissa at `scale`. Throws DecimalError. */
export function parseDecimal(text: string, scale: number, options?: ParseOptions): bigint {
  checkScale(scale, text);
  const n = text.length;
  if (n === 0) throw new DecimalError(DecimalStatus.EMPTY, text);
  let i = 0;
  let negative = false;
  const c0 = text.charCodeAt(0);
  if (c0 === 0x2d /* - */ || c0 === 0x2b /* + */) {
    if (c0 === 0x2b || !options?.allowNegative) throw new DecimalError(DecimalStatus.SIGN, text);
    negative = true;
    i = 1;
  }
  const intStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  if (intEnd === intStart) throw classifyBad(text, i);
  let fracStart = i;
  let fracEnd = i;
  if (i < n && text.charCodeAt(i) === 0x2e /* . */) {
    i++;
    fracStart = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    fracEnd = i;
    if (fracEnd === fracStart) throw classifyBad(text, i);
  }
  if (i !== n) throw classifyBad(text, i);
  if (intEnd - intStart + (fracEnd - fracStart) > MAX_DIGITS) throw new DecimalError(DecimalStatus.TOO_MANY_DIGITS, text);

  // Fraction digits past the scale must all be zero.
  let usedFracEnd = fracEnd;
  if (fracEnd - fracStart > scale) {
    usedFracEnd = fracStart + scale;
    for (let k = usedFracEnd; k < fracEnd; k++) {
      if (text.charCodeAt(k) !== 0x30) throw new DecimalError(DecimalStatus.PRECISION, text, `scale ${scale}`);
    }
  }
  const padding = scale - (usedFracEnd - fracStart);
  let m: bigint;
  if (intEnd - intStart + (usedFracEnd - fracStart) <= SAFE_DIGITS) {
    // Below 10^15 the digits add up exactly in a number: one BigInt at the end instead of
    // a string and a bigint product (most venue values land here).
    let acc = 0;
    for (let k = intStart; k < intEnd; k++) acc = acc * 10 + (text.charCodeAt(k) - 0x30);
    for (let k = fracStart; k < usedFracEnd; k++) acc = acc * 10 + (text.charCodeAt(k) - 0x30);
    m = acc <= SAFE_MUL_LIMIT[padding]! ? BigInt(acc * POW10_NUMBER[padding]!) : BigInt(acc) * pow10(padding);
  } else {
    m = BigInt(text.slice(intStart, intEnd) + text.slice(fracStart, usedFracEnd)) * pow10(padding);
  }
  if (negative) m = -m;
  if (m > INT64_MAX || m < INT64_MIN) throw new DecimalError(DecimalStatus.OVERFLOW, text, `scale ${scale}`);
  return m;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Only ASCII blanks, not String.prototype.trim's Unicode set: the native parser sees
 * UTF-8 bytes, and both must call "\u00a0" the same thing (SYNTAX).
 */
function isBlank(text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c !== 0x20 && (c < 0x09 || c > 0x0d)) return false;
  }
  return true;
}

/** The most specific reason `text` is malformed at position `i`. */
function classifyBad(text: string, i: number): DecimalError {
  const c = text.charCodeAt(i);
  if (c === 0x65 || c === 0x45) return new DecimalError(DecimalStatus.EXPONENT, text);
  if (isBlank(text)) return new DecimalError(DecimalStatus.EMPTY, text);
  if ((c === 0x2d || c === 0x2b) && i > 0) return new DecimalError(DecimalStatus.SIGN, text);
  return new DecimalError(DecimalStatus.SYNTAX, text, `at offset ${i}`);
}

/**
 * Formats a mantissa at `scale` as an exact decimal string. Trailing fraction zeros are
 * trimmed down to `minFractionDigits` (use the venue's display precision to get
 * "0.00012000"-style output; it is clamped to 0..scale); the decimal point is omitted
 * when no fraction remains.
 */
export function formatDecimal(mantissa: bigint, scale: number, minFractionDigits = 0): string {
  checkScale(scale, String(mantissa));
  if (!Number.isInteger(minFractionDigits)) {
    throw Object.assign(new RangeError(`minFractionDigits must be an integer, got ${minFractionDigits}`), { code: 'ERR_OUT_OF_RANGE' });
  }
  const negative = mantissa < 0n;
  const abs = (negative ? -mantissa : mantissa).toString();
  if (scale === 0) return (negative ? '-' : '') + abs;
  const padded = abs.length <= scale ? '0'.repeat(scale - abs.length + 1) + abs : abs;
  const intPart = padded.slice(0, padded.length - scale);
  let frac = padded.slice(padded.length - scale);
  const keep = Math.min(Math.max(minFractionDigits, 0), scale);
  let end = frac.length;
  while (end > keep && frac.charCodeAt(end - 1) === 0x30) end--;
  frac = frac.slice(0, end);
  return (negative ? '-' : '') + intPart + (frac.length > 0 ? '.' + frac : '');
}

export type RoundingMode = 'exact' | 'floor' | 'ceil' | 'trunc' | 'halfUp' | 'halfEven';

/**
 * Moves a mantissa from `fromScale` to `toScale`. Going down in scale drops digits:
 * `mode` says how, and 'exact' throws PRECISION if any non-zero digit would be lost.
 * Overflow is a DecimalError, never a wrap.
 */
export function rescale(mantissa: bigint, fromScale: number, toScale: number, mode: RoundingMode): bigint {
  checkScale(fromScale, String(mantissa));
  checkScale(toScale, String(mantissa));
  let r: bigint;
  if (toScale >= fromScale) {
    r = mantissa * pow10(toScale - fromScale);
  } else {
    r = divRound(mantissa, pow10(fromScale - toScale), mode, mantissa, fromScale);
  }
  if (r > INT64_MAX || r < INT64_MIN) {
    throw new DecimalError(DecimalStatus.OVERFLOW, formatDecimal(clamp(mantissa), fromScale), `rescale to ${toScale}`);
  }
  return r;
}

function clamp(m: bigint): bigint {
  return m > INT64_MAX ? INT64_MAX : m < INT64_MIN ? INT64_MIN : m;
}

/**
 * n / d (d > 0) rounded by `mode`. Used by rescale and by accounting (average price,
 * notional at a scale). Exported so every rounding in the engine goes through one rule.
 */
export function divRound(n: bigint, d: bigint, mode: RoundingMode, original: bigint = n, scale = 0): bigint {
  if (d <= 0n) throw new RangeError(`divRound divisor must be positive, got ${d}`);
  const q = n / d; // truncates toward zero
  const rem = n % d;
  if (rem === 0n) return q;
  switch (mode) {
    case 'exact':
      throw new DecimalError(DecimalStatus.PRECISION, formatDecimal(clamp(original), Math.min(scale, MAX_SCALE)), 'exact rescale would drop digits');
    case 'trunc':
      return q;
    case 'floor':
      return n < 0n ? q - 1n : q;
    case 'ceil':
      return n > 0n ? q + 1n : q;
    case 'halfUp':
    case 'halfEven': {
      const twice = (rem < 0n ? -rem : rem) * 2n;
      const away = n < 0n ? q - 1n : q + 1n;
      if (twice > d) return away;
      if (twice < d) return q;
      if (mode === 'halfUp') return away;
      return q % 2n === 0n ? q : away;
    }
  }
}
