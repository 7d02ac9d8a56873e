/**
 * One clock for two threads. Since Node 20 `performance.now()` counts from the process
 * start in every thread (nodejs/node#46588, #50492), but the web spec gives each worker
 * its own origin and a later Node may follow it, so this checks. Ping-pong over shared
 * memory, both sides spinning: if in every round the worker's stamp falls between the
 * main thread's send and receive, the clocks agree and the offset is 0 exactly;
 * otherwise the offset is the worker stamp minus the midpoint of send and receive in the
 * round with the smallest RTT, whose half bounds the error.
 *
 * Memory: Int32 [0] request round, [1] reply round; Float64 [1] worker stamp (ms).
 */
export const CLOCK_SYNC_BYTES = 16;

export interface ClockOffset {
  /** worker performance.now() - main performance.now() at the same instant, ms. */
  offsetMs: number;
  /** Smallest round trip seen, ms: an estimated offset is good to half of it. */
  rttMs: number;
  /** Every worker stamp fell inside its round trip: one shared clock, offset 0. */
  shared: boolean;
}

/**
 * Main side: round trips against a worker running serveClock, `rounds` of them or for
 * `budgetMs` once the worker has answered once (on a busy machine two spinning threads
 * may take a scheduler slice per round trip).
 */
export function measureClockOffset(buffer: SharedArrayBuffer, rounds: number, budgetMs = 1000): ClockOffset {
  const w = new Int32Array(buffer, 0, 2);
  const f = new Float64Array(buffer, 0, 2);
  let best = Infinity;
  let offset = 0;
  let shared = true;
  const deadline = performance.now() + 10_000;
  let stopAt = Infinity;
  for (let k = 1; k <= rounds && performance.now() < stopAt; k++) {
    const t0 = performance.now();
    Atomics.store(w, 0, k);
    while (Atomics.load(w, 1) !== k) {
      if (performance.now() > deadline) throw new Error(`clock sync: the worker stopped answering at round ${k}`);
    }
    if (k === 1) stopAt = performance.now() + budgetMs;
    const t1 = performance.now();
    if (f[1]! < t0 || f[1]! > t1) shared = false;
    if (t1 - t0 < best) {
      best = t1 - t0;
      offset = f[1]! - (t0 + t1) / 2;
    }
  }
  Atomics.store(w, 0, -1);
  return { offsetMs: shared ? 0 : offset, rttMs: best, shared };
}

/** Worker side: answers round trips until the main side sends -1. */
export function serveClock(buffer: SharedArrayBuffer): void {
  const w = new Int32Array(buffer, 0, 2);
  const f = new Float64Array(buffer, 0, 2);
  const deadline = performance.now() + 20_000;
  let last = 0;
  for (;;) {
    const k = Atomics.load(w, 0);
    if (k === -1 || performance.now() > deadline) return;
    if (k !== last) {
      last = k;
      f[1] = performance.now();
      Atomics.store(w, 1, k);
    }
  }
}
