/**
 * What this client may still send, in Binance's terms (rest-api.md "LIMITS"):
 *   REQUEST_WEIGHT  per IP, fixed 1-minute windows   X-MBX-USED-WEIGHT-1M / rateLimits
 *   ORDERS          per account, 10 s and 1 day       X-MBX-ORDER-COUNT-10S / -1D
 * Windows are aligned on the venue's clock (minute/10 s/UTC-day boundaries), so they
 * are tracked in estimated server time. Each request is charged here when it is sent;
 * each reply's counts raise the figures to what the venue saw (other clients on the
 * same IP spend the same weight). A 429 pauses everything until Retry-After; a 418 ban
 * stops everything until the ban ends.
 *
 * A window is only spent `windowGuardMs` after its boundary (our estimate of the venue's
 * clock is good to ± RTT/2), and requests sent in the guard still count to the old one.
 *
 * Cancels may spend the whole budget; every other request must leave
 * `cancelReserveWeight` unspent, so there is always room to pull orders.
 */
import type { ResolvedRateLimits } from './config.js';

export type RequestClass = 'cancel' | 'query' | 'place';
/** Lower goes first when requests wait for budget. */
export const PRIORITY: Readonly<Record<RequestClass, number>> = { cancel: 0, query: 1, place: 2 };

export const Blocked = {
  NONE: 0,
  BANNED: 1,
  BACKOFF: 2,
  WEIGHT: 3,
  ORDERS: 4,
} as const;
export type Blocked = (typeof Blocked)[keyof typeof Blocked];

const MINUTE_MS = 60_000;
const TEN_S_MS = 10_000;
const DAY_MS = 86_400_000;

class FixedWindow {
  start = 0;
  used = 0;
  constructor(readonly intervalMs: number) {}

  roll(now: number): void {
    const start = now - (now % this.intervalMs);
    if (start !== this.start) {
      this.start = start;
      this.used = 0;
    }
  }

  /**
   * Raises the count to a venue figure for a request sent at `sentT`, if that was this
   * window (both times already shifted by the guard, as every local charge is).
   */
  observe(count: number, sentT: number, nowT: number): void {
    this.roll(nowT);
    if (sentT - (sentT % this.intervalMs) === this.start && count > this.used) this.used = count;
  }

  endMs(): number {
    return this.start + this.intervalMs;
  }
}

/** Binance's rateLimits entry (WS API replies, exchangeInfo). */
export interface RateLimitEntry {
  rateLimitType: string;
  interval: string;
  intervalNum: number;
  limit: number;
  count?: number;
}

export interface BudgetSnapshot {
  weightUsed: number;
  weightLimit: number;
  orders10s: number;
  orders10sLimit: number;
  ordersDay: number;
  ordersDayLimit: number;
  pausedUntilMs: number;
  bannedUntilMs: number;
}

export class RequestBudget {
  weightLimit: number;
  orders10sLimit: number;
  ordersDayLimit: number;
  pausedUntilMs = 0;
  bannedUntilMs = 0;
  /** Set by blocker(): when the blocking condition ends (server ms). */
  blockedUntilMs = 0;
  private readonly weight = new FixedWindow(MINUTE_MS);
  private readonly orders10s = new FixedWindow(TEN_S_MS);
  private readonly ordersDay = new FixedWindow(DAY_MS);

  constructor(private readonly cfg: ResolvedRateLimits) {
    this.weightLimit = cfg.weightPerMinute;
    this.orders10sLimit = cfg.ordersPer10s;
    this.ordersDayLimit = cfg.ordersPerDay;
  }

  /** Why a request cannot go at server time `now` (and until when), or NONE. */
  blocker(cls: RequestClass, weight: number, isOrder: boolean, now: number): Blocked {
    if (this.bannedUntilMs > now) {
      this.blockedUntilMs = this.bannedUntilMs;
      return Blocked.BANNED;
    }
    if (this.pausedUntilMs > now) {
      this.blockedUntilMs = this.pausedUntilMs;
      return Blocked.BACKOFF;
    }
    const guard = this.cfg.windowGuardMs;
    this.weight.roll(now - guard);
    const reserve = cls === 'cancel' ? 0 : this.cfg.cancelReserveWeight;
    if (this.weight.used + weight > this.weightLimit - reserve) {
      this.blockedUntilMs = this.weight.endMs() + guard;
      return Blocked.WEIGHT;
    }
    if (isOrder) {
      this.orders10s.roll(now - guard);
      if (this.orders10s.used + 1 > this.orders10sLimit) {
        this.blockedUntilMs = this.orders10s.endMs() + guard;
        return Blocked.ORDERS;
      }
      this.ordersDay.roll(now - guard);
      if (this.ordersDay.used + 1 > this.ordersDayLimit) {
        this.blockedUntilMs = this.ordersDay.endMs() + guard;
        return Blocked.ORDERS;
      }
    }
    return Blocked.NONE;
  }

