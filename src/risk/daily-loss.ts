/**
 * Daily loss: realised + unrealised PnL since the start of the trading day, marked to the
 * shared book, must stay above −limit for every quote asset that has a limit.
 *
 * PnL per instrument in cash-flow form (exposure.ts): cash + position × mid. The mid is the
 * MarkSource's while it is valid, else the last valid mid seen here, else the last fill
 * price (documented fallback: a stale mark beats none for a loss limit).
 *
 * Decided in float64 with a guard band scaled by the sum of magnitudes (the sum can
 * cancel: −1e6 of cash against +1e6 of position), falling back to exact rational bigint
 * arithmetic inside the band (exact.ts explains the bound; n terms add n rounding errors,
 * so the guard grows with the number of instruments). The float path reads no bigint
 * except through MarkSource.mid, which a book should answer with a reused object.
 */
import { pow10 } from '../core/fixed/decimal.js';
import { Sentinel } from '../core/schema/constants.js';
import { GUARD } from './exact.js';
import { pnlScaleOf, type PositionLedger } from './exposure.js';
import type { DailyLossLimit, RiskLimits } from './limits.js';
import { midApproxOf, type MarkSource } from './mark-source.js';

/** An exact rational; den > 0. */
export interface Ratio {
  num: bigint;
  den: bigint;
}

function addRatio(a: Ratio, num: bigint, den: bigint): Ratio {
  return a.den === den ? { num: a.num + num, den } : { num: a.num * den + num * a.den, den: a.den * den };
}

class LossGroup {
  baseline: Ratio = { num: 0n, den: 1n };
  baselineApprox = 0;
  readonly limitApprox: number;
  constructor(readonly limit: DailyLossLimit) {
    this.limitApprox = Number(limit.mantissa) / 10 ** limit.scale;
  }
}

export class DailyLoss {
  private readonly groups: LossGroup[] = [];
  private readonly groupOf: (LossGroup | undefined)[] = [];
  /** Last valid mid seen per instrument (copied: a book may reuse its Mid object). */
  private readonly lastNum: bigint[];
  private readonly lastDen: bigint[];
  private readonly lastApprox: Float64Array;
  /** Times the float path could not decide and the exact path ran. */
  exactFallbacks = 0;

  constructor(
    private readonly ledger: PositionLedger,
    limits: RiskLimits,
    private readonly marks: MarkSource,
  ) {
    const byQuote = new Map<string, LossGroup>();
    for (const l of limits.dailyLoss.values()) {
      const g = new LossGroup(l);
      byQuote.set(l.quote, g);
      this.groups.push(g);
    }
    for (let id = 1; id < ledger.instruments; id++) {
      const inst = ledger.instrument(id);
      this.groupOf[id] = inst && byQuote.get(inst.quote);
    }
    this.lastNum = new Array<bigint>(ledger.instruments).fill(0n);
    this.lastDen = new Array<bigint>(ledger.instruments).fill(0n);
    this.lastApprox = new Float64Array(ledger.instruments).fill(NaN);
  }

  /** The mark of `id` as a double (NaN if none yet); remembers a valid one. */
  private markApprox(id: number): number {
    if (this.marks.valid(id)) {
      const m = this.marks.mid(id);
      if (m !== null) {
        this.lastNum[id] = m.num;
        this.lastDen[id] = m.den;
        return (this.lastApprox[id] = midApproxOf(this.marks, id, m));
      }
    }
    const last = this.lastApprox[id]!;
    return last === last ? last : this.ledger.lastPxApprox[id]!;
  }

  /** The exact mark used by markApprox, or null. */
  private markExact(id: number): Ratio | null {
    if (this.lastDen[id] !== 0n) return { num: this.lastNum[id]!, den: this.lastDen[id]! };
    const px = this.ledger.lastPx[id]!;
    return px === Sentinel.PRICE_UNDEF ? null : { num: px, den: 1n };
  }

  /** Whether any quote asset's loss since the day start has reached its limit. */
  breached(): boolean {
    const traded = this.ledger.traded;
    if (this.groups.length === 0 || traded.length === 0) return false;
    const led = this.ledger;
    for (let gi = 0; gi < this.groups.length; gi++) {
      const g = this.groups[gi]!;
      let sum = -g.baselineApprox;
      let mag = Math.abs(g.baselineApprox);
      let n = 1;
      for (let t = 0; t < traded.length; t++) {
        const id = traded[t]!;
        if (this.groupOf[id] !== g) continue;
        const cash = led.cashApprox[id]!;
        sum += cash;
        mag += Math.abs(cash);
        const q = led.totalPos[id]!;
        if (q !== 0) {
          const m = this.markApprox(id);
          if (m === m) {
            const v = q * m * led.valueScale[id]!;
            sum += v;
            mag += Math.abs(v);
          }
        }
        n += 2;
      }
      const margin = sum + g.limitApprox; // > 0: within budget
      const guard = (mag + g.limitApprox) * GUARD * (1 + n / 256);
      if (margin > guard) continue;
      if (margin < -guard) return true;
      this.exactFallbacks++;
      const pnl = this.pnlSinceDayStart(g);
      // pnl + limit ≤ 0 ⇔ breached
      const lim = g.limit;
      if (pnl.num * pow10(lim.scale) + lim.mantissa * pnl.den <= 0n) return true;
    }
    return false;
  }

  private pnlOf(g: LossGroup): Ratio {
    let acc: Ratio = { num: 0n, den: 1n };
    for (const id of this.ledger.traded) {
      if (this.groupOf[id] !== g) continue;
      const inst = this.ledger.instrument(id)!;
      acc = addRatio(acc, this.ledger.cash[id]!, pow10(pnlScaleOf(inst)));
      const q = this.ledger.totalPosExact[id]!;
      if (q !== 0n) {
        this.markApprox(id); // refresh the remembered mark exactly as the float path does
        const m = this.markExact(id);
        if (m) acc = addRatio(acc, q * inst.contractMultiplier * m.num, m.den * pow10(inst.priceScale + inst.qtyScale));
      }
    }
    return acc;
  }

  private pnlSinceDayStart(g: LossGroup): Ratio {
    const p = this.pnlOf(g);
    return addRatio(p, -g.baseline.num, g.baseline.den);
  }

  /** Exact PnL since the day start of `quote`'s instruments, or null without a limit for it. */
  pnl(quote: string): Ratio | null {
    const g = this.groups.find((x) => x.limit.quote === quote);
    return g ? this.pnlSinceDayStart(g) : null;
  }

  /** Starts a new trading day: today's PnL is measured from the current marked PnL. */
  rollDay(): void {
    for (const g of this.groups) {
      g.baseline = this.pnlOf(g);
      g.baselineApprox = Number(g.baseline.num) / Number(g.baseline.den);
    }
  }
}
