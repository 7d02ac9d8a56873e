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
}

/** A MarkSource over a table the caller fills: tests, backtests, benchmarks. */
export class StaticMarks implements MarkSource {
  private readonly mids: (Mid | null)[] = [];
  private readonly validity: boolean[] = [];

  set(instrumentId: number, num: bigint, den = 1n, valid = true): void {
    if (den <= 0n || num < 0n) throw new RangeError(`mid ${num}/${den} for instrument ${instrumentId}: need num >= 0 and den > 0`);
    this.mids[instrumentId] = { num, den };
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

  valid(instrumentId: number): boolean {
    return this.validity[instrumentId] === true && this.mids[instrumentId] != null;
  }
}
