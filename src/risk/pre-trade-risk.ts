/**
 * Pre-trade risk: every intent passes here before anything reaches a venue. The checks
 * run in a fixed order and the first failure is the answer (a RejectReason the strategy
 * gets back); `counters[reason]` counts each outcome, `counters[NONE]` the passes. The
 * counters are a plain Uint32Array indexed by reason so they can be copied to shared
 * metrics memory as is.
 *
 * Order of the NEW checks (cheap and stateless first; the rate tokens are taken last, so
 * a refused order costs no venue rate):
 *
 *   INVALID_INTENT → UNKNOWN_INSTRUMENT → KILL_SWITCH → TICK → STEP → MAX_QTY → NO_MARK →
 *   PRICE_BAND → MAX_NOTIONAL → MIN_NOTIONAL → OPEN_ORDERS → POSITION → SELF_TRADE →
 *   DAILY_LOSS → RATE
 *
 * AMEND runs the same list on the new price and quantity (no OPEN_ORDERS; POSITION counts
 * only the added quantity; SELF_TRADE ignores the order itself). CANCEL and CANCEL_ALL
 * always pass (they only reduce risk, and must pass when the kill switch is tripped).
 *
 * Hot path: a limit NEW allocates nothing. Prices and quantities are safe-integer numbers
 * (intent.ts, limits.ts); products go through the filtered exact comparisons of exact.ts.
 * Market orders are valued at the mid in bigint (they are rare and may allocate).
 */
import type { InstrumentRegistry } from '../core/instruments/registry.js';
import { IntentAction, IntentFlag, OrderType, RejectReason, RiskLimit, Side, TimeInForce } from '../core/schema/constants.js';
import type { Clock } from './clock.js';
import { DailyLoss } from './daily-loss.js';
import { compareProduct } from './exact.js';
import { PositionLedger } from './exposure.js';
import type { RiskIntent } from './intent.js';
import { KillSwitch, type CancelCommand, type KillSwitchConfig } from './kill-switch.js';
import { applyInstrumentLimit, parseRiskLimits, type InstrumentRiskParams, type RiskLimits, type RiskLimitsConfig } from './limits.js';
import { midApproxOf, type MarkSource, type Mid } from './mark-source.js';
import { OpenOrderIndex } from './open-orders.js';
import { priceInBand } from './price-band.js';
import { crossesOwnOrder } from './self-trade.js';
import { TokenBucket } from './token-bucket.js';
import { checkLot, checkMinNotional, checkTick } from './venue-filters.js';
import { RiskConfigError, RiskErrorCode } from './errors.js';

export const REJECT_REASON_COUNT = Math.max(...Object.values(RejectReason)) + 1;

export interface PreTradeRiskOptions {
  registry: InstrumentRegistry;
  limits: RiskLimits | RiskLimitsConfig;
  marks: MarkSource;
  clock: Clock;
  killSwitch?: KillSwitchConfig;
  /** Open-order slots; default maxOpenOrders.global (at least 1). */
  capacity?: number;
}

function isParsed(l: RiskLimits | RiskLimitsConfig): l is RiskLimits {
  return (l as RiskLimits).dailyLoss instanceof Map;
}

export class PreTradeRisk {
  readonly counters = new Uint32Array(REJECT_REASON_COUNT);
  readonly limits: RiskLimits;
  readonly index: OpenOrderIndex;
  readonly ledger: PositionLedger;
  readonly killSwitch: KillSwitch;
  readonly dailyLoss: DailyLoss;
  private readonly params: (InstrumentRiskParams | undefined)[];
  private readonly strategyBuckets: (TokenBucket | undefined)[];
  private readonly globalBucket: TokenBucket;
  private readonly marks: MarkSource;
  private readonly clock: Clock;
  private readonly instrumentCount: number;
  private maxOpenPerStrategy: number;
  private maxOpenGlobal: number;
  private strategyRate: { perSecond: number; burst: number };
  private tripCancels: CancelCommand[] | null = null;

  constructor(opts: PreTradeRiskOptions) {
    this.limits = isParsed(opts.limits) ? opts.limits : parseRiskLimits(opts.limits, opts.registry);
    const l = this.limits;
    this.params = l.instruments;
    this.instrumentCount = l.instruments.length;
    this.marks = opts.marks;
    this.clock = opts.clock;
    const strategies = l.maxStrategies + 1;
    this.index = new OpenOrderIndex(opts.capacity ?? Math.max(1, l.maxOpenOrders.global), strategies, this.instrumentCount);
    this.ledger = new PositionLedger(strategies, l.instruments.map((p) => p?.instrument));
    this.killSwitch = new KillSwitch(this.index, this.clock, opts.killSwitch);
    this.dailyLoss = new DailyLoss(this.ledger, l, this.marks);
    this.strategyBuckets = new Array<TokenBucket | undefined>(strategies).fill(undefined);
    this.strategyRate = l.orderRate.perStrategy;
    this.globalBucket = new TokenBucket(l.orderRate.global.perSecond, l.orderRate.global.burst, this.clock.nowNs());
    this.maxOpenPerStrategy = l.maxOpenOrders.perStrategy;
    this.maxOpenGlobal = l.maxOpenOrders.global;
  }

