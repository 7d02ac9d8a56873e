/**
 * Bulk writers of an SPSC ring (a decoder filling a whole venue message in place):
 * nextSlot/free say where and how much, claimWritten claims what was filled,
 * waitForFree waits for room for a whole message, with the producer's wait strategy.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpscRing } from '../../../src/core/ring/index.js';

function fill(ring: SpscRing, slot: number, v: number): void {
  new DataView(ring.buffer).setFloat64(ring.layout.dataOffset + (slot & ring.layout.mask) * 64, v, true);
}

describe('SPSC bulk writes', () => {
  it('fills slots in place from nextSlot, wrapping, and publishes them with one commit', () => {
    const ring = SpscRing.create({ capacity: 8 });
    const p = ring.producer('spin');
    const c = ring.consumer('spin');
    const seen: number[] = [];
    const ends: boolean[] = [];
    let next = 0;
    for (let round = 0; round < 20; round++) {
      const n = 1 + (round % 5);
      assert.ok(p.free >= n);
      const start = p.nextSlot;
      for (let i = 0; i < n; i++) fill(ring, start + i, next + i);
      p.claimWritten(n);
      assert.equal(c.available, 0, 'nothing visible before the commit');
      p.commit();
      next += n;
      c.poll((view, off, end) => {
        seen.push(view.getFloat64(off, true));
        ends.push(end);
      });
      assert.equal(ends.at(-1), true);
    }
    assert.deepEqual(seen, Array.from({ length: next }, (_, i) => i));
  });

  it('refuses to claim more than was free', () => {
    const ring = SpscRing.create({ capacity: 4 });
    const p = ring.producer('spin');
    p.claimWritten(3);
    assert.throws(() => p.claimWritten(2), /only 1 slots were free/);
  });

  it('waitForFree: true at once with room, false after the timeout without, false beyond the capacity', () => {
    const ring = SpscRing.create({ capacity: 8 });
    const p = ring.producer('backoff');
    assert.equal(p.waitForFree(8, 10), true);
    p.claimWritten(6);
    const t0 = performance.now();
    assert.equal(p.waitForFree(3, 30), false);
    assert.ok(performance.now() - t0 >= 29);
    assert.equal(ring.stats().published, 6, 'pending slots were committed while waiting');
    assert.equal(p.waitForFree(9, 1000), false);
  });

  it('waitForFree wakes when a consumer in another thread frees enough (block strategy)', async () => {
    const ring = SpscRing.create({ capacity: 16 });
    const p = ring.producer('block');
    p.claimWritten(16);
    p.commit();
    const { Worker } = await import('node:worker_threads');
    // A real consumer frees one slot per poll, 20 ms apart (its publish wakes a parked producer); the producer needs 4.
    const w = new Worker(
      `const { workerData } = require('node:worker_threads');
       import(workerData.ringModule).then(({ SpscRing }) => {
         const c = SpscRing.attach(workerData.buffer).consumer('spin');
         const sleep = new Int32Array(new SharedArrayBuffer(4));
         for (let i = 0; i < 6; i++) { Atomics.wait(sleep, 0, 0, 20); c.poll(() => {}, 1); }
       });`,
      { eval: true, workerData: { buffer: ring.buffer, ringModule: new URL('../../../src/core/ring/index.js', import.meta.url).href } },
    );
    const t0 = performance.now();
    assert.equal(p.waitForFree(4, 5000), true);
    const waited = performance.now() - t0;
    assert.ok(waited >= 60, `waited for the fourth slot (${waited.toFixed(0)} ms)`);
    assert.ok(p.free >= 4);
    await new Promise((r) => w.once('exit', r));
  });
});
