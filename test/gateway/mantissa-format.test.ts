import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatDecimal } from '../../src/core/fixed/decimal.js';
import { formatMantissa } from '../../src/gateway/index.js';

test('formatMantissa prints safe-integer mantissas exactly, with the scale\'s decimals, like formatDecimal', () => {
  fc.assert(
    fc.property(fc.maxSafeNat(), fc.integer({ min: 0, max: 18 }), (m, scale) => {
      assert.equal(formatMantissa(m, scale), formatDecimal(BigInt(m), scale, scale));
    }),
    { numRuns: 20_000 },
  );
  // Around 2^53, where a double division would round the quotient up.
  for (const m of [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1, 2 ** 52 + 1, 999_999_999_999_999]) {
    for (let scale = 0; scale <= 18; scale++) assert.equal(formatMantissa(m, scale), formatDecimal(BigInt(m), scale, scale), `${m} @ ${scale}`);
  }
  assert.equal(formatMantissa(6_500_012, 2), '65000.12');
  assert.equal(formatMantissa(5, 3), '0.005');
  assert.throws(() => formatMantissa(-1, 2), RangeError);
  assert.throws(() => formatMantissa(1.5, 2), RangeError);
  assert.throws(() => formatMantissa(1, 19), RangeError);
});
