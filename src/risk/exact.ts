/**
 * Exact decisions from float64 arithmetic on integer mantissas, for the hot path.
 *
 * Risk limits compare products (price × qty, deviation × 10 000) that can exceed 2^53,
 * and bigint arithmetic allocates. So each comparison is a filter: it is computed in
 * float64 first, and decided there when the result is farther from the limit than the
 * worst rounding error; only inside that guard band does it redo the comparison in
 * bigint (allocates; practically never taken outside tests built to hit it).
 *
 * Why the guard is safe: every input is an integer below 2^53 (exact in a double) or a
 * bigint limit whose double is within 2^-53 relative. Each float operation adds at most
 * 2^-53 relative error; the expressions here use ≤ 4 operations on non-negative terms,
 * so the float result is within 2^-50 of the exact one. GUARD = 2^-40 is 1024 times that.
 * For differences (price band), the error is bounded relative to the sum of magnitudes,
 * and the guard is scaled by that sum instead.
 */
export const GUARD = 2 ** -40;

/**
 * Sign of a·b·m − limit for non-negative safe integers a, b, m and a non-negative
 * bigint limit (`limitApprox` = Number(limit)): −1, 0 or 1, exact.
 */
export function compareProduct(a: number, b: number, m: number, limit: bigint, limitApprox: number): number {
  const p = a * b * m;
  if (p < limitApprox * (1 - GUARD)) return -1;
  if (p > limitApprox * (1 + GUARD)) return 1;
  const e = BigInt(a) * BigInt(b) * BigInt(m);
  return e < limit ? -1 : e > limit ? 1 : 0;
}

/**
 * Whether `price` lies within `bps` basis points of mid = num/den (price mantissas, all
 * non-negative, den > 0): |price − mid| · 10 000 ≤ bps · mid, exact. `midApprox` is the
 * mid as a double (within 2^-52 relative, see MarkSource.midApprox); num/den are read
 * only when the float result is too close to call.
 */
export function withinBand(price: number, midApprox: number, num: bigint, den: bigint, bps: number): boolean {
  const lhs = Math.abs(price - midApprox) * 10_000;
  const rhs = bps * midApprox;
  // The subtraction can cancel, so its error is bounded by the magnitudes of its operands.
  const guard = ((price + midApprox) * 10_000 + rhs) * GUARD;
  if (lhs < rhs - guard) return true;
  if (lhs > rhs + guard) return false;
  let d = BigInt(price) * den - num;
  if (d < 0n) d = -d;
  return d * 10_000n <= BigInt(bps) * num;
}
