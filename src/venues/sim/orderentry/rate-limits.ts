/**
 * Binance's three rate limiters, counted for real:
 *   REQUEST_WEIGHT  per IP, per 1 MINUTE    → X-MBX-USED-WEIGHT-1M, over the limit 429 -1003
 *   ORDERS          per account, per 10 SECOND and per 1 DAY
 *                                          → X-MBX-ORDER-COUNT-10S / -1D, over 429 -1015
 * Windows are fixed and aligned to the interval (minute boundaries), as Binance's are.
 * An IP that keeps sending after its 429s is banned (418 with Retry-After) for
 * `banMs`; the request that gets 429 or 418 still counts, like on the venue.
 */
import { ApiErrors } from './errors.js';

export interface RateLimitConfig {
  /** REQUEST_WEIGHT per minute per IP. Binance: 6000. */
  weightPerMinute: number;
  /** ORDERS per 10 s per account. Binance: 100. */
  ordersPer10s: number;
  /** ORDERS per day per account. Binance: 200000. */
  ordersPerDay: number;
  /** Requests refused with 429 in one window before the IP is banned. */
  banAfter429s: number;
  /** Length of an automatic IP ban. Binance starts at 2 minutes. */
  banMs: number;
}

export const BINANCE_RATE_LIMITS: RateLimitConfig = {
  weightPerMinute: 6000,
  ordersPer10s: 100,
  ordersPerDay: 200_000,
  banAfter429s: 50,
  banMs: 120_000,
};

const MINUTE_MS = 60_000;
const TEN_S_MS = 10_000;
const DAY_MS = 86_400_000;
/** Forget IPs and accounts idle for this long (bounds the maps). */
const IDLE_EVICT_MS = 2 * DAY_MS;
const MAX_TRACKED = 10_000;

class WindowCounter {
  windowStart = 0;
  count = 0;

  constructor(private readonly intervalMs: number) {}

  /** Current count after adding `n` at `now`. */
  add(now: number, n: number): number {
    const start = now - (now % this.intervalMs);
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.count = 0;
    }
    this.count += n;
    return this.count;
  }

  peek(now: number): number {
    return now - (now % this.intervalMs) === this.windowStart ? this.count : 0;
  }

  msToReset(now: number): number {
    return this.intervalMs - (now % this.intervalMs);
  }
}

interface IpState {
  weight: WindowCounter;
  refusedInWindow: number;
  refusedWindowStart: number;
  bannedUntil: number;
  lastSeen: number;
}

interface AccountOrders {
  tenSec: WindowCounter;
  day: WindowCounter;
  lastSeen: number;
}

/** Binance's rateLimits array entry (WebSocket API responses, exchangeInfo). */
export interface RateLimitEntry {
  rateLimitType: 'REQUEST_WEIGHT' | 'ORDERS';
  interval: 'SECOND' | 'MINUTE' | 'DAY';
  intervalNum: number;
  limit: number;
  count: number;
}

export class RateLimiter {
  private readonly ips = new Map<string, IpState>();
  private readonly accounts = new Map<string, AccountOrders>();

  constructor(
    readonly config: RateLimitConfig,
    private readonly nowMs: () => number,
  ) {}

  /**
   * Adds `weight` for `ip`; returns the used weight, or throws 418 (banned) / 429 (over
   * the limit).
   */
  chargeWeight(ip: string, weight: number): number {
    const now = this.nowMs();
    const s = this.ipState(ip, now);
    const used = s.weight.add(now, weight);
    if (s.bannedUntil > now) {
      throw ApiErrors.banned(s.bannedUntil, Math.ceil((s.bannedUntil - now) / 1000));
    }
    if (used > this.config.weightPerMinute) {
      const windowStart = now - (now % MINUTE_MS);
      if (s.refusedWindowStart !== windowStart) {
        s.refusedWindowStart = windowStart;
        s.refusedInWindow = 0;
      }
      s.refusedInWindow++;
      if (s.refusedInWindow > this.config.banAfter429s) {
        s.bannedUntil = now + this.config.banMs;
        throw ApiErrors.banned(s.bannedUntil, Math.ceil(this.config.banMs / 1000));
      }
      throw ApiErrors.tooMuchWeight(this.config.weightPerMinute, Math.ceil(s.weight.msToReset(now) / 1000));
    }
    return used;
  }

