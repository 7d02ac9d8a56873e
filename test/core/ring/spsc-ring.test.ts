import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RingStatus, SpscRing, type RecordHandler, type SpscConsumer, type SpscProducer } from '../../../src/core/ring/index.js';

/** Claims one slot and writes `v` at both ends of it. */
function put(p: SpscProducer, v: number): void {
  const off = p.tryClaim();
  assert.ok(off >= 0, `claim for ${v} returned ${off}`);
  p.view.setFloat64(off, v, true);
  p.view.setFloat64(off + 56, -v, true);
}

/** Claims and commits `values` as one batch. */
function send(p: SpscProducer, values: number[]): void {
  for (const v of values) put(p, v);
  p.commit();
}

interface Seen {
  values: number[];
  ends: boolean[];
}

function collector(): { seen: Seen; handler: RecordHandler } {
  const seen: Seen = { values: [], ends: [] };
  return {
    seen,
    handler: (view, offset, endOfBatch) => {
      const v = view.getFloat64(offset, true);
      assert.equal(view.getFloat64(offset + 56, true), -v, 'whole record visible');
      seen.values.push(v);
      seen.ends.push(endOfBatch);
    },
  };
}

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

function pair(capacity: number, initialPosition = 0): { ring: SpscRing; p: SpscProducer; c: SpscConsumer } {
  const ring = SpscRing.create({ capacity, initialPosition });
  return { ring, p: ring.producer('spin'), c: ring.consumer('spin') };
}

describe('SPSC ring, one thread', () => {
  it('delivers records in order through many wraps of a small ring', () => {
    const { p, c } = pair(4);
    const { seen, handler } = collector();
    for (let i = 0; i < 100; i += 3) {
      send(p, range(i, 3));
      assert.equal(c.poll(handler), 3);
    }
    assert.deepEqual(seen.values, range(0, 102));
  });

  it('returns FULL when full, counts it, and frees slots when the consumer publishes', () => {
    const { ring, p, c } = pair(8);
    send(p, range(0, 8));
    assert.equal(p.tryClaim(), RingStatus.FULL);
    assert.equal(p.tryClaim(), RingStatus.FULL);
    assert.equal(ring.stats().full, 2);
    assert.equal(p.free, 0);
    const { seen, handler } = collector();
    assert.equal(c.poll(handler, 3), 3);
    assert.equal(p.free, 3);
    send(p, [8, 9, 10]);
    assert.equal(p.tryClaim(), RingStatus.FULL);
    assert.equal(c.poll(handler), 8);
    assert.deepEqual(seen.values, range(0, 11));
    assert.equal(ring.stats().full, 3);
  });

  it('hides claimed records until commit', () => {
    const { p, c } = pair(8);
    const { seen, handler } = collector();
    put(p, 1);
    put(p, 2);
    assert.equal(p.pending, 2);
    assert.equal(c.poll(handler), 0);
    assert.equal(c.available, 0);
    p.commit();
    assert.equal(p.pending, 0);
    assert.equal(c.available, 2);
    assert.equal(c.poll(handler), 2);
    assert.deepEqual(seen.values.slice(0, 2), [1, 2]);
  });

  it('drains in batches bounded by limit and flags only the last record of each', () => {
    const { p, c } = pair(16);
    const { seen, handler } = collector();
    send(p, range(0, 10));
    assert.equal(c.poll(handler, 4), 4);
    assert.equal(c.poll(handler, 4), 4);
    assert.equal(c.poll(handler, 4), 2);
    assert.equal(c.poll(handler, 4), 0);
    assert.deepEqual(seen.values, range(0, 10));
    assert.deepEqual(seen.ends, [false, false, false, true, false, false, false, true, false, true]);
  });

  it('publishes the consumer cursor once per batch, not per record', () => {
    const { ring, p, c } = pair(16);
    send(p, range(0, 10));
    let cursorDuringBatch = -1;
    c.poll(() => {
      cursorDuringBatch = ring.stats().consumed;
    });
    assert.equal(cursorDuringBatch, 0, 'cursor unchanged while the batch runs');
    assert.equal(ring.stats().consumed, 10);
  });

  it('crosses the 2^32 boundary of the low position word', () => {
    const start = 2 ** 32 - 10;
    const { ring, p, c } = pair(8, start);
    const { seen, handler } = collector();
    for (let i = 0; i < 40; i += 5) {
      send(p, range(i, 5));
      assert.equal(c.poll(handler), 5);
    }
    assert.deepEqual(seen.values, range(0, 40));
    assert.deepEqual({ published: ring.stats().published, consumed: ring.stats().consumed }, { published: start + 40, consumed: start + 40 });
    const again = SpscRing.attach(ring.buffer);
    const c2 = again.consumer('spin');
    send(p, [40]);
    assert.equal(c2.poll(handler), 1, 'a consumer attached after the wrap resumes at the shared cursor');
    assert.equal(seen.values.at(-1), 40);
  });

  it('counts the record whose handler threw as consumed; the next poll publishes and goes on', () => {
    const { ring, p, c } = pair(8);
    send(p, range(0, 4));
    const got: number[] = [];
    assert.throws(
      () =>
        c.poll((view, off) => {
          const v = view.getFloat64(off, true);
          if (v === 1) throw new Error('bad record');
          got.push(v);
        }),
      /bad record/,
    );
    assert.equal(c.available, 2, 'records 0 and 1 are consumed');
    assert.equal(c.poll((view, off) => got.push(view.getFloat64(off, true))), 2);
    assert.deepEqual(got, [0, 2, 3]);
    assert.equal(ring.stats().consumed, 4);
  });

  it('after close: poll drains then says CLOSED; a full producer gets CLOSED', () => {
    const { ring, p, c } = pair(4);
    send(p, range(0, 4));
    ring.close();
    assert.equal(p.tryClaim(), RingStatus.CLOSED);
    assert.equal(p.claim(), RingStatus.CLOSED);
    const { seen, handler } = collector();
    assert.equal(c.poll(handler), 4);
    assert.equal(c.poll(handler), RingStatus.CLOSED);
    assert.equal(ring.closed, true);
    assert.deepEqual(seen.values, range(0, 4));
  });

  for (const strategy of ['spin', 'backoff', 'block'] as const) {
    it(`claim on a full ring gives up after its time limit (${strategy})`, () => {
      const ring = SpscRing.create({ capacity: 2 });
      const p = ring.producer({ strategy, parkTimeoutMs: 5 });
      send(p, [0, 1]);
      const t0 = performance.now();
      assert.equal(p.claim(30), RingStatus.TIMED_OUT);
      const took = performance.now() - t0;
      assert.ok(took >= 29 && took < 2000, `took ${took} ms`);
    });
  }
});
