import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HISTOGRAM_BUCKETS, bucketIndex, bucketLowerBound, bucketUpperBound } from '../../../src/core/metrics/histogram.js';

/** The general (float) bucket rule, kept as the reference for the integer fast path. */
function referenceIndex(value: number): number {
  let v = value < 0 ? 0 : Math.floor(value);
  if (v < 128) return v;
  const msbOf = (x: number) => (x < 2 ** 32 ? 31 - Math.clz32(x) : 63 - Math.clz32(Math.floor(x / 2 ** 32)));
  let msb = msbOf(v);
  if (msb > 44) {
    msb = 44;
    v = 2 ** 45 - 1;
  }
  const shift = msb - 7 + 1;
  return shift * 64 + Math.floor(v / 2 ** shift);
}

test('the integer fast path of bucketIndex matches the general rule', () => {
  const values = fc.oneof(
    fc.integer({ min: -10, max: 2 ** 32 + 10 }),
    fc.double({ min: -1, max: 2 ** 33, noNaN: true }),
    fc.integer({ min: 0, max: 30 }).map((k) => 2 ** k),
    fc.integer({ min: 0, max: 30 }).map((k) => 2 ** k - 1),
    fc.double({ min: 2 ** 32, max: 2 ** 50, noNaN: true }),
  );
  fc.assert(
    fc.property(values, (v) => {
      assert.equal(bucketIndex(v), referenceIndex(v), String(v));
    }),
    { numRuns: 20_000 },
  );
});

test('bucket bounds are contiguous and contain their values', () => {
  for (let i = 1; i < HISTOGRAM_BUCKETS; i++) {
    assert.equal(bucketLowerBound(i), bucketUpperBound(i - 1) + 1, `bucket ${i}`);
    assert.equal(bucketIndex(bucketLowerBound(i)), i);
    assert.equal(bucketIndex(bucketUpperBound(i)), i);
  }
});
