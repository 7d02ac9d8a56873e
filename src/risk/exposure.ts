/**
 * Filled positions as risk sees them, account-wide and per strategy, plus the cash flow
 * of every instrument for the daily loss check.
 *
 * Cash-flow form: PnL = cash + position × mark, where cash is what sells brought in minus
 * what buys cost minus fees. It needs no average price, so it is cheap and exact; the
 * oms's positions.ts keeps the average-cost form (realised + unrealised − fees) for
 * reporting, and a property test proves the two equal.
 *
 * Exact values are bigint (updated per fill, not per intent); the hot path reads the
 * number mirrors, which equal the bigints while below 2^53 and otherwise round
 * monotonically, past every limit (limits.ts).
 *
 * Cash of an instrument is at its pnlScale = priceScale + max(qtyScale, FEE_SCALE), where
 * trades (price × qty, at priceScale + qtyScale) and fees (at priceScale + FEE_SCALE, see
 * positions.ts) are both exact.
 */
import type { Instrument } from '../core/instruments/instrument.js';
import { pow10 } from '../core/fixed/decimal.js';
import { SchemaLimits, Sentinel, Side } from '../core/schema/constants.js';

export function pnlScaleOf(inst: Instrument): number {
  return inst.priceScale + Math.max(inst.qtyScale, SchemaLimits.FEE_SCALE);
}

export class PositionLedger {
  readonly strategies: number;
  readonly instruments: number;
  /** Signed position by strategy × instrument (index strategy * instruments + instrument). */
  readonly pos: Float64Array;
  readonly totalPos: Float64Array;
  readonly posExact: bigint[];
  readonly totalPosExact: bigint[];
  /** Cash flow per instrument at pnlScale (all strategies). */
  readonly cash: bigint[];
  /** cash in quote units, as a double. */
  readonly cashApprox: Float64Array;
  /** Price of the last fill (fallback mark), PRICE_UNDEF before the first. */
  readonly lastPx: bigint[];
  /** lastPx as a double, NaN before the first fill. */
  readonly lastPxApprox: Float64Array;
  /** multiplier / 10^(priceScale + qtyScale): position × mid × this = value in quote units (double). */
  readonly valueScale: Float64Array;
  /** Instruments that have had a fill, in first-fill order. */
  readonly traded: number[] = [];
  private readonly info: (Instrument | undefined)[];

  /** `strategies` is the largest strategy id + 1; `instruments[id]` the instrument with that id. */
  constructor(strategies: number, instruments: readonly (Instrument | undefined)[]) {
    this.strategies = strategies;
    this.instruments = instruments.length;
    this.info = [...instruments];
    this.pos = new Float64Array(strategies * this.instruments);
    this.totalPos = new Float64Array(this.instruments);
    this.posExact = new Array<bigint>(strategies * this.instruments).fill(0n);
    this.totalPosExact = new Array<bigint>(this.instruments).fill(0n);
    this.cash = new Array<bigint>(this.instruments).fill(0n);
    this.cashApprox = new Float64Array(this.instruments);
    this.lastPx = new Array<bigint>(this.instruments).fill(Sentinel.PRICE_UNDEF);
    this.lastPxApprox = new Float64Array(this.instruments).fill(NaN);
    this.valueScale = new Float64Array(this.instruments);
    this.quoteScale = new Float64Array(this.instruments);
    for (const inst of instruments) {
      if (!inst) continue;
      this.valueScale[inst.id] = Number(inst.contractMultiplier) / 10 ** (inst.priceScale + inst.qtyScale);
      this.quoteScale[inst.id] = 10 ** pnlScaleOf(inst);
    }
  }

  /** 10^pnlScale per instrument (cash → quote units). */
  private readonly quoteScale: Float64Array;

  /**
   * Books a fill: `qty` at `px` (mantissas), `feeQuote` the fee in the quote asset at
   * priceScale + FEE_SCALE (positive = paid; 0n when the fee is in an asset without a rate).
   */
  applyFill(strategy: number, inst: Instrument, side: number, qty: bigint, px: bigint, feeQuote: bigint): void {
    const i = inst.id;
    const k = strategy * this.instruments + i;
    const signed = side === Side.BUY ? qty : -qty;
    this.posExact[k] = this.posExact[k]! + signed;
    this.pos[k] = Number(this.posExact[k]!);
    this.totalPosExact[i] = this.totalPosExact[i]! + signed;
    this.totalPos[i] = Number(this.totalPosExact[i]!);
    const s = pnlScaleOf(inst);
    const trade = px * signed * inst.contractMultiplier * pow10(s - inst.priceScale - inst.qtyScale);
    const fee = feeQuote * pow10(s - inst.priceScale - SchemaLimits.FEE_SCALE);
    const cash = this.cash[i]! - trade - fee;
    this.cash[i] = cash;
    this.cashApprox[i] = Number(cash) / this.quoteScale[i]!;
    if (this.lastPx[i] === Sentinel.PRICE_UNDEF) this.traded.push(i);
    this.lastPx[i] = px;
    this.lastPxApprox[i] = Number(px);
  }

  instrument(id: number): Instrument | undefined {
    return this.info[id];
  }
}
