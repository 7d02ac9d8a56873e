/**
 * Positions and PnL per (strategy, instrument), in fixed point, average-cost method.
 *
 * Units (instrument scales ps = priceScale, qs = qtyScale, m = contract multiplier):
 *   qty          signed position, at qs (long > 0)
 *   costBasis    signed cost of the open position, Σ px·qty·m at ps+qs (same sign as qty)
 *   realised     at ps+qs, quote asset
 *   feesQuote    at ps+FEE_SCALE, quote asset (positive = paid, negative = rebate)
 *   unrealised   qty·m·mark − costBasis, at ps+qs
 *   net PnL      realised + unrealised − fees, at pnlScale = ps + max(qs, FEE_SCALE)
 *
 * Rounding rule (the only one): when part of a position closes, the cost it takes with it
 * is costBasis · closedQty / |qty|, rounded half-even to an integer at ps+qs. Whatever the
 * rounding leaves stays in the basis of the rest of the position, so nothing is lost:
 * realised + unrealised − fees equals the cash-flow PnL (cash + qty·m·mark − fees)
 * exactly, at every step (property-tested). A full close or a flip takes the whole basis
 * (no rounding). The average entry price is derived for display: |costBasis| / (|qty|·m)
 * rounded half-even to ps.
 *
 * Flips through zero are a close of the whole position followed by an open of the rest
 * at the fill price.
 *
 * Fees: a fee in the quote asset is booked as is (rescaled to ps+FEE_SCALE). A fee in the
 * base asset is converted at the fill's own price (fee·px, exact at ps+FEE_SCALE) and also
 * kept in base units in `feesBase`, because the venue balance of the base asset differs
 * from the traded position by it (reconciliation needs that). A fee in any other asset
 * (e.g. BNB) is converted only if a FeeRates source gives a rate (quote per unit of the
 * asset, rounded half-even to ps+FEE_SCALE when the rate has more decimals); otherwise it
 * is kept per asset in `feesOther` and left out of the PnL, never guessed.
 */
import type { Instrument } from '../core/instruments/instrument.js';
import { divRound, pow10 } from '../core/fixed/decimal.js';
import { SchemaLimits, Sentinel, Side } from '../core/schema/constants.js';
import { pnlScaleOf } from '../risk/exposure.js';

const FEE_SCALE = SchemaLimits.FEE_SCALE;

export interface FeeRate {
  /** Quote asset per unit of the fee asset: mantissa at `scale`. */
  mantissa: bigint;
  scale: number;
}

export interface FeeRates {
  rate(asset: string, quote: string): FeeRate | null;
}

export { pnlScaleOf };

export class Position {
  qty = 0n;
  costBasis = 0n;
  realised = 0n;
  feesQuote = 0n;
  feesBase = 0n;
  feesOther: Map<string, bigint> | null = null;
  /** Cash flow parts, at ps+qs (× multiplier): what buys cost and sells brought in. */
  bought = 0n;
  sold = 0n;
  fills = 0;

  constructor(
    readonly strategyId: number,
    readonly instrument: Instrument,
  ) {}

  /** Average entry price at priceScale, half-even; PRICE_UNDEF when flat. */
  avgPrice(): bigint {
    if (this.qty === 0n) return Sentinel.PRICE_UNDEF;
    const basis = this.costBasis < 0n ? -this.costBasis : this.costBasis;
    const q = (this.qty < 0n ? -this.qty : this.qty) * this.instrument.contractMultiplier;
    return divRound(basis, q, 'halfEven');
  }

  /** Unrealised PnL at ps+qs against `mark` (a price mantissa at priceScale). */
  unrealised(mark: bigint): bigint {
    return this.qty * this.instrument.contractMultiplier * mark - this.costBasis;
  }

  /** realised + unrealised − quote fees, at pnlScale. */
  netPnl(mark: bigint): bigint {
    const inst = this.instrument;
    const s = pnlScaleOf(inst);
    const tradeUp = pow10(s - inst.priceScale - inst.qtyScale);
    const feeUp = pow10(s - inst.priceScale - FEE_SCALE);
    return (this.realised + this.unrealised(mark)) * tradeUp - this.feesQuote * feeUp;
  }