  usedWeight(ip: string): number {
    return this.ips.get(ip)?.weight.peek(this.nowMs()) ?? 0;
  }

  /** Counts one new order for `account`; throws 429 -1015 when a limit is exceeded. */
  chargeOrder(account: string): { tenSec: number; day: number } {
    const now = this.nowMs();
    const a = this.accountState(account, now);
    const tenSec = a.tenSec.add(now, 1);
    const day = a.day.add(now, 1);
    if (tenSec > this.config.ordersPer10s) throw ApiErrors.tooManyOrders(this.config.ordersPer10s, '10 SECOND');
    if (day > this.config.ordersPerDay) throw ApiErrors.tooManyOrders(this.config.ordersPerDay, '1 DAY');
    return { tenSec, day };
  }

  orderCounts(account: string): { tenSec: number; day: number } {
    const now = this.nowMs();
    const a = this.accounts.get(account);
    return { tenSec: a?.tenSec.peek(now) ?? 0, day: a?.day.peek(now) ?? 0 };
  }

  /** REST headers: X-MBX-USED-WEIGHT-1M always, order counts when `account` placed an order. */
  headers(ip: string, orderAccount?: string): Record<string, string> {
    const h: Record<string, string> = { 'X-MBX-USED-WEIGHT-1M': String(this.usedWeight(ip)) };
    if (orderAccount !== undefined) {
      const c = this.orderCounts(orderAccount);
      h['X-MBX-ORDER-COUNT-10S'] = String(c.tenSec);
      h['X-MBX-ORDER-COUNT-1D'] = String(c.day);
    }
    return h;
  }

  /** The WebSocket API rateLimits array. */
  entries(ip: string, orderAccount?: string): RateLimitEntry[] {
    const out: RateLimitEntry[] = [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: this.config.weightPerMinute, count: this.usedWeight(ip) },
    ];
    if (orderAccount !== undefined) {
      const c = this.orderCounts(orderAccount);
      out.push({ rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: this.config.ordersPer10s, count: c.tenSec });
      out.push({ rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: this.config.ordersPerDay, count: c.day });
    }
    return out;
  }

  private ipState(ip: string, now: number): IpState {
    let s = this.ips.get(ip);
    if (!s) {
      if (this.ips.size >= MAX_TRACKED) evictIdle(this.ips, now);
      s = { weight: new WindowCounter(MINUTE_MS), refusedInWindow: 0, refusedWindowStart: 0, bannedUntil: 0, lastSeen: now };
      this.ips.set(ip, s);
    }
    s.lastSeen = now;
    return s;
  }

  private accountState(account: string, now: number): AccountOrders {
    let a = this.accounts.get(account);
    if (!a) {
      if (this.accounts.size >= MAX_TRACKED) evictIdle(this.accounts, now);
      a = { tenSec: new WindowCounter(TEN_S_MS), day: new WindowCounter(DAY_MS), lastSeen: now };
      this.accounts.set(account, a);
    }
    a.lastSeen = now;
    return a;
  }
}

function evictIdle<T extends { lastSeen: number }>(m: Map<string, T>, now: number): void {
  for (const [k, v] of m) if (now - v.lastSeen > IDLE_EVICT_MS) m.delete(k);
  // Still full: drop the oldest entry (insertion order) so the map stays bounded.
  if (m.size >= MAX_TRACKED) {
    const first = m.keys().next();
    if (!first.done) m.delete(first.value);
  }
}
