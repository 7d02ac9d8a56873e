/**
 * What a ring side does when it has nothing to do (a consumer with no records, an SPSC
 * producer with no free slot), in Aeron's idle-strategy shape: the duty cycle calls
 * `idle(workCount)` after every attempt, and the strategy decides how to wait.
 *
 *  - spin:    return at once; the thread owns a core (colo configuration).
 *  - backoff: spin for a while, then sleep in Atomics.wait with timeouts that double
 *             from minParkUs to maxParkUs. Nobody notifies it: the other side pays
 *             nothing, and latency after a quiet spell is up to one timeout (on Linux
 *             at least the ~50 µs timer slack).
 *  - block:   park on the side's park word until the other side wakes it. The other
 *             side calls Atomics.notify (~15 µs) only when it sees the park flag set,
 *             so nobody pays for a notify while the waiter is busy. Optionally spins
 *             `spins` idle calls first, so a steady producer is not charged a notify
 *             for every record the consumer finishes before the next one arrives.
 *
 * Parking without lost wake-ups (all accesses sequentially consistent):
 *
 *     waiter                         waker (after publishing / closing)
 *     park := 1                      publish position (or closed := 1)
 *     if ready(): park := 0; return  if CAS(park, 1 -> 0): notify(park)
 *     wait(park, expect 1)
 *     park := 0
 *
 * Either the waker's CAS sees 1 and clears it (so the wait returns at once or is woken),
 * or it ran before `park := 1`, and then `ready()` sees what was published.
 */
import { RingError, RingErrorCode } from './errors.js';
import { availableParallelism } from 'node:os';

export type WaitStrategyName = 'spin' | 'backoff' | 'block';
export const WAIT_STRATEGY_NAMES: readonly WaitStrategyName[] = ['spin', 'backoff', 'block'];

export interface WaitOptions {
  strategy: WaitStrategyName;
  /** backoff: idle calls that just return before the first sleep; block: before parking (default 0). */
  spins?: number;
  /** backoff: first sleep, microseconds. */
  minParkUs?: number;
  /** backoff: longest sleep, microseconds. */
  maxParkUs?: number;
  /** block: longest single park, milliseconds; a safety net, wake-ups do not need it. */
  parkTimeoutMs?: number;
}

export const DEFAULT_BACKOFF_SPINS = 2000;
export const DEFAULT_MIN_PARK_US = 1;
export const DEFAULT_MAX_PARK_US = 100;
export const DEFAULT_PARK_TIMEOUT_MS = 100;

/** The side of a ring that waits: where it parks, and whether waiting is over. */
export interface ParkTarget {
  readonly words: Int32Array;
  /** Word index of this side's park flag (0 = running, 1 = parked). */
  readonly parkIndex: number;
  /** Word index of this side's park counter. */
  readonly parksIndex: number;
  /** True when there is work for this side or the ring is closed. */
  ready(): boolean;
}

export interface IdleStrategy {
  readonly name: WaitStrategyName;
  /** Called after every duty cycle with the work it did; waits when that was 0. */
  idle(workCount: number): void;
  /** Forget any backoff state (the caller found work by other means). */
  reset(): void;
}

/**
 * Wakes the side parked on `parkIndex`, if it is parked. Returns whether it notified.
 * Costs one load when nobody sleeps.
 */
export function wakeParked(words: Int32Array, parkIndex: number, notifiesIndex: number): boolean {
  if (Atomics.load(words, parkIndex) === 0) return false;
  if (Atomics.compareExchange(words, parkIndex, 1, 0) !== 1) return false;
  Atomics.notify(words, parkIndex);
  words[notifiesIndex] = (words[notifiesIndex]! + 1) | 0;
  return true;
}

class SpinIdle implements IdleStrategy {
  readonly name = 'spin' as const;
  idle(_workCount: number): void {}
  reset(): void {}
}

class BackoffIdle implements IdleStrategy {
  readonly name = 'backoff' as const;
  private spun = 0;
  private parkMs: number;

