/**
 * Optional CPU pinning for two-thread benchmarks: a producer and a consumer on two
 * different cores, as the colo configuration runs them. Without it, on a small busy
 * machine the producer, waking from a sleep, is often placed on the consumer's core and
 * preempts it, and a one-way hop then measures a context switch (~5 µs), not the
 * transport. Best effort: without the addon or a second core it reports and goes on.
 */
import { tryNative } from '../../src/native/load-addon.js';

/** The two cpus to use (consumer, producer), or null when pinning is not possible. */
export function benchCpus(): [number, number] | null {
  const r = tryNative();
  if (r.addon === null) return null;
  try {
    const allowed = r.addon.getAffinity();
    return allowed.length >= 2 ? [allowed[0]!, allowed[1]!] : null;
  } catch {
    return null;
  }
}

/** Pins the calling thread to `cpu`; returns a note for the report. */
export function pinThread(cpu: number | null | undefined): string {
  if (cpu === null || cpu === undefined) return 'not pinned';
  const r = tryNative();
  if (r.addon === null) return `not pinned (${r.error.message})`;
  try {
    r.addon.setAffinity([cpu]);
    return `cpu ${cpu}`;
  } catch (e) {
    return `not pinned (${(e as Error).message})`;
  }
}
