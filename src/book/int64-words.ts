/**
 * Int64 values as two little-endian Uint32 words, read and written from JS numbers.
 *
 * Shared memory holds real int64 words (a BigInt64Array over the same bytes sees the
 * same values), but the hot path moves them as plain numbers: every price, quantity and
 * update id the book handles is a non-negative integer below 2^53, which a double holds
 * exactly, so reading/writing/comparing needs no BigInt (BigInt reads allocate in V8).
 * The bounds are enforced where values enter (applyLevel, the sync headers, replay).
 */
export const TWO32 = 4294967296;

/** Largest mantissa / id the book accepts: 2^53 - 1. */
export const MAX_U53 = Number.MAX_SAFE_INTEGER;

/** Writes `v` (integer, 0 <= v <= MAX_U53) at word index `i` (lo) and `i + 1` (hi). */
export function writeU53(words: Uint32Array, i: number, v: number): void {
  const lo = v >>> 0;
  words[i] = lo;
  words[i + 1] = (v - lo) / TWO32;
}

/** Reads the int64 at word index `i` as a number; exact while the value is below 2^53. */
export function readU53(words: Uint32Array, i: number): number {
  return words[i]! + words[i + 1]! * TWO32;
}

/** Whether `v` is an integer in [0, MAX_U53]. */
export function isU53(v: number): boolean {
  return v >= 0 && v <= MAX_U53 && Math.floor(v) === v;
}

/**
 * Combines a (lo, hi) Uint32 pair read from a ring slot into a number, or -1 when the
 * value does not fit 53 bits (hi >= 2^21) and must be rejected.
 */
export function u53FromWords(lo: number, hi: number): number {
  return hi < 0x200000 ? (lo >>> 0) + hi * TWO32 : -1;
}
