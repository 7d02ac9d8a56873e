import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CLAIM_INDEX,
  PRODUCER_FULL_INDEX,
  PRODUCER_PARK_INDEX,
  PUBLISHED_INDEX,
  REGION_BYTES,
  VERSION_INDEX,
  CAPACITY_INDEX,
  RingKind,
  consumerLappedIndex,
  consumerParkIndex,
  cursorIndex,
  ringLayout,
} from '../../../src/core/ring/descriptor.js';
import { BroadcastRing, RingError, SpscRing } from '../../../src/core/ring/index.js';

function throwsCode(fn: () => unknown, code: string, mentions?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof RingError, `expected a RingError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (mentions !== undefined) assert.ok(e.message.includes(mentions), `"${e.message}" should mention ${mentions}`);
    return true;
  });
}

describe('ring descriptor', () => {
  it('refuses capacities that are not powers of two in range, naming the value', () => {
    for (const capacity of [0, 1, 3, 1000, 1.5, -4, NaN, 2 ** 30, 2 ** 31]) {
      throwsCode(() => SpscRing.create({ capacity }), 'RING_CAPACITY', String(capacity));
    }
    assert.equal(SpscRing.create({ capacity: 2 }).capacity, 2);
  });

  it('refuses slot sizes that are not whole 64-byte lines', () => {
    for (const slotBytes of [0, 32, 65, 100, 64 * 1025 + 64]) {
      throwsCode(() => SpscRing.create({ capacity: 8, slotBytes }), 'RING_SLOT_BYTES', String(slotBytes));
    }
    assert.equal(SpscRing.create({ capacity: 8, slotBytes: 192 }).slotBytes, 192);
  });

  it('refuses consumer counts out of range and rings too large to address', () => {
    throwsCode(() => BroadcastRing.create({ capacity: 8, consumers: 0 }), 'RING_CONSUMERS', '0');
    throwsCode(() => BroadcastRing.create({ capacity: 8, consumers: 65 }), 'RING_CONSUMERS', '65');
    throwsCode(() => ringLayout(RingKind.SPSC, { capacity: 8, slotBytes: 64, consumers: 2 }), 'RING_CONSUMERS');
    throwsCode(() => SpscRing.create({ capacity: 2 ** 29 }), 'RING_TOO_LARGE', String(2 ** 29));
    throwsCode(() => SpscRing.create({ capacity: 8, initialPosition: -1 }), 'RING_POSITION', '-1');
  });

  it('puts every independently written region on its own pair of cache lines', () => {
    const consumers = 4;
    const layout = ringLayout(RingKind.BROADCAST, { capacity: 8, slotBytes: 64, consumers });
    const regionOf = (wordIndex: number): number => Math.floor((wordIndex * 4) / REGION_BYTES);
    const regions = [regionOf(PUBLISHED_INDEX), regionOf(PRODUCER_PARK_INDEX), regionOf(PRODUCER_FULL_INDEX)];
    for (let i = 0; i < consumers; i++) regions.push(regionOf(cursorIndex(i)), regionOf(consumerParkIndex(i)), regionOf(consumerLappedIndex(i)));
    regions.push(0); // META
    assert.equal(new Set(regions).size, regions.length, 'no two writers share a region');
    assert.equal(regionOf(CLAIM_INDEX), regionOf(PUBLISHED_INDEX), 'claim and published travel together');
    assert.equal(layout.dataOffset % REGION_BYTES, 0);
    assert.ok(layout.dataOffset > (consumerLappedIndex(consumers - 1) + 8) * 4, 'slots start after the last counter region');
    assert.equal(layout.totalBytes, layout.dataOffset + 8 * 64);
  });

  it('attaches only to a SharedArrayBuffer holding a ring of the right kind and version', () => {
    const spsc = SpscRing.create({ capacity: 16 });
    assert.equal(SpscRing.attach(spsc.buffer).capacity, 16);
    throwsCode(() => SpscRing.attach(new ArrayBuffer(4096) as unknown as SharedArrayBuffer), 'RING_NOT_SHARED', 'ArrayBuffer');
    throwsCode(() => SpscRing.attach({} as SharedArrayBuffer), 'RING_NOT_SHARED');
    throwsCode(() => SpscRing.attach(new SharedArrayBuffer(64)), 'RING_BUFFER_SIZE', '64');
    throwsCode(() => SpscRing.attach(new SharedArrayBuffer(8192)), 'RING_MAGIC');
    throwsCode(() => BroadcastRing.attach(spsc.buffer), 'RING_KIND', 'spsc');
    throwsCode(() => SpscRing.attach(BroadcastRing.create({ capacity: 8, consumers: 2 }).buffer), 'RING_KIND', 'broadcast');

    const copy = (mutate: (w: Int32Array) => void, bytes = spsc.buffer.byteLength): SharedArrayBuffer => {
      const b = new SharedArrayBuffer(bytes);
      new Uint8Array(b).set(new Uint8Array(spsc.buffer).subarray(0, Math.min(bytes, spsc.buffer.byteLength)));
      mutate(new Int32Array(b));
      return b;
    };
    throwsCode(() => SpscRing.attach(copy((w) => (w[VERSION_INDEX] = 99))), 'RING_VERSION', '99');
    throwsCode(() => SpscRing.attach(copy((w) => (w[CAPACITY_INDEX] = 12))), 'RING_CAPACITY', '12');
    throwsCode(() => SpscRing.attach(copy((w) => (w[CAPACITY_INDEX] = 32))), 'RING_HEADER');
    throwsCode(() => SpscRing.attach(copy(() => {}, spsc.buffer.byteLength - 64)), 'RING_BUFFER_SIZE');
  });
});
