/**
 * "At most `max` events in any `windowMs`", as a ring of the last `max` event times
 * (allocation-free). Two uses in the feed:
 *   - the connection-attempt budget (Binance: 300 per 5 minutes per IP), shared by every
 *     connection of a feed — pass one instance to several feeds on the same IP;
 *   - SUBSCRIBE pacing per connection (the venue counts incoming messages per second).
 */
export class SlidingWindowLimit {
  private readonly times: Float64Array;
  private head = 0;
  private count = 0;

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`sliding window max must be a positive integer, got ${max}`);
    this.times = new Float64Array(max);
  }

  /** 0 when an event may happen at `nowMs`, else how long to wait for one. */
  waitMs(nowMs: number): number {
    this.expire(nowMs);
    if (this.count < this.max) return 0;
    return Math.max(1, Math.ceil((this.times[this.head] as number) + this.windowMs - nowMs));
  }

  /** Records an event at `nowMs`; false (nothing recorded) when the window is full. */
  take(nowMs: number): boolean {
    if (this.waitMs(nowMs) > 0) return false;
    this.times[(this.head + this.count) % this.max] = nowMs;
    this.count++;
    return true;
  }

  /** Events inside the current window. */
  used(nowMs: number): number {
    this.expire(nowMs);
    return this.count;
  }

  private expire(nowMs: number): void {
    while (this.count > 0 && (this.times[this.head] as number) + this.windowMs <= nowMs) {
      this.head = (this.head + 1) % this.max;
      this.count--;
    }
  }
}
