/**
 * The md control ring (book worker → io thread): requests coalesce per book while the
 * ring is full, go out on flush, and wake an io thread parked with Atomics.waitAsync
 * (its event loop keeps running meanwhile).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { SpscRing } from '../../src/core/ring/spsc-ring.js';
import { SnapshotReason } from '../../src/book/sync/sync-types.js';
import { SnapshotRequestReader, SnapshotRequestWriter } from '../../src/md/snapshot-requests.js';

test('requests beyond the ring wait as pending (one per book, the latest reason) and go out on flush', () => {
  const ring = SpscRing.create({ capacity: 2 });
  const w = new SnapshotRequestWriter(ring, 10);
  const r = new SnapshotRequestReader(ring);
  w.request(3, SnapshotReason.INITIAL);
  w.request(4, SnapshotReason.INITIAL);
  w.request(5, SnapshotReason.INITIAL);
  w.request(5, SnapshotReason.GAP);
  assert.equal(w.flush(), 1, 'book 5 waits');
  const got: [number, number][] = [];
  r.drain((id, reason) => got.push([id, reason]));
  assert.deepEqual(got, [
    [3, SnapshotReason.INITIAL],
    [4, SnapshotReason.INITIAL],
  ]);
  assert.equal(w.flush(), 0);
  r.drain((id, reason) => got.push([id, reason]));
  assert.deepEqual(got.at(-1), [5, SnapshotReason.GAP]);
});

test('a request from another thread wakes the parked reader; timers keep running while it waits', async () => {
  const ring = SpscRing.create({ capacity: 8 });
  const r = new SnapshotRequestReader(ring);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     Promise.all([import(workerData.ringModule), import(workerData.reqModule)]).then(([{ SpscRing }, { SnapshotRequestWriter }]) => {
       const w = new SnapshotRequestWriter(SpscRing.attach(workerData.buffer), 10);
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
       w.request(7, 2);
     });`,
    {
      eval: true,
      workerData: {
        buffer: ring.buffer,
        ringModule: new URL('../../src/core/ring/index.js', import.meta.url).href,
        reqModule: new URL('../../src/md/snapshot-requests.js', import.meta.url).href,
      },
    },
  );
  const t0 = performance.now();
  const got: [number, number][] = [];
  let stopped = false;
  const loop = r.run((id, reason) => {
    got.push([id, reason]);
    stopped = true;
  }, () => stopped, 5000);
  await loop;
  clearInterval(timer);
  const waited = performance.now() - t0;
  assert.deepEqual(got, [[7, 2]]);
  assert.ok(waited >= 100 && waited < 3000, `woken by the request, not the 5 s park timeout (${waited.toFixed(0)} ms)`);
  assert.ok(ticks >= 5, 'the event loop ran meanwhile');
  await new Promise((res) => worker.once('exit', res));
});
