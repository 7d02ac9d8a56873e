/**
 * Decoders keep all their state in themselves: two workers decoding at the same time,
 * each with its own native decoder, write exactly what one decoder writes alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { TsMdDecoder } from '../../src/venues/binance/decode/index.js';
import { INSTRUMENTS } from './decode-corpus.js';
import { decodeStream } from './decode-stream.js';

const COUNT = 3000;
const RING_BYTES = 64 * 1024;

function runWorker(seed: number, ring: SharedArrayBuffer): Promise<{ written: number; counters: BigUint64Array }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./decode-worker.js', import.meta.url), { workerData: { seed, count: COUNT, ring } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

test('native decoders in two workers at once write what the TS decoder writes alone', async () => {
  const rings = [new SharedArrayBuffer(RING_BYTES), new SharedArrayBuffer(RING_BYTES)];
  const results = await Promise.all([runWorker(11, rings[0]!), runWorker(12, rings[1]!)]);
  for (const [i, seed] of [11, 12].entries()) {
    const reference = new SharedArrayBuffer(RING_BYTES);
    const ts = new TsMdDecoder({ venue: 'binance', instruments: INSTRUMENTS });
    const written = decodeStream(ts, seed, COUNT, reference);
    assert.ok(written > COUNT / 3, `only ${written} slots written`);
    assert.equal(results[i]!.written, written, `worker ${i} slot count`);
    assert.equal(Buffer.compare(new Uint8Array(rings[i]!), new Uint8Array(reference)), 0, `worker ${i} ring bytes`);
    assert.deepEqual([...results[i]!.counters], [...ts.readCounters()], `worker ${i} counters`);
  }
});
