/**
 * CLOCK_MONOTONIC ns as a number. The kernel clock (not performance.now(), which starts
 * at zero in each process) so order times journaled before a crash compare with times
 * after the restart, as the not-found grace period needs. Allocates a bigint per read:
 * order rate only.
 */
import type { Clock } from '../risk/clock.js';

export class MonotonicClock implements Clock {
  nowNs(): number {
    return Number(process.hrtime.bigint());
  }
}