  /** Books one fill (qty > 0 at px). Returns the realised PnL of this fill at ps+qs. */
  applyTrade(side: number, qty: bigint, px: bigint): bigint {
    const m = this.instrument.contractMultiplier;
    const f = side === Side.BUY ? qty : -qty;
    this.fills++;
    if (f > 0n) this.bought += qty * px * m;
    else this.sold += qty * px * m;
    const pos = this.qty;
    if (pos === 0n || (pos > 0n) === (f > 0n)) {
      this.costBasis += f * px * m;
      this.qty = pos + f;
      return 0n;
    }
    const absPos = pos < 0n ? -pos : pos;
    const closing = qty < absPos ? qty : absPos;
    // Closing part: proceeds minus the cost it takes out of the basis.
    const removed = closing === absPos ? this.costBasis : divRound(this.costBasis * closing, absPos, 'halfEven');
    const closeSigned = f > 0n ? closing : -closing;
    const pnl = -closeSigned * px * m - removed;
    this.realised += pnl;
    this.costBasis -= removed;
    this.qty = pos + closeSigned;
    const rest = qty - closing;
    if (rest > 0n) {
      const openSigned = f > 0n ? rest : -rest;
      this.costBasis += openSigned * px * m;
      this.qty += openSigned;
    }
    return pnl;
  }
}

/** Sums of several positions in one instrument (the account's, across strategies). */
export interface PositionTotals {
  instrument: Instrument;
  qty: bigint;
  costBasis: bigint;
  realised: bigint;
  feesQuote: bigint;
  feesBase: bigint;
  avgPrice: bigint;
}

export class Positions {
  private readonly byKey = new Map<number, Position>();

  constructor(private readonly feeRates: FeeRates | null = null) {}

  private static key(strategyId: number, instrumentId: number): number {
    return strategyId * 4294967296 + instrumentId;
  }

  get(strategyId: number, instrumentId: number): Position | undefined {
    return this.byKey.get(Positions.key(strategyId, instrumentId));
  }

  /** The position, created flat on first use. */
  of(strategyId: number, inst: Instrument): Position {
    const k = Positions.key(strategyId, inst.id);
    let p = this.byKey.get(k);
    if (!p) {
      p = new Position(strategyId, inst);
      this.byKey.set(k, p);
    }
    return p;
  }

  /**
   * Books a fill with its fee (`fee` at FEE_SCALE in `feeAsset`; '' or 0n for none).
   * Returns the fee converted to the quote asset at ps+FEE_SCALE (0n when it could not
   * be converted), for the risk ledger.
   */
  applyFill(strategyId: number, inst: Instrument, side: number, qty: bigint, px: bigint, fee: bigint, feeAsset: string): bigint {
    if (qty <= 0n) throw new RangeError(`fill quantity must be positive, got ${qty}`);
    const p = this.of(strategyId, inst);
    p.applyTrade(side, qty, px);
    if (fee === 0n || feeAsset === '') return 0n;
    let quoteFee: bigint;
    if (feeAsset === inst.quote) {
      quoteFee = fee * pow10(inst.priceScale);
    } else if (feeAsset === inst.base) {
      p.feesBase += fee;
      quoteFee = fee * px;
    } else {
      const r = this.feeRates?.rate(feeAsset, inst.quote) ?? null;
      if (r === null) {
        p.feesOther ??= new Map();
        p.feesOther.set(feeAsset, (p.feesOther.get(feeAsset) ?? 0n) + fee);
        return 0n;
      }
      const raw = fee * r.mantissa; // at FEE_SCALE + r.scale
      quoteFee = r.scale <= inst.priceScale ? raw * pow10(inst.priceScale - r.scale) : divRound(raw, pow10(r.scale - inst.priceScale), 'halfEven');
    }
    p.feesQuote += quoteFee;
    return quoteFee;
  }

  /** Every position of `instrumentId` added up (all strategies). */
  totals(inst: Instrument): PositionTotals {
    const t: PositionTotals = { instrument: inst, qty: 0n, costBasis: 0n, realised: 0n, feesQuote: 0n, feesBase: 0n, avgPrice: Sentinel.PRICE_UNDEF };
    for (const p of this.byKey.values()) {
      if (p.instrument.id !== inst.id) continue;
      t.qty += p.qty;
      t.costBasis += p.costBasis;
      t.realised += p.realised;
      t.feesQuote += p.feesQuote;
      t.feesBase += p.feesBase;
    }
    if (t.qty !== 0n) {
      const basis = t.costBasis < 0n ? -t.costBasis : t.costBasis;
      t.avgPrice = divRound(basis, (t.qty < 0n ? -t.qty : t.qty) * inst.contractMultiplier, 'halfEven');
    }
    return t;
  }

  all(): IterableIterator<Position> {
    return this.byKey.values();
  }
}
