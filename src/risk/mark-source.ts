/**
 * Where risk reads the current mid price. The shared order books implement it; tests and
 * benchmarks use a fixed table.
 *
 * `mid` is a price mantissa at the instrument's priceScale written as a fraction
 * num/den (den > 0), so a mid of two integer prices, (bid + ask) / 2, is exact:
 * { num: bid + ask, den: 2n }. `valid` is false while the book is being rebuilt or is
 * stale; risk then treats the mark as missing.
 */
export interface Mid {
  readonly num: bigint;
  readonly den: bigint;
}

export interface MarkSource {
  mid(instrumentId: number): Mid | null;
  valid(instrumentId: number): boolean;
  /**
   * Optional: the same mid as a double, correctly rounded (or within 2^-52 relative) —
   * the hot path compares in float64 and only reads `mid` when a result is too close to
   * call (exact.ts). A book holding int64 words computes it without any bigint; without
   * it risk converts num and den itself (two bigint → number conversions, ~20 ns each).
   */
  midApprox?(instrumentId: number): number;
}

/** mid as a double from either form. */
export function midApproxOf(marks: MarkSource, instrumentId: number, mid: Mid): number {
  return marks.midApprox !== undefined ? marks.midApprox(instrumentId) : Number(mid.num) / Number(mid.den);
}

/** A MarkSource over a table the caller fills: tests, backtests, benchmarks. */
export class StaticMarks implements MarkSource {
  private readonly mids: (Mid | null)[] = [];
  private readonly approx: number[] = [];
  private readonly validity: boolean[] = [];

  set(instrumentId: number, num: bigint, den = 1n, valid = true): void {
    if (den <= 0n || num < 0n) throw new RangeError(`mid ${num}/${den} for instrument ${instrumentId}: need num >= 0 and den > 0`);
    this.mids[instrumentId] = { num, den };
    this.approx[instrumentId] = Number(num) / Number(den);
    this.validity[instrumentId] = valid;
  }

  setValid(instrumentId: number, valid: boolean): void {
    this.validity[instrumentId] = valid;
  }

  clear(instrumentId: number): void {
    this.mids[instrumentId] = null;
    this.validity[instrumentId] = false;
  }

  mid(instrumentId: number): Mid | null {
    return this.mids[instrumentId] ?? null;
  }

  midApprox(instrumentId: number): number {
    return this.approx[instrumentId] ?? NaN;
  }

  valid(instrumentId: number): boolean {
    return this.validity[instrumentId] === true && this.mids[instrumentId] != null;
  }
}
