/**
 * A strategy's named timers, driven by its clock: whoever runs the strategy asks for
 * `nextDueNs()` to bound its wait and calls `takeDue(now)` to fire what is due. No
 * setTimeout, so a backtest's simulated clock drives timers exactly like live time.
 * A strategy has a handful of timers: a flat array beats any heap at that size.
 */
import { StrategyError, StrategyErrorCode } from './errors.js';
import type { TimerEvent } from './events.js';

const MAX_TIMERS = 256;
/** Longest period: 30 days. */
const MAX_PERIOD_MS = 30 * 24 * 3600 * 1000;
const TIMER_NAME = /^[\x21-\x7e]{1,64}$/;

interface Timer {
  name: string;
  dueNs: bigint;
  periodNs: bigint;
  repeat: boolean;
}

export class TimerTable {
  private readonly timers: Timer[] = [];

  set(name: string, ms: number, repeat: boolean, nowNs: bigint): void {
    if (typeof name !== 'string' || !TIMER_NAME.test(name)) {
      throw new StrategyError(StrategyErrorCode.TIMER, `timer name must be 1-64 printable ASCII characters, got ${JSON.stringify(name)}`);
    }
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0 || ms > MAX_PERIOD_MS) {
      throw new StrategyError(StrategyErrorCode.TIMER, `timer ${name}: period must be a number of ms in (0, ${MAX_PERIOD_MS}], got ${String(ms)}`);
    }
    const periodNs = BigInt(Math.max(1, Math.round(ms * 1e6)));
    const existing = this.timers.find((t) => t.name === name);
    if (existing) {
      existing.dueNs = nowNs + periodNs;
      existing.periodNs = periodNs;
      existing.repeat = repeat;
      return;
    }
    if (this.timers.length >= MAX_TIMERS) {
      throw new StrategyError(StrategyErrorCode.TIMER, `timer ${name}: a strategy may hold at most ${MAX_TIMERS} timers`);
    }
    this.timers.push({ name, dueNs: nowNs + periodNs, periodNs, repeat });
  }

  clear(name: string): boolean {
    const i = this.timers.findIndex((t) => t.name === name);
    if (i < 0) return false;
    this.timers.splice(i, 1);
    return true;
  }

  get size(): number {
    return this.timers.length;
  }

  /** Earliest due time, or null when no timer is armed. */
  nextDueNs(): bigint | null {
    let next: bigint | null = null;
    for (const t of this.timers) if (next === null || t.dueNs < next) next = t.dueNs;
    return next;
  }

  /**
   * Removes or re-arms every timer due at `nowNs` and returns their events, earliest
   * first. A repeating timer late by several periods fires once and reports the
   * skipped periods in `missed` (a strategy wants the latest state, not a burst).
   */
  takeDue(nowNs: bigint): TimerEvent[] {
    const due: TimerEvent[] = [];
    for (let i = 0; i < this.timers.length; ) {
      const t = this.timers[i]!;
      if (t.dueNs > nowNs) {
        i++;
        continue;
      }
      let missed = 0;
      if (t.repeat) {
        const late = (nowNs - t.dueNs) / t.periodNs;
        missed = Number(late);
        due.push({ kind: 'timer', name: t.name, dueNs: t.dueNs, nowNs, repeat: true, missed });
        t.dueNs += (late + 1n) * t.periodNs;
        i++;
      } else {
        due.push({ kind: 'timer', name: t.name, dueNs: t.dueNs, nowNs, repeat: false, missed });
        this.timers.splice(i, 1);
      }
    }
    due.sort((a, b) => (a.dueNs < b.dueNs ? -1 : a.dueNs > b.dueNs ? 1 : 0));
    return due;
  }
}
