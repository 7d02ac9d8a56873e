/**
 * Time as the risk and order code sees it: CLOCK_MONOTONIC nanoseconds as a number.
 * Injected so tests and backtests drive time by hand. A number is exact up to 2^53 ns
 * (104 days of uptime); past that it loses single nanoseconds, which no rate limit or
 * timeout here can notice.
 */
export interface Clock {
  nowNs(): number;
}

/** A clock that moves only when told to (tests, backtests, benchmarks). */
export class ManualClock implements Clock {
  /** Initialised field, not a parameter property: see token-bucket.ts on tagged fields. */
  private now = 0;
  constructor(now = 0) {
    this.now = now;
  }
  nowNs(): number {
    return this.now;
  }
  set(ns: number): void {
    this.now = ns;
  }
  advance(ns: number): void {
    this.now += ns;
  }
}
