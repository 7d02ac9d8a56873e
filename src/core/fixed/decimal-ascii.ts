/**
 * The allocation-free twin of parseDecimal for hot paths: parses ASCII bytes
 * (a slice of a venue frame) straight into an int64 slot, with no string and no bigint.
 * Same grammar and the same DecimalStatus for every input as parseDecimal and the C++
 * parse_decimal (native/core/decimal.h); failures are a returned status, not a throw.
 *
 * The mantissa is built in JS numbers that stay exact: one accumulator while it is
 * below 2^53 (every price and quantity a venue sends in practice), and two 32-bit
 * limbs beyond that, so even INT64_MIN is produced without a bigint. The result is
 * written as two int32 words into the memory of the int64 slot.
 */
import { DecimalStatus } from './errors.js';
import { MAX_DIGITS, MAX_SCALE, POW10_NUMBER, SAFE_MUL_LIMIT } from './decimal.js';

const TWO32 = 4294967296;
const TWO31 = 2147483648;
/** acc * 10 + 9 stays a safe integer up to this accumulator. */
const SAFE_ACC_LIMIT = Math.floor((Number.MAX_SAFE_INTEGER - 9) / 10);

/** Word order of an int64 in memory on this platform. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO_WORD = LITTLE_ENDIAN ? 0 : 1;
const HI_WORD = 1 - LO_WORD;

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;

// One cached Int32Array view of the last output array, so a decoder that keeps writing
// into the same BigInt64Array never allocates a view per call.
let viewOf: BigInt64Array | null = null;
let viewWords: Int32Array = new Int32Array(0);

function wordsOf(out: BigInt64Array): Int32Array {
  if (out !== viewOf) {
    viewWords = new Int32Array(out.buffer, out.byteOffset, out.length * 2);
    viewOf = out;
  }
  return viewWords;
}

/**
 * Parses bytes[start, end) at `scale` into out[index]. Returns DecimalStatus.OK or the
 * error status (then out[index] is 0n). Keep one output array per call site: the word
 * view of the last one is cached. Bad indices are a RangeError (a programmer error, never
 * an out-of-bounds read).
 */
export function parseDecimalAscii(
  bytes: Uint8Array,
  start: number,
  end: number,
  scale: number,
  allowNegative: boolean,
  out: BigInt64Array,
  index: number,
): DecimalStatus {
  if (!(index >= 0 && index < out.length && Number.isInteger(index))) {
    throw new RangeError(`parseDecimalAscii: index ${index} outside out of length ${out.length}`);
  }
  return parseDecimalAsciiWords(bytes, start, end, scale, allowNegative, wordsOf(out), index * 2);
}

/**
 * As parseDecimalAscii, writing the int64 as the word pair words[word], words[word + 1]
 * (in platform order): for decoders that fill event slots through their own Int32Array
 * over shared memory. `word` must be even to be an aligned int64 slot.
 */
export function parseDecimalAsciiWords(
  bytes: Uint8Array,
  start: number,
  end: number,
  scale: number,
  allowNegative: boolean,
  words: Int32Array,
  word: number,
): DecimalStatus {
  if (!(start >= 0 && start <= end && end <= bytes.length && Number.isInteger(start) && Number.isInteger(end))) {
    throw new RangeError(`parseDecimalAscii: range [${start}, ${end}) outside bytes of length ${bytes.length}`);
  }
  if (!(word >= 0 && word + 1 < words.length && Number.isInteger(word))) {
    throw new RangeError(`parseDecimalAscii: word ${word} outside words of length ${words.length}`);
  }
  const status = scan(bytes, start, end, scale, allowNegative, words, word);
  if (status !== DecimalStatus.OK) {
    words[word] = 0;
    words[word + 1] = 0;
  }
  return status;
}

