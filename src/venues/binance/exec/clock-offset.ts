/**
 * The venue's clock as seen from here. Binance accepts a SIGNED request only if
 * `timestamp < serverTime + 1000` and `serverTime - timestamp <= recvWindow`, so the
 * `timestamp` must be server time, not local time: a local clock a few seconds off
 * turns every order into -1021.
 *
 * A sample is (local send time, server time, local receive time); the server read its
 * clock somewhere inside the round trip, so offset = serverTime - (send + rtt / 2),
 * good to ± rtt / 2. Of a burst of samples the one with the smallest RTT wins (the
 * least queueing, the tightest bound), as NTP's clock filter does.
 */
import type { LocalClock } from './config.js';

export interface OffsetSample {
  offsetMs: number;
  rttMs: number;
}

export class ClockOffset {
  private offset = 0;
  private rtt = Number.POSITIVE_INFINITY;
  private syncedAt = 0;
  syncs = 0;

  constructor(private readonly local: LocalClock) {}

  /** Estimated server time now (ms). */
  nowMs(): number {
    return this.local.nowMs() + this.offset;
  }

  /** The `timestamp` parameter of a signed request. */
  timestamp(): number {
    return Math.floor(this.nowMs());
  }

  localNowMs(): number {
    return this.local.nowMs();
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** RTT of the sample the offset came from (Infinity before the first sync). */
  get rttMs(): number {
    return this.rtt;
  }

  get synced(): boolean {
    return this.syncs > 0;
  }

  get syncedAtLocalMs(): number {
    return this.syncedAt;
  }

  /** One sample from a request sent at local `sendLocalMs` that took `rttMs`. */
  static sample(sendLocalMs: number, rttMs: number, serverMs: number): OffsetSample {
    return { offsetMs: serverMs - (sendLocalMs + rttMs / 2), rttMs };
  }

  /** Adopts the best (smallest RTT) of a burst of samples. */
  apply(samples: readonly OffsetSample[]): OffsetSample | undefined {
    let best: OffsetSample | undefined;
    for (const s of samples) if (best === undefined || s.rttMs < best.rttMs) best = s;
    if (best === undefined) return undefined;
    this.offset = best.offsetMs;
    this.rtt = best.rttMs;
    this.syncs++;
    this.syncedAt = this.local.nowMs();
    return best;
  }
}
