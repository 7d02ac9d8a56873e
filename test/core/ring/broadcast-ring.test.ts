import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BroadcastRing, RingError, RingStatus, type BroadcastProducer, type RecordHandler } from '../../../src/core/ring/index.js';

/** Writes `seq` in the first and last word of each record so a torn copy shows. */
function publish(p: BroadcastProducer, from: number, n: number, reserve = true): void {
  if (reserve) p.reserve(n);
  for (let i = 0; i < n; i++) {
    const off = p.claim();
    p.view.setInt32(off, from + i, true);
    p.view.setInt32(off + 60, from + i, true);
  }
  p.commit();
}

function collector(into: number[]): RecordHandler {
  return (view, offset) => {
    const seq = view.getInt32(offset, true);
    assert.equal(view.getInt32(offset + 60, true), seq, 'torn record handed over');
    into.push(seq);
  };
}

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('broadcast ring, one thread', () => {
  it('gives every consumer every record, each at its own pace', () => {
    const ring = BroadcastRing.create({ capacity: 16, consumers: 2 });
    const p = ring.producer();
    const [a, b] = [ring.subscribe(0, 'spin'), ring.subscribe(1, 'spin')];
    const seenA: number[] = [];
    const seenB: number[] = [];
    for (let i = 0; i < 200; i += 8) {
      publish(p, i, 8, i % 16 === 0);
      assert.equal(a.poll(collector(seenA)), 8);
      if (i % 16 === 8) assert.equal(b.poll(collector(seenB)), 16);
    }
    assert.equal(b.poll(collector(seenB)), 8);
    assert.deepEqual(seenA, range(0, 200));
    assert.deepEqual(seenB, range(0, 200));
    assert.equal(ring.consumerStats(1).lag, 0);
  });

  it('flags the end of each drained batch', () => {
    const ring = BroadcastRing.create({ capacity: 64, consumers: 1 });
    const p = ring.producer();
    const c = ring.subscribe(0);
    publish(p, 0, 40);
    const ends: boolean[] = [];
    assert.equal(c.poll((_v, _o, end) => ends.push(end), 25), 25);
    assert.equal(c.poll((_v, _o, end) => ends.push(end)), 15);
    assert.deepEqual(ends.map((e, i) => (e ? i : -1)).filter((i) => i >= 0), [24, 39]);
  });

  it('delivers a whole ring of lag, and says LAPPED beyond it, counting and resyncing', () => {
    const ring = BroadcastRing.create({ capacity: 8, consumers: 1 });
    const p = ring.producer();
    const c = ring.subscribe(0);
    const seen: number[] = [];
    publish(p, 0, 8);
    assert.equal(c.poll(collector(seen)), 8, 'exactly capacity behind is still readable');
    publish(p, 8, 8);
    publish(p, 16, 3);
    assert.equal(c.poll(collector(seen)), RingStatus.LAPPED);
    const s = ring.consumerStats(0);
    assert.deepEqual({ lapped: s.lapped, lost: s.lost, position: s.position, lag: s.lag }, { lapped: 1, lost: 11, position: 19, lag: 0 });
    assert.equal(c.poll(collector(seen)), 0, 'resynced to the producer');
    publish(p, 19, 2);
    assert.equal(c.poll(collector(seen)), 2);
    assert.deepEqual(seen, [...range(0, 8), 19, 20]);
  });

  it('never hands over a record whose slot was reclaimed after the poll began', () => {
    const ring = BroadcastRing.create({ capacity: 64, consumers: 1 });
    const p = ring.producer();
    const c = ring.subscribe(0);
    const seen: number[] = [];
    publish(p, 0, 64);
    const handler: RecordHandler = (view, offset) => {
      collector(seen)(view, offset, false);
      // While the consumer is busy with record 2, the producer laps the whole ring.
      if (seen.length === 3) publish(p, 64, 64);
    };
    assert.equal(c.poll(handler), RingStatus.LAPPED);
    // The first chunk was copied and checked before the lap: those copies stand.
    assert.deepEqual(seen, range(0, 16), 'only intact records, in order');
    const s = ring.consumerStats(0);
    assert.deepEqual({ torn: s.torn, lapped: s.lapped, position: s.position, lost: s.lost }, { torn: 1, lapped: 1, position: 128, lost: 112 });
  });

  it('crosses the 2^32 boundary with lapping', () => {
    const start = 2 ** 32 - 5;
    const ring = BroadcastRing.create({ capacity: 4, consumers: 1, initialPosition: start });
    const p = ring.producer();
    const c = ring.subscribe(0);
    const seen: number[] = [];
    publish(p, 0, 3);
    assert.equal(c.poll(collector(seen)), 3);
    publish(p, 3, 3, false);
    assert.equal(c.poll(collector(seen)), 3);
    publish(p, 6, 10, false);
    assert.equal(c.poll(collector(seen)), RingStatus.LAPPED);
    publish(p, 16, 1);
    assert.equal(c.poll(collector(seen)), 1);
    assert.deepEqual(seen, [...range(0, 6), 16]);
    assert.equal(ring.consumerPosition(0), start + 17);
    assert.equal(ring.published, start + 17);
  });

  it('subscribes by index, once, starting at the producer position', () => {
    const ring = BroadcastRing.create({ capacity: 8, consumers: 2 });
    const p = ring.producer();
    publish(p, 0, 5);
    const a = ring.subscribe(0);
    assert.equal(a.position, 5, 'a late subscriber starts at what is published next');
    assert.throws(() => ring.subscribe(0), (e: unknown) => e instanceof RingError && e.code === 'RING_CONSUMER_IN_USE');
    assert.throws(() => ring.subscribe(2), (e: unknown) => e instanceof RingError && e.code === 'RING_CONSUMER_INDEX');
    assert.throws(() => BroadcastRing.attach(ring.buffer).subscribe(0), (e: unknown) => e instanceof RingError && e.code === 'RING_CONSUMER_IN_USE');
    a.unsubscribe();
    assert.equal(ring.consumerStats(0).subscribed, false);
    assert.equal(ring.subscribe(0).position, 5);
    assert.throws(() => p.reserve(9), (e: unknown) => e instanceof RingError && e.code === 'RING_RESERVE');
    assert.throws(() => p.reserve(0), (e: unknown) => e instanceof RingError && e.code === 'RING_RESERVE');
  });

  it('after close: poll drains then says CLOSED', () => {
    const ring = BroadcastRing.create({ capacity: 8, consumers: 1 });
    const p = ring.producer();
    const c = ring.subscribe(0);
    publish(p, 0, 3);
    ring.close();
    const seen: number[] = [];
    assert.equal(c.poll(collector(seen)), 3);
    assert.equal(c.poll(collector(seen)), RingStatus.CLOSED);
  });
});
