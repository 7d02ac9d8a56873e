/**
 * An exact reference for the decimal parsers, written a different way on purpose:
 * regular expressions for the grammar, string padding and string comparison against the
 * int64 bounds for the value, and chunked BigInt assembly. It shares no code with
 * src/core/fixed or native/core, so agreement is evidence, not tautology.
 */
import { DecimalStatus } from '../../../src/core/fixed/errors.js';
import type { RoundingMode } from '../../../src/core/fixed/decimal.js';

export interface Outcome {
  status: DecimalStatus;
  /** 0n unless status is OK. */
  value: bigint;
}

const BLANK = /^[ \t\n\v\f\r]*$/;
/** The longest prefix some valid decimal begins with (a leading '-' already vetted). */
const VIABLE_PREFIX = /^-?(?:[0-9]+(?:\.[0-9]*)?)?/;
const VALID = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;
const INT64_MAX_DIGITS = '9223372036854775807';
const INT64_MIN_ABS_DIGITS = '9223372036854775808';

function fail(status: DecimalStatus): Outcome {
  return { status, value: 0n };
}

export function referenceParse(text: string, scale: number, allowNegative: boolean): Outcome {
  if (!Number.isInteger(scale) || scale < 0 || scale > 18) return fail(DecimalStatus.SCALE);
  if (text.startsWith('+') || (text.startsWith('-') && !allowNegative)) return fail(DecimalStatus.SIGN);
  const m = VALID.exec(text);
  if (m === null) {
    const bad = VIABLE_PREFIX.exec(text)![0].length;
    const c = text.charAt(bad); // '' at the end
    if (c === 'e' || c === 'E') return fail(DecimalStatus.EXPONENT);
    if (BLANK.test(text)) return fail(DecimalStatus.EMPTY);
    if (c === '+' || c === '-') return fail(DecimalStatus.SIGN);
    return fail(DecimalStatus.SYNTAX);
  }
  const negative = m[1] === '-';
  const intDigits = m[2]!;
  const fracDigits = m[3] ?? '';
  if (intDigits.length + fracDigits.length > 64) return fail(DecimalStatus.TOO_MANY_DIGITS);
  if (/[1-9]/.test(fracDigits.slice(scale))) return fail(DecimalStatus.PRECISION);
  const magnitude = (intDigits + fracDigits.slice(0, scale).padEnd(scale, '0')).replace(/^0+/, '');
  const bound = negative ? INT64_MIN_ABS_DIGITS : INT64_MAX_DIGITS;
  if (magnitude.length > bound.length || (magnitude.length === bound.length && magnitude > bound)) {
    return fail(DecimalStatus.OVERFLOW);
  }
  let value = 0n;
  for (let k = 0; k < magnitude.length; k += 6) {
    const chunk = magnitude.slice(k, k + 6);
    value = value * 10n ** BigInt(chunk.length) + BigInt(Number.parseInt(chunk, 10));
  }
  return { status: DecimalStatus.OK, value: negative ? -value : value };
}

/** The canonical text of a valid decimal: no leading or trailing zeros, no "-0". */
export function referenceCanonical(text: string, minFractionDigits: number, scale: number): string {
  const m = VALID.exec(text)!;
  const intPart = m[2]!.replace(/^0+(?=[0-9])/, '');
  let frac = (m[3] ?? '').replace(/0+$/, '');
  frac = frac.padEnd(Math.min(Math.max(minFractionDigits, 0), scale), '0');
  const zero = /^0*$/.test(intPart + frac);
  return (m[1] === '-' && !zero ? '-' : '') + intPart + (frac.length > 0 ? '.' + frac : '');
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

function floorDiv(n: bigint, d: bigint): bigint {
  const r = ((n % d) + d) % d;
  return (n - r) / d;
}

/** Rounding from floor division, unlike the truncating implementations under test. */
export function referenceRescale(m: bigint, from: number, to: number, mode: RoundingMode): Outcome {
  if (to >= from) {
    const v = m * 10n ** BigInt(to - from);
    return v > INT64_MAX || v < INT64_MIN ? fail(DecimalStatus.OVERFLOW) : { status: DecimalStatus.OK, value: v };
  }
  const d = 10n ** BigInt(from - to);
  const f = floorDiv(m, d);
  const r = m - f * d; // 0 <= r < d
  let v: bigint;
  switch (mode) {
    case 'exact':
      if (r !== 0n) return fail(DecimalStatus.PRECISION);
      v = f;
      break;
    case 'floor':
      v = f;
      break;
    case 'ceil':
      v = r === 0n ? f : f + 1n;
      break;
    case 'trunc':
      v = m < 0n && r !== 0n ? f + 1n : f;
      break;
    case 'halfUp': {
      const abs = m < 0n ? -m : m;
      const a = floorDiv(2n * abs + d, 2n * d);
      v = m < 0n ? -a : a;
      break;
    }
    case 'halfEven':
      if (2n * r < d) v = f;
      else if (2n * r > d) v = f + 1n;
      else v = f % 2n === 0n ? f : f + 1n;
      break;
  }
  return { status: DecimalStatus.OK, value: v };
}
