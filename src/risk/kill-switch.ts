/**
 * Kill switch: cancel every open order, then stay cancel-only (new orders and amends are
 * refused with KILL_SWITCH, cancels pass) until an operator resumes.
 *
 * Tripped by an operator command, by the daily loss limit, and — when configured — by a
 * market-data feed failure or a failed reconciliation. Reconciliation can also halt single
 * strategies (design §6: a mismatch freezes the affected strategies); a halted strategy is
 * cancel-only on its own.
 *
 * `trip` returns the cancel commands; sending them (and measuring trip → last cancel
 * acknowledged from `trippedAtNs`) is the oms worker's job.
 */
import type { Clock } from './clock.js';
import type { OpenOrderIndex } from './open-orders.js';

export const TripReason = {
  NONE: 0,
  COMMAND: 1,
  DAILY_LOSS: 2,
  FEED: 3,
  RECONCILIATION: 4,
} as const;
export type TripReason = (typeof TripReason)[keyof typeof TripReason];

export interface KillSwitchConfig {
  /** Trip when the daily loss limit is reached (default true). */
  tripOnDailyLoss?: boolean;
  /** Trip when a market-data feed fails (default false). */
  tripOnFeedFailure?: boolean;
  /** Trip when reconciliation fails (default false: only the affected strategies halt). */
  tripOnReconciliationFailure?: boolean;
}

/** Cancel one open order (identified both ways: by WAL sequence and by the strategy's number). */
export interface CancelCommand {
  strategyId: number;
  instrument: number;
  /** WAL sequence: the numeric part of the venue client order id. */
  seq: number;
  strategyOrderId: number;
  slot: number;
}

export class KillSwitch {
  private trippedReason: TripReason = TripReason.NONE;
  private trippedAt = 0;
  private readonly halted: Uint8Array;
  readonly config: Required<KillSwitchConfig>;
  /** Times tripped (each arming → tripped change). */
  trips = 0;
  lastResumedBy = '';

  constructor(
    private readonly index: OpenOrderIndex,
    private readonly clock: Clock,
    config: KillSwitchConfig = {},
  ) {
    this.halted = new Uint8Array(index.strategies);
    this.config = {
      tripOnDailyLoss: config.tripOnDailyLoss ?? true,
      tripOnFeedFailure: config.tripOnFeedFailure ?? false,
      tripOnReconciliationFailure: config.tripOnReconciliationFailure ?? false,
    };
  }

  get tripped(): boolean {
    return this.trippedReason !== TripReason.NONE;
  }

  get reason(): TripReason {
    return this.trippedReason;
  }

  /** Monotonic ns of the trip (0 while armed): where the trip → last-cancel latency starts. */
  get trippedAtNs(): number {
    return this.trippedAt;
  }

  /** Whether `strategyId` may place or amend orders now. */
  allowsNew(strategyId: number): boolean {
    return this.trippedReason === TripReason.NONE && this.halted[strategyId] !== 1;
  }

  /**
   * Trips (or, when already tripped, re-issues cancels for orders still open without a
   * cancel in flight) and returns one cancel per such order, sorted by strategy then seq.
   * The first trip's reason and time are kept.
   */
  trip(reason: Exclude<TripReason, 0>, nowNs: number = this.clock.nowNs()): CancelCommand[] {
    if (this.trippedReason === TripReason.NONE) {
      this.trippedReason = reason;
      this.trippedAt = nowNs;
      this.trips++;
    }
    return this.cancelsFor(-1);
  }

  /** Operator command. */
  command(nowNs?: number): CancelCommand[] {
    return this.trip(TripReason.COMMAND, nowNs);
  }

  /** The daily loss limit was reached: trips when configured, else returns no cancels. */
  onDailyLossBreach(nowNs?: number): CancelCommand[] {
    return this.config.tripOnDailyLoss ? this.trip(TripReason.DAILY_LOSS, nowNs) : [];
  }

  onFeedFailure(nowNs?: number): CancelCommand[] {
    return this.config.tripOnFeedFailure ? this.trip(TripReason.FEED, nowNs) : [];
  }

  /**
   * Reconciliation found a mismatch for `strategies`: they are halted (cancel-only) and
   * their orders cancelled; the whole engine trips too when so configured.
   */
  onReconciliationFailure(strategies: readonly number[], nowNs?: number): CancelCommand[] {
    if (this.config.tripOnReconciliationFailure) return this.trip(TripReason.RECONCILIATION, nowNs);
    const out: CancelCommand[] = [];
    for (const s of strategies) {
      if (s <= 0 || s >= this.halted.length) continue;
      this.halted[s] = 1;
      out.push(...this.cancelsFor(s));
    }
    return out;
  }

  isHalted(strategyId: number): boolean {
    return this.halted[strategyId] === 1;
  }

  /**
   * Operator only: back to normal trading, and every halted strategy released. `operator`
   * names who resumed (required, kept for the audit log). Resuming while the daily loss
   * is still beyond its limit trips again at the next check unless the limit was raised.
   */
  resume(operator: string): void {
    if (typeof operator !== 'string' || operator.trim() === '') {
      throw Object.assign(new Error('kill switch resume needs the operator who resumes'), { code: 'KILL_SWITCH_OPERATOR' });
    }
    this.trippedReason = TripReason.NONE;
    this.trippedAt = 0;
    this.halted.fill(0);
    this.lastResumedBy = operator;
  }

  /** Cancels for open orders without a cancel in flight, of one strategy (≥ 0) or all (-1). */
  cancelsFor(strategy: number): CancelCommand[] {
    const ix = this.index;
    const out: CancelCommand[] = [];
    ix.forEachOpen((slot) => {
      if (ix.slotCancelPending[slot] === 1) return;
      if (strategy >= 0 && ix.slotStrategy[slot] !== strategy) return;
      out.push({
        strategyId: ix.slotStrategy[slot]!,
        instrument: ix.slotInstrument[slot]!,
        seq: ix.slotSeq[slot]!,
        strategyOrderId: ix.slotStrategyOrderId[slot]!,
        slot,
      });
    });
    out.sort((a, b) => a.strategyId - b.strategyId || a.seq - b.seq);
    return out;
  }
}
