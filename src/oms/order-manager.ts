/**
 * The in-memory core of the oms thread: intents in (risk check → order), venue events in
 * (state machine → positions, risk state), commands out (what to send, what to tell the
 * strategy). No threads, sockets or files: the oms worker wraps it with rings and the WAL,
 * and because everything here is driven by its inputs (time is passed in), replaying the
 * journal rebuilds the same state.
 *
 * Ids: an order is created under `seq`, the WAL sequence of its creation record (the
 * numeric part of the venue client order id, client-order-id.ts). The strategy names its
 * orders by its own number (the intent's clientOrderId), unique among its open orders; the
 * oms maps one to the other and echoes the strategy's number in updates.
 */
import type { InstrumentRegistry } from '../core/instruments/registry.js';
import { IntentAction, OrderState, OrderType, RejectReason, Sentinel, TimeInForce } from '../core/schema/constants.js';
import type { RiskIntent } from '../risk/intent.js';
import type { CancelCommand, TripReason } from '../risk/kill-switch.js';
import type { PreTradeRisk } from '../risk/pre-trade-risk.js';
import { isFinalState, Order, OrderEvent, OrderEventKind } from './order.js';
import { applyOrderEvent, Effect, TransitionResult, type StateMachineConfig } from './order-state-machine.js';
import { Positions, type FeeRates } from './positions.js';

export interface OrderManagerOptions {
  registry: InstrumentRegistry;
  risk: PreTradeRisk;
  stateMachine: StateMachineConfig;
  feeRates?: FeeRates | null;
}

/** Outcome of one intent; reused across calls. */
export class SubmitResult {
  /** RejectReason.NONE when accepted. */
  reason = 0;
  /** The order created (NEW) or targeted (CANCEL, AMEND); null otherwise. */
  order: Order | null = null;
  /** Whether a request must go to the venue for `order`. */
  send = false;
  /** CANCEL_ALL, or a kill switch tripped by this intent: cancels to send. */
  cancels: CancelCommand[] | null = null;

  clear(): this {
    this.reason = 0;
    this.order = null;
    this.send = false;
    this.cancels = null;
    return this;
  }
}

/** Counts of each Effect bit, by bit position (Effect value 1 << i at index i). */
export const EFFECT_COUNTER_SLOTS = 16;

export class OrderManager {
  readonly risk: PreTradeRisk;
  readonly positions: Positions;
  /** Every order still held (open, or final and not yet evicted), by seq. */
  readonly orders = new Map<number, Order>();
  readonly effectCounters = new Uint32Array(EFFECT_COUNTER_SLOTS);
  /** Reports for a seq we do not hold (evicted, or not ours): reconciliation's business. */
  unknownOrderReports = 0;
  readonly result = new TransitionResult();
  private readonly registry: InstrumentRegistry;
  private readonly cfg: StateMachineConfig;
  private readonly openByStrategy = new Map<number, Map<number, Order>>();
  private readonly finalQueue: Order[] = [];
  private finalHead = 0;
  private pendingCancels: CancelCommand[] | null = null;
  private readonly scratch = new OrderEvent();

  constructor(opts: OrderManagerOptions) {
    this.registry = opts.registry;
    this.risk = opts.risk;
    this.cfg = opts.stateMachine;
    this.positions = new Positions(opts.feeRates ?? null);
  }

  /** The open order `strategyOrderId` of `strategyId`. */
  openOrder(strategyId: number, strategyOrderId: number): Order | undefined {
    return this.openByStrategy.get(strategyId)?.get(strategyOrderId);
  }

  /**
   * Handles one intent. `seq` is the WAL sequence the oms assigns to this intent's record
   * (used as the new order's id); `nowNs` the monotonic time.
   */
  submit(it: RiskIntent, seq: number, nowNs: number, out: SubmitResult): number {
    out.clear();
    switch (it.action) {
      case IntentAction.NEW:
        return this.submitNew(it, seq, nowNs, out);
      case IntentAction.CANCEL:
        return this.submitCancel(it, nowNs, out);
      case IntentAction.AMEND:
        return this.submitAmend(it, nowNs, out);
      case IntentAction.CANCEL_ALL: {
        const r = this.risk.check(it);
        out.reason = r;
        if (r === RejectReason.NONE) out.cancels = this.sendCancels(this.cancelsOf(it.strategyId, it.instrument), nowNs);
        return r;
      }
      default:
        return (out.reason = this.risk.check(it));
    }
  }

  private refuse(out: SubmitResult, reason: number): number {
    this.risk.counters[reason]!++;
    out.reason = reason;
    return reason;
  }