  /** Checks one intent; returns RejectReason.NONE or the first failing check's reason. */
  check(it: RiskIntent): number {
    let r: number;
    switch (it.action) {
      case IntentAction.NEW:
        r = this.checkNew(it);
        break;
      case IntentAction.AMEND:
        r = this.checkAmend(it);
        break;
      case IntentAction.CANCEL:
      case IntentAction.CANCEL_ALL:
        r = it.strategyId >= 1 && it.strategyId <= this.limits.maxStrategies ? RejectReason.NONE : RejectReason.INVALID_INTENT;
        break;
      default:
        r = RejectReason.INVALID_INTENT;
    }
    this.counters[r]!++;
    return r;
  }

  /**
   * Cancels produced when a check found the daily loss limit reached and tripped the kill
   * switch; the caller sends them. Null when nothing tripped since the last call.
   */
  takeTripCancels(): CancelCommand[] | null {
    const c = this.tripCancels;
    this.tripCancels = null;
    return c;
  }

  /** Re-evaluates the daily loss (after fills, on a timer); trips and returns cancels on a breach. */
  evaluateDailyLoss(): CancelCommand[] | null {
    if (this.killSwitch.tripped || !this.dailyLoss.breached()) return null;
    return this.killSwitch.onDailyLossBreach(this.clock.nowNs());
  }

  private checkNew(it: RiskIntent): number {
    const s = it.strategyId;
    const side = it.side;
    const market = it.orderType === OrderType.MARKET;
    if (
      it.wide ||
      s < 1 ||
      s > this.limits.maxStrategies ||
      (side !== Side.BUY && side !== Side.SELL) ||
      !(it.qty > 0) ||
      !Number.isInteger(it.qty) ||
      (!market && (it.orderType !== OrderType.LIMIT || !(it.price > 0) || !Number.isInteger(it.price))) ||
      it.tif < TimeInForce.GTC ||
      it.tif > TimeInForce.FOK ||
      (market && (it.flags & IntentFlag.POST_ONLY) !== 0)
    ) {
      return RejectReason.INVALID_INTENT;
    }
    const inst = it.instrument;
    const p = inst > 0 && inst < this.instrumentCount ? this.params[inst] : undefined;
    if (p === undefined) return RejectReason.UNKNOWN_INSTRUMENT;
    if (!this.killSwitch.allowsNew(s)) return RejectReason.KILL_SWITCH;
    return this.checkOrder(it, p, s, side, market, it.price, it.qty, it.qty, -1, true);
  }

  private checkAmend(it: RiskIntent): number {
    const slot = it.targetSlot;
    const ix = this.index;
    if (slot < 0 || slot >= ix.capacity || ix.slotOpen[slot] !== 1) return RejectReason.UNKNOWN_ORDER;
    const s = ix.slotStrategy[slot]!;
    const market = it.orderType === OrderType.MARKET;
    if (it.wide || market || s !== it.strategyId || !(it.qty > 0) || !Number.isInteger(it.qty) || !(it.price > 0) || !Number.isInteger(it.price)) {
      return RejectReason.INVALID_INTENT;
    }
    if (!this.killSwitch.allowsNew(s)) return RejectReason.KILL_SWITCH;
    const p = this.params[ix.slotInstrument[slot]!]!;
    const added = it.qty - ix.slotQty[slot]!;
    return this.checkOrder(it, p, s, ix.slotSide[slot]!, false, it.price, it.qty, added > 0 ? added : 0, slot, false);
  }

