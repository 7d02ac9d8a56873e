/**
 * The venue's clock relative to ours, for signed requests (timestamp/recvWindow) and for
 * judging exchange-to-receive latency. Each sample is one GET /time: sent at t0, answered
 * at t1 (our wall clock), carrying serverTime; the server read its clock somewhere in
 * between, so offset = serverTime − (t0 + t1)/2 with an error of at most RTT/2. The
 * estimate is the offset of the sample with the smallest RTT among the last few (the
 * tightest bound), so one slow reply cannot move it.
 */
export interface ClockSample {
  offsetMs: number;
  rttMs: number;
  /** Our wall clock at the reply. */
  atMs: number;
}

export class ClockOffsetEstimator {
  private readonly ring: ClockSample[] = [];
  private next = 0;
  private count = 0;

  constructor(readonly window = 8) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`clock offset window must be a positive integer, got ${window}`);
  }

  /** Adds one round trip; ignores impossible ones (t1 < t0). Returns the sample or null. */
  add(t0Ms: number, serverTimeMs: number, t1Ms: number): ClockSample | null {
    if (!(t1Ms >= t0Ms) || !Number.isFinite(serverTimeMs)) return null;
    const s: ClockSample = { offsetMs: serverTimeMs - (t0Ms + t1Ms) / 2, rttMs: t1Ms - t0Ms, atMs: t1Ms };
    this.ring[this.next] = s;
    this.next = (this.next + 1) % this.window;
    this.count = Math.min(this.count + 1, this.window);
    return s;
  }

  get samples(): number {
    return this.count;
  }

  /** The min-RTT sample of the window, undefined before the first. */
  best(): ClockSample | undefined {
    let best: ClockSample | undefined;
    for (let i = 0; i < this.count; i++) {
      const s = this.ring[i] as ClockSample;
      if (!best || s.rttMs < best.rttMs || (s.rttMs === best.rttMs && s.atMs > best.atMs)) best = s;
    }
    return best;
  }

  /** serverTime − localTime in ms (NaN before the first sample). */
  get offsetMs(): number {
    return this.best()?.offsetMs ?? Number.NaN;
  }

  /** Half the RTT of the chosen sample: the offset is right within this. */
  get uncertaintyMs(): number {
    const b = this.best();
    return b === undefined ? Number.NaN : b.rttMs / 2;
  }

  /** The venue's clock now, by our wall clock plus the offset (NaN before the first sample). */
  serverNowMs(localNowMs: number = Date.now()): number {
    return localNowMs + this.offsetMs;
  }
}
