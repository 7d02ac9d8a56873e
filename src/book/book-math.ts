/**
 * Values derived from a consistent book copy (BookLevels), exact: no float touches a
 * price. Inputs are mantissas (prices at the instrument's priceScale P, quantities at
 * its qtyScale Q). Rules:
 *
 * - mid: (bid + ask) / 2 is exact at scale P + 1, returned as the mantissa (bid + ask) × 5.
 * - spread: ask - bid at scale P (exact, a number: both are below 2^53).
 * - microprice: (bid × askQty + ask × bidQty) / (bidQty + askQty), an exact Rational at
 *   scale P, or a mantissa at scale P + extraDigits rounded by `mode` (default half-even,
 *   the engine's one rounding rule, core/fixed/decimal.ts divRound).
 * - depth: sum of quantities (bigint, scale Q) over the best n levels or down to a price.
 * - VWAP to fill `size` (scale Q) against one side: filled qty and notional (scale P + Q)
 *   exactly, plus the average price at P + extraDigits with the same rounding rule.
 *
 * These use bigint (allocating): they run in strategies on a copy, off the book writer's
 * hot path. They see only the levels copied (readTop depth), and say so via `complete`.
 */
import { divRound, pow10, type RoundingMode } from '../core/fixed/decimal.js';
import type { BookLevels } from './book-levels.js';
import { Side } from './side.js';

export interface Rational {
  num: bigint;
  den: bigint;
}

export function midMantissa(book: BookLevels): bigint | null {
  if (book.bidCount === 0 || book.askCount === 0) return null;
  return (BigInt(book.bidPrice(0)) + BigInt(book.askPrice(0))) * 5n;
}

export function spreadMantissa(book: BookLevels): number | null {
  if (book.bidCount === 0 || book.askCount === 0) return null;
  return book.askPrice(0) - book.bidPrice(0);
}

export function micropriceRational(book: BookLevels): Rational | null {
  if (book.bidCount === 0 || book.askCount === 0) return null;
  const bid = BigInt(book.bidPrice(0));
  const ask = BigInt(book.askPrice(0));
  const bq = BigInt(book.bidQty(0));
  const aq = BigInt(book.askQty(0));
  return { num: bid * aq + ask * bq, den: bq + aq };
}

export function micropriceMantissa(book: BookLevels, extraDigits = 4, mode: RoundingMode = 'halfEven'): bigint | null {
  const r = micropriceRational(book);
  return r === null ? null : divRound(r.num * pow10(extraDigits), r.den, mode);
}

/** Quantity over the best `levels` levels of `side` (within the copy). */
export function depthLevels(book: BookLevels, side: Side, levels: number): bigint {
  const n = Math.min(levels, side === Side.BID ? book.bidCount : book.askCount);
  let sum = 0n;
  for (let i = 0; i < n; i++) sum += BigInt(side === Side.BID ? book.bidQty(i) : book.askQty(i));
  return sum;
}

/** Quantity at prices at or better than `limitPrice` on `side` (within the copy). */
export function depthToPrice(book: BookLevels, side: Side, limitPrice: number): bigint {
  let sum = 0n;
  if (side === Side.BID) {
    for (let i = 0; i < book.bidCount && book.bidPrice(i) >= limitPrice; i++) sum += BigInt(book.bidQty(i));
  } else {
    for (let i = 0; i < book.askCount && book.askPrice(i) <= limitPrice; i++) sum += BigInt(book.askQty(i));
  }
  return sum;
}

export interface VwapFill {
  /** Quantity filled (scale Q): `size`, or less when the copied levels run out. */
  filled: bigint;
  /** Σ price × qty taken, at scale P + Q. */
  notional: bigint;
  complete: boolean;
  /** Levels touched. */
  levels: number;
}

/** Walks `side` from the best level to fill `size` (buy → Side.ASK, sell → Side.BID). */
export function vwapFill(book: BookLevels, side: Side, size: bigint): VwapFill {
  const count = side === Side.BID ? book.bidCount : book.askCount;
  let left = size;
  let notional = 0n;
  let i = 0;
  for (; i < count && left > 0n; i++) {
    const price = BigInt(side === Side.BID ? book.bidPrice(i) : book.askPrice(i));
    const qty = BigInt(side === Side.BID ? book.bidQty(i) : book.askQty(i));
    const take = qty < left ? qty : left;
    notional += price * take;
    left -= take;
  }
  return { filled: size - left, notional, complete: left === 0n, levels: i };
}

/** Average fill price at scale P + extraDigits, or null when nothing filled. */
export function vwapPriceMantissa(fill: VwapFill, extraDigits = 4, mode: RoundingMode = 'halfEven'): bigint | null {
  if (fill.filled === 0n) return null;
  return divRound(fill.notional * pow10(extraDigits), fill.filled, mode);
}