  /**
   * The checks shared by NEW and AMEND. `qty` is the order's total quantity (limits,
   * filters); `addedQty` the working quantity it adds (position).
   */
  private checkOrder(
    it: RiskIntent,
    p: InstrumentRiskParams,
    s: number,
    side: number,
    market: boolean,
    price: number,
    qty: number,
    addedQty: number,
    excludeSlot: number,
    isNew: boolean,
  ): number {
    const inst = p.instrument.id;
    if (!market && checkTick(p, price) !== RejectReason.NONE) return RejectReason.TICK;
    if (checkLot(p, qty) !== RejectReason.NONE) return RejectReason.STEP;
    if (qty > p.maxOrderQty) return RejectReason.MAX_QTY;

    let mid: Mid | null = null;
    if (this.marks.valid(inst)) mid = this.marks.mid(inst);
    if (mid === null) {
      if (market || this.limits.requireMark) return RejectReason.NO_MARK;
    } else if (!market && !priceInBand(price, mid, midApproxOf(this.marks, inst, mid), p.bandBps)) {
      return RejectReason.PRICE_BAND;
    }

    if (market) {
      // Valued at the mid: qty·mult·num/den against each limit, in bigint.
      const m = mid!;
      const v = BigInt(qty) * p.instrument.contractMultiplier * m.num;
      if (v > p.maxOrderNotional * m.den) return RejectReason.MAX_NOTIONAL;
      if (v < p.minNotional * m.den) return RejectReason.MIN_NOTIONAL;
    } else {
      if (compareProduct(price, qty, p.mult, p.maxOrderNotional, p.maxOrderNotionalApprox) > 0) return RejectReason.MAX_NOTIONAL;
      if (checkMinNotional(p, price, qty) !== RejectReason.NONE) return RejectReason.MIN_NOTIONAL;
    }

    const ix = this.index;
    if (isNew && (ix.openByStrategy[s]! >= this.maxOpenPerStrategy || ix.openCount >= this.maxOpenGlobal || ix.openCount >= ix.capacity)) {
      return RejectReason.OPEN_ORDERS;
    }

    // Worst case: every working order on the growing side fills, then this one.
    const led = this.ledger;
    const k = s * this.instrumentCount + inst;
    if (side === Side.BUY) {
      if (led.pos[k]! + ix.buyLeaves[k]! + addedQty > p.maxPosition) return RejectReason.POSITION;
      if (led.totalPos[inst]! + ix.totalBuyLeaves[inst]! + addedQty > p.maxTotalPosition) return RejectReason.POSITION;
    } else {
      if (ix.sellLeaves[k]! + addedQty - led.pos[k]! > p.maxPosition) return RejectReason.POSITION;
      if (ix.totalSellLeaves[inst]! + addedQty - led.totalPos[inst]! > p.maxTotalPosition) return RejectReason.POSITION;
    }

    const scope = this.limits.selfTrade;
    if (scope !== 'off' && (it.flags & IntentFlag.POST_ONLY) === 0 && crossesOwnOrder(ix, inst, side, market, price, scope === 'strategy' ? s : -1, excludeSlot)) {
      return RejectReason.SELF_TRADE;
    }

    if (this.dailyLoss.breached()) {
      const cancels = this.killSwitch.onDailyLossBreach(this.clock.nowNs());
      if (this.killSwitch.tripped) this.tripCancels = cancels;
      return RejectReason.DAILY_LOSS;
    }

    const now = this.clock.nowNs();
    const sb = this.strategyBuckets[s] ?? this.newBucket(s, now);
    if (!sb.available(now) || !this.globalBucket.available(now)) return RejectReason.RATE;
    sb.take();
    this.globalBucket.take();
    return RejectReason.NONE;
  }

  private newBucket(s: number, now: number): TokenBucket {
    const b = new TokenBucket(this.strategyRate.perSecond, this.strategyRate.burst, now);
    this.strategyBuckets[s] = b;
    return b;
  }

  /**
   * RISK_LIMIT control: `code` a RiskLimit, `value` the new mantissa (count for
   * MAX_OPEN_ORDERS, orders per second for ORDER_RATE). `instrument` 0 applies a
   * per-instrument limit to every instrument.
   */
  setLimit(code: number, instrument: number, value: bigint): void {
    switch (code) {
      case RiskLimit.MAX_OPEN_ORDERS:
        if (value < 0n || value > 1_000_000n) throw new RiskConfigError(RiskErrorCode.LIMIT, `MAX_OPEN_ORDERS must be 0..1e6, got ${value}`);
        this.maxOpenGlobal = Number(value);
        this.maxOpenPerStrategy = Math.min(this.maxOpenPerStrategy, this.maxOpenGlobal);
        return;
      case RiskLimit.ORDER_RATE: {
        const perSecond = Number(value);
        const b = new TokenBucket(perSecond, this.strategyRate.burst, this.clock.nowNs());
        this.strategyRate = { perSecond: b.perSecond, burst: b.burst };
        this.strategyBuckets.fill(undefined);
        return;
      }
      case RiskLimit.DAILY_LOSS:
        throw new RiskConfigError(RiskErrorCode.LIMIT, 'DAILY_LOSS is per quote asset: change it in the limits file and reload');
      default: {
        const targets = instrument === 0 ? this.params : [this.params[instrument]];
        if (instrument !== 0 && targets[0] === undefined) throw new RiskConfigError(RiskErrorCode.ID_RANGE, `no risk limits for instrument ${instrument}`);
        for (const p of targets) if (p) applyInstrumentLimit(p, code, value);
      }
    }
  }
}