  constructor(
    private readonly target: ParkTarget,
    private readonly spins: number,
    private readonly minParkMs: number,
    private readonly maxParkMs: number,
  ) {
    this.parkMs = minParkMs;
  }

  idle(workCount: number): void {
    if (workCount > 0) {
      this.reset();
      return;
    }
    if (this.spun < this.spins) {
      this.spun++;
      return;
    }
    const t = this.target;
    if (t.ready()) return;
    // Expects 0 on our own park word: nobody wakes a backoff sleeper except close().
    Atomics.wait(t.words, t.parkIndex, 0, this.parkMs);
    t.words[t.parksIndex] = (t.words[t.parksIndex]! + 1) | 0;
    const next = this.parkMs * 2;
    this.parkMs = next > this.maxParkMs ? this.maxParkMs : next;
  }

  reset(): void {
    this.spun = 0;
    this.parkMs = this.minParkMs;
  }
}

class BlockIdle implements IdleStrategy {
  readonly name = 'block' as const;
  private spun = 0;

  constructor(
    private readonly target: ParkTarget,
    private readonly parkTimeoutMs: number,
    private readonly spins: number,
  ) {}

  idle(workCount: number): void {
    if (workCount > 0) {
      this.spun = 0;
      return;
    }
    // Optional spin before parking: a consumer that parks after every message makes a
    // busy producer pay a notify (~15 µs) per message.
    if (this.spun < this.spins) {
      this.spun++;
      return;
    }
    this.spun = 0;
    const t = this.target;
    const w = t.words;
    Atomics.store(w, t.parkIndex, 1);
    if (t.ready()) {
      Atomics.store(w, t.parkIndex, 0);
      return;
    }
    Atomics.wait(w, t.parkIndex, 1, this.parkTimeoutMs);
    Atomics.store(w, t.parkIndex, 0);
    w[t.parksIndex] = (w[t.parksIndex]! + 1) | 0;
  }

  reset(): void {
    this.spun = 0;
  }
}

function positive(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v))) {
    throw new RingError(RingErrorCode.WAIT_STRATEGY, `wait option ${name} must be a finite number >= 0, not ${String(v)}`);
  }
  return v;
}

/** Parses a strategy name or options object (from config) into options. */
export function waitOptions(spec: WaitStrategyName | WaitOptions | undefined, fallback: WaitStrategyName): WaitOptions {
  const opts: WaitOptions = spec === undefined ? { strategy: fallback } : typeof spec === 'string' ? { strategy: spec } : spec;
  if (!WAIT_STRATEGY_NAMES.includes(opts.strategy)) {
    throw new RingError(
      RingErrorCode.WAIT_STRATEGY,
      `unknown wait strategy ${JSON.stringify(opts.strategy)}; expected one of ${WAIT_STRATEGY_NAMES.join(', ')}`,
    );
  }
  return opts;
}

export function createIdleStrategy(target: ParkTarget, spec: WaitStrategyName | WaitOptions): IdleStrategy {
  const opts = waitOptions(spec, 'backoff');
  switch (opts.strategy) {
    case 'spin':
      return new SpinIdle();
    case 'backoff': {
      const minUs = positive('minParkUs', opts.minParkUs, DEFAULT_MIN_PARK_US);
      const maxUs = Math.max(minUs, positive('maxParkUs', opts.maxParkUs, DEFAULT_MAX_PARK_US));
      return new BackoffIdle(target, positive('spins', opts.spins, DEFAULT_BACKOFF_SPINS), minUs / 1000, maxUs / 1000);
    }
    case 'block':
      return new BlockIdle(target, positive('parkTimeoutMs', opts.parkTimeoutMs, DEFAULT_PARK_TIMEOUT_MS), positive('spins', opts.spins, 0));
  }
}

/**
 * The strategy a thread should use when config names none: spinning only pays when
 * every spinning thread has a core of its own, and on a smaller machine it steals the
 * core the other side needs.
 */
export function defaultWaitStrategy(threads: number, cores = availableParallelism()): WaitStrategyName {
  return cores > threads ? 'spin' : 'backoff';
}
