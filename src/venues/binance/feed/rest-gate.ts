/**
 * What the venue has said about our REST usage, shared by every REST caller on one IP
 * (Binance limits by IP): a 429 (too much weight) or 418 (IP banned) with Retry-After
 * blocks every request until that time; X-MBX-USED-WEIGHT-1M says how much of the
 * minute's weight is used, and a request that would go over the limit waits for the next
 * minute instead of earning a 429. When the header is missing, the weight of our own
 * requests in the current minute is the estimate.
 */
export interface RestGateCounters {
  requests: number;
  http429: number;
  http418: number;
  http5xx: number;
  timeouts: number;
  networkErrors: number;
  /** Requests that waited for a 429/418 back-off or for the weight limit. */
  waits: number;
  /** ms spent waiting. */
  waitedMs: number;
}

/** Back-off when a 429/418 has no usable Retry-After. */
const DEFAULT_RETRY_AFTER_MS = { 429: 1000, 418: 60_000 } as const;
const MINUTE_MS = 60_000;

export function parseRetryAfterMs(value: string | null, nowWallMs: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) return Number.parseInt(v, 10) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowWallMs);
}

export class RestGate {
  readonly counters: RestGateCounters = { requests: 0, http429: 0, http418: 0, http5xx: 0, timeouts: 0, networkErrors: 0, waits: 0, waitedMs: 0 };
  /** Wall-clock ms until which nothing may be sent (429/418). */
  blockedUntilMs = 0;
  /** Status that set the block (429 or 418), 0 when none. */
  blockedBy = 0;
  private minute = -1;
  private headerWeight = -1;
  private ownWeight = 0;

  constructor(
    /** REQUEST_WEIGHT per minute (spot 6000, USD-M 2400). */
    readonly weightLimitPerMin: number,
    private readonly wallMs: () => number = Date.now,
  ) {}

  /** Weight used in the current minute: the venue's header when seen, else our own sum. */
  usedWeight(): number {
    this.roll(this.wallMs());
    return Math.max(this.headerWeight, this.ownWeight);
  }

  /** How long a request of `weight` must wait before it may be sent (0 = now). */
  waitMs(weight: number): number {
    const now = this.wallMs();
    this.roll(now);
    if (now < this.blockedUntilMs) return this.blockedUntilMs - now;
    if (Math.max(this.headerWeight, this.ownWeight) + weight > this.weightLimitPerMin) return MINUTE_MS - (now % MINUTE_MS) + 50;
    return 0;
  }

  sent(weight: number): void {
    this.roll(this.wallMs());
    this.counters.requests++;
    this.ownWeight += weight;
  }

  /** Records what a response says about our limits. */
  observe(status: number, headers: Headers): void {
    const now = this.wallMs();
    this.roll(now);
    const used = headers.get('x-mbx-used-weight-1m');
    if (used !== null && /^\d{1,9}$/.test(used.trim())) this.headerWeight = Number.parseInt(used.trim(), 10);
    if (status === 429 || status === 418) {
      if (status === 429) this.counters.http429++;
      else this.counters.http418++;
      const after = parseRetryAfterMs(headers.get('retry-after'), now) ?? DEFAULT_RETRY_AFTER_MS[status];
      if (now + after > this.blockedUntilMs) {
        this.blockedUntilMs = now + after;
        this.blockedBy = status;
      }
    } else if (status >= 500) {
      this.counters.http5xx++;
    }
  }

  private roll(now: number): void {
    const m = Math.floor(now / MINUTE_MS);
    if (m === this.minute) return;
    this.minute = m;
    this.headerWeight = -1;
    this.ownWeight = 0;
  }
}
