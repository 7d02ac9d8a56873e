/**
 * Paced producer for bench/ring-latency: after clock sync, sends `count` events one at
 * a time, sleeping between them (so the consumer sees an idle-then-event pattern, as
 * with market data), each stamped with performance.now() just before it is published.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SpscRing } from '../../src/core/ring/index.js';
import { pinThread } from '../lib/pin.js';
import { serveClock } from '../lib/thread-clock.js';

export interface LatencyProducerConfig {
  /** 'hop': no ring, a stamp and a counter in shared memory: the floor of any hop. */
  transport: 'ring' | 'postMessage' | 'hop';
  clock: SharedArrayBuffer;
  ring?: SharedArrayBuffer;
  count: number;
  /** Sleep between events, ms (Atomics.wait; Linux adds ~50 µs of timer slack). */
  paceMs: number;
  cpu: number | null;
}

const cfg = workerData as LatencyProducerConfig;
pinThread(cfg.cpu);
serveClock(cfg.clock);
const sleeper = new Int32Array(new SharedArrayBuffer(4));

if (cfg.transport === 'ring') {
  const p = SpscRing.attach(cfg.ring!).producer('spin');
  const v = p.view;
  for (let i = 0; i < cfg.count; i++) {
    Atomics.wait(sleeper, 0, 0, cfg.paceMs);
    const stamp = performance.now();
    const off = p.claim(1000);
    if (off < 0) break;
    v.setInt32(off, i, true);
    v.setFloat64(off + 8, stamp, true);
    p.commit();
  }
} else if (cfg.transport === 'hop') {
  const counter = new Int32Array(cfg.ring!, 0, 1);
  const stamps = new Float64Array(cfg.ring!, 8);
  const mask = stamps.length - 1;
  for (let i = 1; i <= cfg.count; i++) {
    Atomics.wait(sleeper, 0, 0, cfg.paceMs);
    stamps[i & mask] = performance.now();
    Atomics.store(counter, 0, i);
  }
} else {
  for (let i = 0; i < cfg.count; i++) {
    Atomics.wait(sleeper, 0, 0, cfg.paceMs);
    parentPort!.postMessage({ seq: i, type: 1, instrument: 7, price: 6_512_345_000_000, qty: 1_500_000, stamp: performance.now() });
  }
}
parentPort!.postMessage('done');
