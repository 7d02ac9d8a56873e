import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedBookWriter } from '../../src/book/shared-book-writer.js';
import { SharedBookReader } from '../../src/book/shared-book-reader.js';
import { BookLevels } from '../../src/book/book-levels.js';
import { Side } from '../../src/book/side.js';
import {
  depthLevels,
  depthToPrice,
  micropriceMantissa,
  micropriceRational,
  midMantissa,
  spreadMantissa,
  vwapFill,
  vwapPriceMantissa,
} from '../../src/book/book-math.js';

// Prices at scale 2, quantities at scale 3: bids 100.00 × 1.000, 99.99 × 2.500; asks 100.03 × 3.000, 100.05 × 0.500.
function book(): BookLevels {
  const w = new SharedBookWriter({ maxLevels: 16 });
  w.beginBatch();
  w.applyLevel(Side.BID, 10000, 1000);
  w.applyLevel(Side.BID, 9999, 2500);
  w.applyLevel(Side.ASK, 10003, 3000);
  w.applyLevel(Side.ASK, 10005, 500);
  w.endBatch(1, 1, true);
  const view = new BookLevels(16);
  assert.ok(new SharedBookReader(w.buffer).readTop(16, view));
  return view;
}

test('mid and spread are exact', () => {
  const b = book();
  assert.equal(midMantissa(b), 100015n); // 100.015 at scale 3
  assert.equal(spreadMantissa(b), 3);
});

test('microprice: exact rational, and half-even rounding at the stated scale', () => {
  const b = book();
  // (100.00 × 3 + 100.03 × 1) / 4 = 100.0075
  assert.deepEqual(micropriceRational(b), { num: 10000n * 3000n + 10003n * 1000n, den: 4000n });
  assert.equal(micropriceMantissa(b, 4), 100007500n); // scale 6: 100.007500
  assert.equal(micropriceMantissa(b, 2), 1000075n); // scale 4: exact
  assert.equal(micropriceMantissa(b, 0), 10001n); // 100.0075 → 100.01 (half-even of 10000.75)
  assert.equal(micropriceMantissa(b, 1), 100008n); // 100007.5 → 100008 (half to even)
});

test('depth by levels and to a price', () => {
  const b = book();
  assert.equal(depthLevels(b, Side.BID, 1), 1000n);
  assert.equal(depthLevels(b, Side.BID, 10), 3500n);
  assert.equal(depthToPrice(b, Side.ASK, 10004), 3000n);
  assert.equal(depthToPrice(b, Side.ASK, 10005), 3500n);
  assert.equal(depthToPrice(b, Side.BID, 10001), 0n);
});

test('VWAP to fill a size walks the book; a short book says incomplete', () => {
  const b = book();
  const f = vwapFill(b, Side.ASK, 3200n); // buy 3.2: 3 @ 100.03 + 0.2 @ 100.05
  assert.equal(f.filled, 3200n);
  assert.equal(f.notional, 10003n * 3000n + 10005n * 200n);
  assert.equal(f.complete, true);
  assert.equal(f.levels, 2);
  // 32010000 (scale 5) / 3200 (scale 3) = 100.03125 exactly
  assert.equal(vwapPriceMantissa(f, 3), 10003125n);
  assert.equal(vwapPriceMantissa(f, 2), 1000312n); // 1000312.5 → half to even
  assert.equal(vwapPriceMantissa(f, 0), 10003n);
  const short = vwapFill(b, Side.BID, 10_000n);
  assert.equal(short.filled, 3500n);
  assert.equal(short.complete, false);
  assert.equal(vwapPriceMantissa(vwapFill(b, Side.BID, 0n)), null);
});

test('one-sided book: no mid, spread or microprice', () => {
  const w = new SharedBookWriter({ maxLevels: 4 });
  w.beginBatch();
  w.applyLevel(Side.BID, 5, 5);
  w.endBatch(1, 1, true);
  const view = new BookLevels(4);
  assert.ok(new SharedBookReader(w.buffer).readTop(4, view));
  assert.equal(midMantissa(view), null);
  assert.equal(spreadMantissa(view), null);
  assert.equal(micropriceMantissa(view), null);
});