  private submitNew(it: RiskIntent, seq: number, nowNs: number, out: SubmitResult): number {
    if (this.orders.has(seq)) throw new RangeError(`order seq ${seq} used twice: WAL sequences must be unique`);
    const mine = this.openByStrategy.get(it.strategyId);
    if (mine !== undefined && mine.has(it.strategyOrderId)) return this.refuse(out, RejectReason.INVALID_INTENT);
    const r = this.risk.check(it);
    out.reason = r;
    if (r !== RejectReason.NONE) {
      out.cancels = this.takeTripCancels(nowNs);
      return r;
    }
    out.order = this.create(it, seq, nowNs);
    out.send = true;
    return r;
  }

  /**
   * WAL replay: re-creates an order that was accepted before the restart, without the
   * risk checks (they passed then; rate tokens and limits must not refuse history).
   */
  restoreNew(it: RiskIntent, seq: number, nowNs: number): Order {
    if (this.orders.has(seq)) throw new RangeError(`order seq ${seq} used twice: WAL sequences must be unique`);
    return this.create(it, seq, nowNs);
  }

  private create(it: RiskIntent, seq: number, nowNs: number): Order {
    const market = it.orderType === OrderType.MARKET;
    const o = new Order({
      seq,
      strategyId: it.strategyId,
      strategyOrderId: it.strategyOrderId,
      instrument: it.instrument,
      side: it.side,
      orderType: it.orderType,
      tif: it.tif,
      flags: it.flags,
      price: market ? Sentinel.PRICE_UNDEF : BigInt(it.price),
      qty: BigInt(it.qty),
      timeNs: nowNs,
    });
    const resting = !market && it.tif === TimeInForce.GTC;
    o.slot = this.risk.index.open(it.strategyId, it.instrument, it.side, resting, it.price, it.qty, seq, it.strategyOrderId);
    this.orders.set(seq, o);
    this.openMap(it.strategyId).set(it.strategyOrderId, o);
    return o;
  }

  private submitCancel(it: RiskIntent, nowNs: number, out: SubmitResult): number {
    const o = this.openOrder(it.strategyId, it.strategyOrderId);
    if (o === undefined) return this.refuse(out, RejectReason.UNKNOWN_ORDER);
    const r = this.risk.check(it);
    out.reason = r;
    if (r !== RejectReason.NONE) return r;
    out.order = o;
    const eff = this.apply(o, this.scratch.reset(OrderEventKind.CANCEL_SENT, nowNs));
    out.send = (eff & (Effect.DUPLICATE | Effect.ILLEGAL)) === 0;
    return r;
  }

  private submitAmend(it: RiskIntent, nowNs: number, out: SubmitResult): number {
    const o = this.openOrder(it.strategyId, it.strategyOrderId);
    if (o === undefined) return this.refuse(out, RejectReason.UNKNOWN_ORDER);
    // Amend only what the venue has and nothing else is in flight for.
    if (o.state !== OrderState.NEW && o.state !== OrderState.PARTIALLY_FILLED) return this.refuse(out, RejectReason.INVALID_INTENT);
    it.targetSlot = o.slot;
    const r = this.risk.check(it);
    out.reason = r;
    if (r !== RejectReason.NONE) {
      out.cancels = this.takeTripCancels(nowNs);
      return r;
    }
    out.order = o;
    const ev = this.scratch.reset(OrderEventKind.REPLACE_SENT, nowNs);
    ev.price = BigInt(it.price);
    ev.qty = BigInt(it.qty);
    this.apply(o, ev);
    out.send = true;
    return r;
  }

  /**
   * Applies a venue report or a local event (TIMEOUT) to order `seq`. Returns the Effect
   * bits (0 when the order is not held); fill details are in `this.result`.
   */
  onEvent(seq: number, ev: OrderEvent): number {
    const o = this.orders.get(seq);
    if (o === undefined) {
      this.unknownOrderReports++;
      return 0;
    }
    return this.apply(o, ev);
  }

