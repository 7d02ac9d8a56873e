import type { Clock } from './context.js';

/**
 * Live and paper time. process.hrtime.bigint() reads CLOCK_MONOTONIC (libuv uv_hrtime),
 * the clock of the native receive stamps, so `nowNs() - event.recvTimeNs` is a latency.
 */
export class MonotonicClock implements Clock {
  nowNs(): bigint {
    return process.hrtime.bigint();
  }
  epochNs(): bigint {
    // Date.now() has ms resolution; good enough for a wall-clock label, never for latency.
    return BigInt(Date.now()) * 1_000_000n;
  }
}

/**
 * Backtest time: it moves only when the replay moves it, to each event's recorded
 * stamp, so timers and order stamps follow the data, not the machine.
 */
export class SimulatedClock implements Clock {
  private now: bigint;
  private readonly epochOffset: bigint;

  /** `startNs`: monotonic start; `epochAtStartNs`: the wall time it corresponds to. */
  constructor(startNs = 0n, epochAtStartNs = 0n) {
    this.now = startNs;
    this.epochOffset = epochAtStartNs - startNs;
  }

  nowNs(): bigint {
    return this.now;
  }

  epochNs(): bigint {
    return this.now + this.epochOffset;
  }

  /** Moves time forward to `ns`; going back is a replay bug and throws. */
  advanceTo(ns: bigint): void {
    if (ns < this.now) throw new RangeError(`simulated clock cannot go back from ${this.now} to ${ns} ns`);
    this.now = ns;
  }
}
