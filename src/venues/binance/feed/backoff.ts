/**
 * Reconnect delays: exponential with jitter, capped, reset after a healthy period.
 *
 *   full          delay = U[0, min(max, initial·2^n)]            (AWS "full jitter")
 *   decorrelated  delay = min(max, U[initial, 3·previous delay])  (AWS "decorrelated jitter")
 *
 * Decorrelated is the default: it never goes below `initialMs`, so a crowd of clients
 * cut off at the same moment spreads out without anyone retrying in a tight loop. A
 * connection that stayed live for `healthyResetMs` resets the sequence, so a rare
 * disconnect after a long healthy period is retried quickly again. Time is passed in
 * (no clock inside) so tests drive it with a fake clock.
 */
import type { JitterKind } from './config.js';

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  healthyResetMs: number;
  jitter: JitterKind;
}

/** mulberry32: a small seeded PRNG in [0, 1), enough for jitter and reproducible in tests. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Doubling stops here: 2^30 · initialMs is above any sane cap. */
const MAX_EXPONENT = 30;

export class ReconnectBackoff {
  private attempt = 0;
  private previousMs: number;
  private liveSinceMs = -1;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {
    this.previousMs = policy.initialMs;
  }

  /** Attempts since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next attempt, in ms; counts that attempt. */
  next(): number {
    const { initialMs, maxMs } = this.policy;
    let delay: number;
    if (this.policy.jitter === 'full') {
      const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(this.attempt, MAX_EXPONENT));
      delay = Math.floor(this.random() * (ceiling + 1));
    } else {
      const upper = Math.min(maxMs, this.previousMs * 3);
      delay = Math.min(maxMs, Math.floor(initialMs + this.random() * (upper - initialMs + 1)));
    }
    this.previousMs = Math.max(initialMs, delay);
    this.attempt++;
    return delay;
  }

  reset(): void {
    this.attempt = 0;
    this.previousMs = this.policy.initialMs;
  }

  /** The connection became live (subscribed) at `nowMs`. */
  live(nowMs: number): void {
    this.liveSinceMs = nowMs;
  }

  /** The connection was lost at `nowMs`: resets first if it had been live long enough. */
  lost(nowMs: number): void {
    if (this.liveSinceMs >= 0 && nowMs - this.liveSinceMs >= this.policy.healthyResetMs) this.reset();
    this.liveSinceMs = -1;
  }
}
