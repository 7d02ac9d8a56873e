/**
 * A `ws` client in its own thread that counts the frames it receives, for throughput
 * benchmarks of WebSocket servers: the server under test keeps the main thread, the
 * reader gets the other core. The count is published in a shared Int32Array[0]
 * (frames) and [1] (1 once open, -1 on close).
 */
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const { url, counter } = workerData as { url: string; counter: SharedArrayBuffer };
const view = new Int32Array(counter);
const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 20 });
let n = 0;
ws.on('open', () => Atomics.store(view, 1, 1));
ws.on('message', () => {
  // Publishing every 64 frames keeps the shared-memory traffic off the hot path.
  if ((++n & 63) === 0) Atomics.store(view, 0, n);
});
ws.on('close', () => {
  Atomics.store(view, 0, n);
  Atomics.store(view, 1, -1);
});
ws.on('error', (err) => parentPort?.postMessage({ error: String(err) }));
parentPort?.on('message', (m) => {
  if (m === 'close') ws.terminate();
});
