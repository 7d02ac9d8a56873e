/**
 * The engine's book thread for bench/gateway-push: applies book batches at a fixed rate
 * (catching up by elapsed time, so timer jitter does not lower the rate) and counts
 * them in shared memory so the driver can see whether the gateway's fan-out slowed it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SharedBookWriter, Side } from '../../src/book/index.js';

const { ratePerS, counter } = workerData as { ratePerS: number; counter: SharedArrayBuffer };
const applied = new Int32Array(counter);
const writer = new SharedBookWriter({ maxLevels: 500 });
// A 20-level ladder each side around 65000.00 (price scale 2, qty scale 3).
writer.beginBatch();
for (let i = 0; i < 20; i++) {
  writer.applyLevel(Side.BID, 6_500_000 - i * 10, 1_000 + i);
  writer.applyLevel(Side.ASK, 6_500_100 + i * 10, 1_000 + i);
}
writer.endBatch(1, 0, true);
parentPort!.postMessage({ buffer: writer.buffer });

let n = 1;
const start = performance.now();
function step(): void {
  const due = Math.floor(((performance.now() - start) * ratePerS) / 1000);
  while (n < due) {
    n++;
    writer.beginBatch();
    writer.applyLevel(Side.BID, 6_500_000 - (n % 20) * 10, 1_000 + (n % 997));
    writer.applyLevel(Side.ASK, 6_500_100 + (n % 20) * 10, 1_000 + (n % 991));
    writer.endBatch(n, n, true);
    Atomics.add(applied, 0, 1);
  }
}
setInterval(step, 1);
parentPort!.on('message', () => process.exit(0));