  private apply(o: Order, ev: OrderEvent): number {
    const res = this.result;
    const wasFinal = o.isFinal;
    const eff = applyOrderEvent(o, ev, this.cfg, res);
    for (let b = 0, e = eff; e !== 0; b++, e >>>= 1) if ((e & 1) !== 0) this.effectCounters[b]!++;
    if ((eff & Effect.FILL) !== 0) {
      const inst = this.registry.require(o.instrument);
      const quoteFee = this.positions.applyFill(o.strategyId, inst, o.side, res.fillQty, res.fillPx, res.fee, res.feeAsset);
      this.risk.ledger.applyFill(o.strategyId, inst, o.side, res.fillQty, res.fillPx, quoteFee);
    }
    const ix = this.risk.index;
    if (wasFinal && !o.isFinal && o.slot < 0) {
      // An inferred reject came back to life: track it as open again.
      o.slot = ix.open(o.strategyId, o.instrument, o.side, o.orderType === OrderType.LIMIT && o.tif === TimeInForce.GTC, Number(o.price), Number(o.qty), o.seq, o.strategyOrderId);
      this.openMap(o.strategyId).set(o.strategyOrderId, o);
    }
    if (o.slot >= 0) {
      if ((eff & Effect.FINAL) !== 0) {
        ix.close(o.slot);
        o.slot = -1;
        const mine = this.openByStrategy.get(o.strategyId);
        if (mine?.get(o.strategyOrderId) === o) mine.delete(o.strategyOrderId);
        this.finalQueue.push(o);
      } else if ((eff & (Effect.STALE | Effect.DUPLICATE | Effect.ILLEGAL)) === 0) {
        if (ev.kind === OrderEventKind.REPLACED || ev.kind === OrderEventKind.STATUS) ix.setPriceQty(o.slot, o.orderType === OrderType.MARKET ? 0 : Number(o.price), Number(o.qty));
        if ((eff & Effect.OPEN_CHANGED) !== 0) ix.setLeaves(o.slot, Number(o.leavesQty));
        ix.setCancelPending(o.slot, o.state === OrderState.PENDING_CANCEL);
      }
    }
    if ((eff & Effect.FILL) !== 0 && !this.risk.killSwitch.tripped) {
      const c = this.risk.evaluateDailyLoss();
      if (c) this.sendCancels(c, ev.timeNs);
    }
    return eff;
  }

  /** Cancel commands waiting to be sent (a kill switch tripped by a fill); null if none. */
  takeCancels(): CancelCommand[] | null {
    const c = this.pendingCancels;
    this.pendingCancels = null;
    return c;
  }

  private takeTripCancels(nowNs: number): CancelCommand[] | null {
    const c = this.risk.takeTripCancels();
    return c ? this.sendCancels(c, nowNs) : null;
  }

  /** Trips the kill switch; returns the cancels to send (each order marked PendingCancel). */
  tripKillSwitch(reason: Exclude<TripReason, 0>, nowNs: number): CancelCommand[] {
    return this.sendCancels(this.risk.killSwitch.trip(reason, nowNs), nowNs);
  }

  /** Marks each order PendingCancel and queues the list for the worker; returns it. */
  private sendCancels(cancels: CancelCommand[], nowNs: number): CancelCommand[] {
    for (const c of cancels) {
      const o = this.orders.get(c.seq);
      if (o) this.apply(o, this.scratch.reset(OrderEventKind.CANCEL_SENT, nowNs));
    }
    this.pendingCancels = this.pendingCancels ? this.pendingCancels.concat(cancels) : cancels;
    return cancels;
  }

  private cancelsOf(strategyId: number, instrument: number): CancelCommand[] {
    const out: CancelCommand[] = [];
    const mine = this.openByStrategy.get(strategyId);
    if (!mine) return out;
    for (const o of mine.values()) {
      if (instrument !== 0 && o.instrument !== instrument) continue;
      if (o.state === OrderState.PENDING_CANCEL) continue;
      out.push({ strategyId, instrument: o.instrument, seq: o.seq, strategyOrderId: o.strategyOrderId, slot: o.slot });
    }
    return out;
  }

  private openMap(strategyId: number): Map<number, Order> {
    let m = this.openByStrategy.get(strategyId);
    if (!m) {
      m = new Map();
      this.openByStrategy.set(strategyId, m);
    }
    return m;
  }

  /**
   * Forgets final orders that have been final since before `beforeNs` (late fills for them
   * then count as unknownOrderReports). Returns how many were evicted.
   */
  evictFinal(beforeNs: number): number {
    let n = 0;
    const q = this.finalQueue;
    while (this.finalHead < q.length) {
      const o = q[this.finalHead]!;
      if (o.isFinal && o.updatedTimeNs >= beforeNs) break;
      this.finalHead++;
      if (o.isFinal && this.orders.get(o.seq) === o) {
        this.orders.delete(o.seq);
        n++;
      }
    }
    if (this.finalHead > 1024 && this.finalHead * 2 > q.length) {
      q.splice(0, this.finalHead);
      this.finalHead = 0;
    }
    return n;
  }

  /** Open orders (for the kill switch and reconciliation). */
  openOrders(): Order[] {
    const out: Order[] = [];
    for (const m of this.openByStrategy.values()) for (const o of m.values()) out.push(o);
    return out;
  }
}

export { isFinalState };
