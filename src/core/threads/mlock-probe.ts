/**
 * Run as its own process by memory-lock.ts: locks its memory, then does what V8 does
 * in a running engine (start and tear down a worker, collect garbage, exit) and prints
 * the mlockall result as one JSON line. If V8 cannot live with locked memory, this
 * process dies (SIGTRAP) instead of the engine.
 */
import { Worker } from 'node:worker_threads';
import { native } from '../../native/load-addon.js';

const result = native().mlockAll();
if (result.ok) {
  await new Promise((resolve, reject) => {
    const w = new Worker('for (let i = 0; i < 1e4; i++) new Function("x", "return x + " + i)(i)', { eval: true });
    w.on('exit', resolve);
    w.on('error', reject);
  });
  (globalThis as { gc?: () => void }).gc?.();
}
process.stdout.write(JSON.stringify(result) + '\n');