  charge(weight: number, isOrder: boolean, now: number): void {
    const t = now - this.cfg.windowGuardMs;
    this.weight.roll(t);
    this.weight.used += weight;
    if (isOrder) {
      this.orders10s.roll(t);
      this.orders10s.used++;
      this.ordersDay.roll(t);
      this.ordersDay.used++;
    }
  }

  /** X-MBX-USED-WEIGHT-1M (or a REQUEST_WEIGHT count) of a request sent at `sentMs`. */
  observeWeight(used: number, sentMs: number, now: number): void {
    const g = this.cfg.windowGuardMs;
    this.weight.observe(used, sentMs - g, now - g);
  }

  observeOrders(count10s: number | undefined, countDay: number | undefined, sentMs: number, now: number): void {
    const g = this.cfg.windowGuardMs;
    if (count10s !== undefined) this.orders10s.observe(count10s, sentMs - g, now - g);
    if (countDay !== undefined) this.ordersDay.observe(countDay, sentMs - g, now - g);
  }

  /** A WS API `rateLimits` array: counts, and the venue's limits when tighter than ours. */
  observeRateLimits(entries: readonly RateLimitEntry[], sentMs: number, now: number): void {
    const g = this.cfg.windowGuardMs;
    const sentT = sentMs - g;
    const nowT = now - g;
    for (const e of entries) {
      const count = e.count;
      if (e.rateLimitType === 'REQUEST_WEIGHT' && e.interval === 'MINUTE' && e.intervalNum === 1) {
        this.weightLimit = Math.min(this.cfg.weightPerMinute, e.limit);
        if (count !== undefined) this.weight.observe(count, sentT, nowT);
      } else if (e.rateLimitType === 'ORDERS' && e.interval === 'SECOND' && e.intervalNum === 10) {
        this.orders10sLimit = Math.min(this.cfg.ordersPer10s, e.limit);
        if (count !== undefined) this.orders10s.observe(count, sentT, nowT);
      } else if (e.rateLimitType === 'ORDERS' && e.interval === 'DAY' && e.intervalNum === 1) {
        this.ordersDayLimit = Math.min(this.cfg.ordersPerDay, e.limit);
        if (count !== undefined) this.ordersDay.observe(count, sentT, nowT);
      }
    }
  }

  /** exchangeInfo `rateLimits`: the limits alone (no counts). */
  adoptLimits(entries: readonly RateLimitEntry[]): void {
    const limitsOnly = entries.map((e) => ({ rateLimitType: e.rateLimitType, interval: e.interval, intervalNum: e.intervalNum, limit: e.limit }));
    this.observeRateLimits(limitsOnly, 0, 0);
  }

  /** 429: nothing is sent before `untilMs`. */
  pause(untilMs: number): void {
    if (untilMs > this.pausedUntilMs) this.pausedUntilMs = untilMs;
  }

  /** 418: the IP is banned until `untilMs`. */
  ban(untilMs: number): void {
    if (untilMs > this.bannedUntilMs) this.bannedUntilMs = untilMs;
  }

  snapshot(now: number): BudgetSnapshot {
    const t = now - this.cfg.windowGuardMs;
    this.weight.roll(t);
    this.orders10s.roll(t);
    this.ordersDay.roll(t);
    return {
      weightUsed: this.weight.used,
      weightLimit: this.weightLimit,
      orders10s: this.orders10s.used,
      orders10sLimit: this.orders10sLimit,
      ordersDay: this.ordersDay.used,
      ordersDayLimit: this.ordersDayLimit,
      pausedUntilMs: this.pausedUntilMs,
      bannedUntilMs: this.bannedUntilMs,
    };
  }
}
