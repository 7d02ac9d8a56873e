/**
 * Saturating producer for bench/ring-throughput: waits for the start flag, then sends
 * `count` 64-byte events as fast as the transport takes them. postMessage has no
 * backpressure of its own, so it is held to a window of unacknowledged messages.
 *
 * Control words (Int32): [0] start flag, [1] messages the main thread has received.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BroadcastRing, SpscRing } from '../../src/core/ring/index.js';

export interface ThroughputProducerConfig {
  transport: 'ring' | 'broadcast' | 'postMessage';
  control: SharedArrayBuffer;
  ring?: SharedArrayBuffer;
  count: number;
  /** Records per commit (ring transports). */
  batch: number;
  window?: number;
}

const cfg = workerData as ThroughputProducerConfig;
const control = new Int32Array(cfg.control);
while (Atomics.load(control, 0) === 0) Atomics.wait(control, 0, 0, 1);

function fill(v: DataView, off: number, i: number): void {
  v.setInt32(off, i, true);
  v.setInt32(off + 4, 1, true);
  v.setInt32(off + 8, 7, true);
  v.setInt32(off + 16, i & 0xffff, true);
  v.setInt32(off + 24, 1_500_000, true);
}

if (cfg.transport === 'ring') {
  const p = SpscRing.attach(cfg.ring!).producer('backoff');
  const v = p.view;
  let i = 0;
  while (i < cfg.count) {
    const end = Math.min(cfg.count, i + cfg.batch);
    for (; i < end; i++) {
      const off = p.claim(30_000);
      if (off < 0) throw new Error(`claim returned ${off}`);
      fill(v, off, i);
    }
    p.commit();
  }
} else if (cfg.transport === 'broadcast') {
  const ring = BroadcastRing.attach(cfg.ring!);
  const p = ring.producer();
  const v = p.view;
  // The broadcast producer never waits; this benchmark holds it within half a ring of
  // the consumer so that every record is delivered and counted.
  const half = ring.capacity / 2;
  const deadline = performance.now() + 60_000;
  let i = 0;
  while (i < cfg.count) {
    while (i - ring.consumerPosition(0) > half) {
      if (performance.now() > deadline) throw new Error('broadcast consumer stopped');
    }
    const end = Math.min(cfg.count, i + cfg.batch);
    p.reserve(end - i);
    for (; i < end; i++) fill(v, p.claim(), i);
    p.commit();
  }
} else {
  const window = cfg.window ?? 65536;
  for (let i = 0; i < cfg.count; i++) {
    if ((i & 1023) === 0) while (i - Atomics.load(control, 1) > window) Atomics.wait(control, 1, Atomics.load(control, 1), 1);
    parentPort!.postMessage({ seq: i, type: 1, instrument: 7, price: i & 0xffff, qty: 1_500_000 });
  }
}
parentPort!.postMessage('done');
