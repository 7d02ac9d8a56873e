/**
 * The gate every venue request passes: it goes at once when the budget allows (no
 * promise, no timer), otherwise it waits in a priority queue — cancels, then queries,
 * then new orders, first come first served within a class — until the window turns or
 * the back-off ends. A wait longer than `maxQueueWaitMs` (a 2-minute ban, say) is
 * refused at once rather than parked, and a new order over the order-count budget is
 * refused at once when the policy is 'reject'. Refusals are local: nothing was sent, so
 * the order is definitely not placed.
 */
import type { ClockOffset } from './clock-offset.js';
import type { ResolvedRateLimits } from './config.js';
import { Blocked, PRIORITY, type RequestBudget, type RequestClass } from './request-budget.js';
import type { LocalRejectReason } from './types.js';

export interface LocalRejection {
  reason: LocalRejectReason;
  msg: string;
}

interface Waiter {
  cls: RequestClass;
  priority: number;
  weight: number;
  isOrder: boolean;
  seq: number;
  enqueuedMs: number;
  deadlineMs: number;
  resolve(r: LocalRejection | null): void;
}

export interface RateLimiterCounters {
  admitted: number;
  /** Requests that had to wait and then went. */
  waited: number;
  waitedMsTotal: number;
  rejectedBudget: number;
  rejectedBackoff: number;
  rejectedBanned: number;
  maxQueueLength: number;
}

function rejection(b: Blocked, untilMs: number): LocalRejection {
  switch (b) {
    case Blocked.BANNED:
      return { reason: 'BANNED', msg: `IP banned by the venue until ${untilMs}` };
    case Blocked.BACKOFF:
      return { reason: 'BACKOFF', msg: `backing off after HTTP 429 until ${untilMs}` };
    case Blocked.ORDERS:
      return { reason: 'RATE_BUDGET', msg: `order-count budget exhausted until ${untilMs}` };
    default:
      return { reason: 'RATE_BUDGET', msg: `request-weight budget exhausted until ${untilMs}` };
  }
}

export class RateLimiter {
  readonly counters: RateLimiterCounters = { admitted: 0, waited: 0, waitedMsTotal: 0, rejectedBudget: 0, rejectedBackoff: 0, rejectedBanned: 0, maxQueueLength: 0 };
  /** Sorted by (priority, seq). */
  private readonly queue: Waiter[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAtMs = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    readonly budget: RequestBudget,
    private readonly clock: ClockOffset,
    private readonly cfg: ResolvedRateLimits,
  ) {}

  /**
   * null: go now (the budget is charged). A rejection: do not send. A promise: wait
   * for one of those two.
   */
  admit(cls: RequestClass, weight: number, isOrder: boolean): LocalRejection | null | Promise<LocalRejection | null> {
    if (this.stopped) return { reason: 'STOPPED', msg: 'the adapter is stopped' };
    const now = this.clock.nowMs();
    const priority = PRIORITY[cls];
    const b = this.budget.blocker(cls, weight, isOrder, now);
    const until = this.budget.blockedUntilMs;
    if (b === Blocked.NONE && !this.hasWaiterAtOrAbove(priority)) {
      this.budget.charge(weight, isOrder, now);
      this.counters.admitted++;
      return null;
    }
    if (b === Blocked.ORDERS && cls === 'place' && this.cfg.orderBudgetPolicy === 'reject') return this.refuse(b, until);
    if (b !== Blocked.NONE && until - now > this.cfg.maxQueueWaitMs) return this.refuse(b, until);
    if (this.queue.length >= this.cfg.maxQueued) return this.refuse(Blocked.WEIGHT, until);
    return new Promise<LocalRejection | null>((resolve) => {
      const w: Waiter = { cls, priority, weight, isOrder, seq: ++this.seq, enqueuedMs: now, deadlineMs: now + this.cfg.maxQueueWaitMs, resolve };
      let i = this.queue.length;
      while (i > 0 && (this.queue[i - 1] as Waiter).priority > priority) i--;
      this.queue.splice(i, 0, w);
      if (this.queue.length > this.counters.maxQueueLength) this.counters.maxQueueLength = this.queue.length;
      this.schedule(now);
    });
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Re-examines the queue now (after a pause or ban changed, or a window turned). */
  drain(): void {
    const now = this.clock.nowMs();
    let i = 0;
    let guard = this.queue.length + 1;
    while (i < this.queue.length && guard-- > 0) {
      const w = this.queue[i] as Waiter;
      const b = this.budget.blocker(w.cls, w.weight, w.isOrder, now);
      if (b === Blocked.NONE) {
        this.budget.charge(w.weight, w.isOrder, now);
        this.queue.splice(i, 1);
        this.counters.admitted++;
        this.counters.waited++;
        this.counters.waitedMsTotal += now - w.enqueuedMs;
        w.resolve(null);
        continue;
      }
      if (w.deadlineMs <= now) {
        this.queue.splice(i, 1);
        w.resolve(this.refuse(b, this.budget.blockedUntilMs));
        continue;
      }
      // Everything behind a blocked request is of the same or a lower class: it waits too.
      break;
    }
    // Requests stuck behind a blocked one still expire on time.
    for (let k = this.queue.length - 1; k >= i + 1; k--) {
      const w = this.queue[k] as Waiter;
      if (w.deadlineMs <= now) {
        this.queue.splice(k, 1);
        const b = this.budget.blocker(w.cls, w.weight, w.isOrder, now);
        w.resolve(this.refuse(b === Blocked.NONE ? Blocked.WEIGHT : b, this.budget.blockedUntilMs));
      }
    }
    this.schedule(now);
  }

  /** Refuses every waiting request (shutdown). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const w of this.queue.splice(0)) w.resolve({ reason: 'STOPPED', msg: 'the adapter stopped while the request waited for budget' });
  }

  private hasWaiterAtOrAbove(priority: number): boolean {
    return this.queue.length > 0 && (this.queue[0] as Waiter).priority <= priority;
  }

  private refuse(b: Blocked, untilMs: number): LocalRejection {
    if (b === Blocked.BANNED) this.counters.rejectedBanned++;
    else if (b === Blocked.BACKOFF) this.counters.rejectedBackoff++;
    else this.counters.rejectedBudget++;
    return rejection(b, untilMs);
  }

  private schedule(now: number): void {
    if (this.queue.length === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.timerAtMs = Number.POSITIVE_INFINITY;
      return;
    }
    const head = this.queue[0] as Waiter;
    let wake = head.deadlineMs;
    const b = this.budget.blocker(head.cls, head.weight, head.isOrder, now);
    if (b === Blocked.NONE) wake = now;
    else if (this.budget.blockedUntilMs < wake) wake = this.budget.blockedUntilMs;
    for (const w of this.queue) if (w.deadlineMs < wake) wake = w.deadlineMs;
    if (this.timer && wake >= this.timerAtMs) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAtMs = wake;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAtMs = Number.POSITIVE_INFINITY;
      this.drain();
    }, Math.max(0, Math.ceil(wake - now)));
  }
}