function scan(
  bytes: Uint8Array,
  start: number,
  end: number,
  scale: number,
  allowNegative: boolean,
  words: Int32Array,
  word: number,
): DecimalStatus {
  if (!(scale >= 0 && scale <= MAX_SCALE && (scale | 0) === scale)) return DecimalStatus.SCALE;
  if (start === end) return DecimalStatus.EMPTY;
  let i = start;
  let negative = false;
  const c0 = bytes[i]!;
  if (c0 === MINUS || c0 === PLUS) {
    if (c0 === PLUS || !allowNegative) return DecimalStatus.SIGN;
    negative = true;
    i++;
  }
  // `acc` is exact while small; past SAFE_ACC_LIMIT the value is rebuilt in limbs below.
  let acc = 0;
  let big = false;
  const intStart = i;
  for (; i < end; i++) {
    const d = bytes[i]! - 0x30;
    if (d < 0 || d > 9) break;
    if (acc <= SAFE_ACC_LIMIT) acc = acc * 10 + d;
    else big = true;
  }
  const intEnd = i;
  if (intEnd === intStart) return classifyMalformed(bytes, start, end, i);
  let fracStart = i;
  let usedEnd = i;
  let fracEnd = i;
  let dropped = 0;
  if (i < end && bytes[i] === DOT) {
    i++;
    fracStart = i;
    const keepEnd = end - i > scale ? i + scale : end;
    for (; i < keepEnd; i++) {
      const d = bytes[i]! - 0x30;
      if (d < 0 || d > 9) break;
      if (acc <= SAFE_ACC_LIMIT) acc = acc * 10 + d;
      else big = true;
    }
    usedEnd = i;
    for (; i < end; i++) {
      const d = bytes[i]! - 0x30;
      if (d < 0 || d > 9) break;
      dropped |= d;
    }
    fracEnd = i;
    if (fracEnd === fracStart) return classifyMalformed(bytes, start, end, i);
  }
  if (i !== end) return classifyMalformed(bytes, start, end, i);
  if (intEnd - intStart + (fracEnd - fracStart) > MAX_DIGITS) return DecimalStatus.TOO_MANY_DIGITS;
  if (dropped !== 0) return DecimalStatus.PRECISION;
  const pad = scale - (usedEnd - fracStart);
  if (big || acc > SAFE_MUL_LIMIT[pad]!) {
    return writeWide(bytes, intStart, intEnd, fracStart, usedEnd, pad, negative, words, word);
  }
  const v = acc * POW10_NUMBER[pad]!;
  const hi = Math.floor(v / TWO32);
  const lo = v - hi * TWO32;
  writeWords(words, word, hi, lo, negative);
  return DecimalStatus.OK;
}

// The wide accumulator hi·2^32 + lo, with lo < 2^32 and hi <= 2^31 between digits so
// every product stays far below 2^53. Module state: JS runs one parse at a time.
let wideHi = 0;
let wideLo = 0;

/** Appends decimal digit d to the wide accumulator; false once it passes 2^63. */
function pushDigit(d: number): boolean {
  const lo = wideLo * 10 + d;
  const carry = Math.floor(lo / TWO32);
  wideLo = lo - carry * TWO32;
  wideHi = wideHi * 10 + carry;
  return wideHi <= TWO31;
}

/**
 * Rebuilds the mantissa in limbs, for values of 2^53 and above. Every input character is
 * already validated, so OVERFLOW is the only failure left.
 */
function writeWide(
  bytes: Uint8Array,
  intStart: number,
  intEnd: number,
  fracStart: number,
  usedEnd: number,
  pad: number,
  negative: boolean,
  words: Int32Array,
  word: number,
): DecimalStatus {
  wideHi = 0;
  wideLo = 0;
  for (let k = intStart; k < intEnd; k++) if (!pushDigit(bytes[k]! - 0x30)) return DecimalStatus.OVERFLOW;
  for (let k = fracStart; k < usedEnd; k++) if (!pushDigit(bytes[k]! - 0x30)) return DecimalStatus.OVERFLOW;
  for (let k = 0; k < pad; k++) if (!pushDigit(0)) return DecimalStatus.OVERFLOW;
  // |INT64_MIN| = 2^63 is hi = 2^31, lo = 0; every other value needs hi < 2^31.
  if (wideHi === TWO31 && (wideLo !== 0 || !negative)) return DecimalStatus.OVERFLOW;
  writeWords(words, word, wideHi, wideLo, negative);
  return DecimalStatus.OK;
}

/** Stores ±(hi·2^32 + lo) as an int64 in two's complement; Int32Array stores wrap mod 2^32. */
function writeWords(words: Int32Array, word: number, hi: number, lo: number, negative: boolean): void {
  if (negative && (hi !== 0 || lo !== 0)) {
    if (lo === 0) {
      hi = -hi;
    } else {
      lo = TWO32 - lo;
      hi = -hi - 1;
    }
  }
  words[word + LO_WORD] = lo;
  words[word + HI_WORD] = hi;
}

function isBlankByte(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** The status of bytes[start, end) that breaks the grammar at `bad` (see decimal.ts). */
function classifyMalformed(bytes: Uint8Array, start: number, end: number, bad: number): DecimalStatus {
  const c = bad < end ? bytes[bad]! : -1;
  if (c === 0x65 || c === 0x45) return DecimalStatus.EXPONENT;
  let blank = true;
  for (let k = start; k < end && blank; k++) blank = isBlankByte(bytes[k]!);
  if (blank) return DecimalStatus.EMPTY;
  if ((c === MINUS || c === PLUS) && bad > start) return DecimalStatus.SIGN;
  return DecimalStatus.SYNTAX;
}
