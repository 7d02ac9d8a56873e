/**
 * The float-filtered comparisons must agree with bigint arithmetic everywhere, including
 * right at the limit (where they fall back) and for products far above 2^53.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareProduct, withinBand } from '../../src/risk/exact.js';

const SEED = Number(process.env['VELOZ_PROPERTY_SEED'] ?? 99);
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const arbSafe = fc.bigInt({ min: 0n, max: SAFE }).map(Number);
const arbSmall = fc.integer({ min: 0, max: 1_000_000 });

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

describe('exact comparisons', () => {
  it('compareProduct agrees with bigint for random operands and limits', () => {
    fc.assert(
      fc.property(arbSafe, arbSafe, fc.integer({ min: 1, max: 1000 }), fc.bigInt({ min: 0n, max: 2n ** 120n }), (a, b, m, limit) => {
        assert.equal(compareProduct(a, b, m, limit, Number(limit)), cmp(BigInt(a) * BigInt(b) * BigInt(m), limit));
      }),
      { seed: SEED, numRuns: 20000 },
    );
  });

  it('compareProduct is exact at and next to the limit, far above 2^53', () => {
    fc.assert(
      fc.property(arbSafe, arbSafe, fc.integer({ min: -3, max: 3 }), (a, b, d) => {
        const exact = BigInt(a) * BigInt(b);
        const limit = exact + BigInt(d) < 0n ? 0n : exact + BigInt(d);
        assert.equal(compareProduct(a, b, 1, limit, Number(limit)), cmp(exact, limit));
      }),
      { seed: SEED, numRuns: 20000 },
    );
    // 2^53−1 squared is ~8e31: the double product cannot tell ±1.
    const a = Number.MAX_SAFE_INTEGER;
    const e = SAFE * SAFE;
    assert.equal(compareProduct(a, a, 1, e, Number(e)), 0);
    assert.equal(compareProduct(a, a, 1, e - 1n, Number(e - 1n)), 1);
    assert.equal(compareProduct(a, a, 1, e + 1n, Number(e + 1n)), -1);
  });

  it('withinBand agrees with bigint, at random and on the band edge', () => {
    const exact = (price: number, num: bigint, den: bigint, bps: number) => {
      let d = BigInt(price) * den - num;
      if (d < 0n) d = -d;
      return d * 10_000n <= BigInt(bps) * num;
    };
    fc.assert(
      fc.property(arbSafe, fc.bigInt({ min: 1n, max: 2n ** 70n }), fc.bigInt({ min: 1n, max: 1000n }), arbSmall, (price, num, den, bps) => {
        assert.equal(withinBand(price, Number(num) / Number(den), num, den, bps), exact(price, num, den, bps));
      }),
      { seed: SEED, numRuns: 20000 },
    );
    // Edges: mid m, price m·(1 ± bps/1e4) ± 1 tick, with large mantissas.
    fc.assert(
      fc.property(fc.bigInt({ min: 10_000n, max: 2n ** 50n }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: -2, max: 2 }), fc.boolean(), (mid, bps, d, up) => {
        const edge = (mid * BigInt(10_000 + (up ? bps : -bps))) / 10_000n + BigInt(d);
        if (edge < 0n || edge > SAFE) return;
        const price = Number(edge);
        assert.equal(withinBand(price, Number(mid), mid, 1n, bps), exact(price, mid, 1n, bps));
      }),
      { seed: SEED, numRuns: 20000 },
    );
  });
});
