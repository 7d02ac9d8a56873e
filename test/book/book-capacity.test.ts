import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedBookWriter } from '../../src/book/shared-book-writer.js';
import { SharedBookReader } from '../../src/book/shared-book-reader.js';
import { BookLevels, TopOfBook } from '../../src/book/book-levels.js';
import { BookFlag } from '../../src/book/book-descriptor.js';
import { BookError } from '../../src/book/errors.js';
import { LevelResult, Side } from '../../src/book/side.js';
import { bookConfigForInstrument, resolveBookConfig } from '../../src/book/book-config.js';
import { instrumentFromDefinition } from '../../src/core/instruments/instrument.js';

const B = Side.BID;
const A = Side.ASK;

function prices(view: BookLevels, side: Side): number[] {
  const n = side === B ? view.bidCount : view.askCount;
  return Array.from({ length: n }, (_, i) => (side === B ? view.bidPrice(i) : view.askPrice(i)));
}

test('sorted, full side: a better level evicts the worst, a worse one is not stored; both counted', () => {
  const w = new SharedBookWriter({ layout: 'sorted', maxLevels: 3 });
  const r = new SharedBookReader(w.buffer);
  const view = new BookLevels(3);
  w.beginBatch();
  // Snapshot order (best first): the 4th and 5th are beyond capacity.
  assert.deepEqual([100, 99, 98, 97, 96].map((p) => w.applyLevel(B, p, 1)), [1, 1, 1, 4, 4]);
  assert.deepEqual([200, 201, 202, 203].map((p) => w.applyLevel(A, p, 1)), [1, 1, 1, 4]);
  w.endBatch(1, 1, true);
  assert.ok(r.readFull(view));
  assert.deepEqual(prices(view, B), [100, 99, 98]);
  assert.deepEqual(prices(view, A), [200, 201, 202]);
  w.beginBatch();
  assert.equal(w.applyLevel(B, 101, 1), LevelResult.INSERTED); // evicts 98
  assert.equal(w.applyLevel(B, 50, 1), LevelResult.DROPPED_FAR);
  assert.equal(w.applyLevel(A, 199, 1), LevelResult.INSERTED); // evicts 202
  assert.equal(w.applyLevel(B, 98, 0), LevelResult.ABSENT, 'an evicted level is unknown');
  w.endBatch(2, 2, true);
  assert.ok(r.readFull(view));
  assert.deepEqual(prices(view, B), [101, 100, 99]);
  assert.deepEqual(prices(view, A), [199, 200, 201]);
  assert.equal(w.droppedFar, 3 + 3);
  assert.equal(r.counters()!.droppedFar, 6);
  assert.equal(view.valid, true, 'dropping far levels does not invalidate the book');
});

test('sorted: a 5000-level snapshot into 1000 slots keeps exactly the best 1000 per side', () => {
  const w = new SharedBookWriter({ layout: 'sorted', maxLevels: 1000 });
  const r = new SharedBookReader(w.buffer);
  const t0 = performance.now();
  w.beginBatch();
  w.clearBook();
  for (let i = 0; i < 5000; i++) w.applyLevel(B, 1_000_000 - i * 3, i + 1);
  for (let i = 0; i < 5000; i++) w.applyLevel(A, 1_000_001 + i * 3, i + 1);
  w.endBatch(9, 9, true);
  const ms = performance.now() - t0;
  const view = new BookLevels(1000);
  assert.ok(r.readFull(view));
  assert.equal(view.bidCount, 1000);
  assert.equal(view.askCount, 1000);
  assert.equal(view.bidPrice(999), 1_000_000 - 999 * 3);
  assert.equal(view.askQty(999), 1000);
  assert.equal(w.droppedFar, 8000);
  assert.ok(ms < 500, `snapshot load took ${ms} ms`);
});

test('sorted: one-sided growth far past the slack re-centres without losing order', () => {
  const w = new SharedBookWriter({ layout: 'sorted', maxLevels: 50 });
  const r = new SharedBookReader(w.buffer);
  const view = new BookLevels(50);
  // Bids always improving (insert at the best end), asks always worsening (far end); with
  // deletes at the other end so the count stays below capacity and the window drifts.
  for (let i = 0; i < 2000; i++) {
    w.beginBatch();
    w.applyLevel(B, 1000 + i, 1);
    if (i >= 40) w.applyLevel(B, 1000 + i - 40, 0);
    w.applyLevel(A, 1_000_000 + i, 1);
    if (i >= 40) w.applyLevel(A, 1_000_000 + i - 40, 0);
    w.endBatch(i, i, false);
  }
  assert.ok(r.readFull(view));
  assert.deepEqual(prices(view, B), Array.from({ length: 40 }, (_, k) => 2999 - k));
  assert.deepEqual(prices(view, A), Array.from({ length: 40 }, (_, k) => 1_000_000 + 1960 + k));
  assert.equal(w.droppedFar, 0);
});

test('window: levels beyond the window are dropped (counted); a new best slides it and drops what falls off', () => {
  const w = new SharedBookWriter({ layout: 'window', windowTicks: 32 });
  const r = new SharedBookReader(w.buffer);
  const view = new BookLevels(32);
  w.beginBatch();
  assert.equal(w.applyLevel(B, 1000, 1), LevelResult.INSERTED);
  assert.equal(w.applyLevel(B, 969, 1), LevelResult.INSERTED); // 31 ticks below: last slot
  assert.equal(w.applyLevel(B, 968, 1), LevelResult.DROPPED_FAR);
  assert.equal(w.applyLevel(B, 1003, 1), LevelResult.INSERTED); // slides 3: 969 falls off
  w.endBatch(1, 1, true);
  assert.ok(r.readFull(view));
  assert.deepEqual(prices(view, B), [1003, 1000]);
  assert.equal(w.droppedFar, 2);
  // Best removed: the empty span above the new best can be given up for a deeper level.
  w.beginBatch();
  w.applyLevel(B, 1003, 0);
  assert.equal(w.applyLevel(B, 970, 1), LevelResult.INSERTED); // 33 below the edge, 30 below the best
  w.endBatch(2, 2, true);
  assert.ok(r.readFull(view));
  assert.deepEqual(prices(view, B), [1000, 970]);
});

test('window: prices off the tick grid are rejected and counted', () => {
  const w = new SharedBookWriter({ layout: 'window', windowTicks: 64, tickMantissa: 5 });
  const r = new SharedBookReader(w.buffer);
  w.beginBatch();
  assert.equal(w.applyLevel(A, 1005, 1), LevelResult.INSERTED);
  assert.equal(w.applyLevel(A, 1007, 1), LevelResult.REJECTED);
  w.endBatch(1, 1, true);
  const t = new TopOfBook();
  assert.ok(r.readBest(t));
  assert.equal(t.askPrice, 1005);
  assert.equal(r.counters()!.rejected, 1);
});

for (const layout of ['sorted', 'window'] as const) {
  test(`${layout}: a crossed or locked book is published invalid with the CROSSED flag`, () => {
    const w = new SharedBookWriter({ layout, maxLevels: 16, windowTicks: 64 });
    const r = new SharedBookReader(w.buffer);
    const view = new BookLevels(4);
    w.beginBatch();
    w.applyLevel(B, 100, 1);
    w.applyLevel(A, 101, 1);
    assert.equal(w.endBatch(1, 1, true), true);
    assert.ok(r.readTop(4, view));
    assert.equal(view.valid, true);
    assert.equal(view.flags, 0);
    w.beginBatch();
    w.applyLevel(B, 101, 2); // locked: bid == ask
    assert.equal(w.endBatch(2, 2, true), false);
    assert.ok(r.readTop(4, view));
    assert.equal(view.valid, false);
    assert.equal(view.flags & BookFlag.CROSSED, BookFlag.CROSSED);
    assert.equal(r.counters()!.crossed, 1);
    w.beginBatch();
    w.applyLevel(A, 101, 0);
    w.applyLevel(A, 102, 1);
    assert.equal(w.endBatch(3, 3, true), true);
    assert.ok(r.readTop(4, view));
    assert.equal(view.valid, true);
  });
}

test('markInvalid publishes at once and keeps the levels; batch misuse is a BookError', () => {
  const w = new SharedBookWriter({ maxLevels: 4 });
  const r = new SharedBookReader(w.buffer);
  w.beginBatch();
  w.applyLevel(B, 10, 1);
  w.endBatch(5, 5, true);
  const v = r.version();
  w.markInvalid();
  assert.ok(r.version() > v && r.version() % 2 === 0);
  const t = new TopOfBook();
  assert.ok(r.readBest(t));
  assert.equal(t.valid, false);
  assert.equal(t.bidPrice, 10);
  assert.equal(t.lastUpdateId, 5);
  assert.throws(() => w.applyLevel(B, 1, 1), (e: unknown) => e instanceof BookError && e.code === 'BOOK_BATCH_ORDER');
  assert.throws(() => w.endBatch(1, 1, true), (e: unknown) => e instanceof BookError && e.code === 'BOOK_BATCH_ORDER');
  w.beginBatch();
  assert.throws(() => w.beginBatch(), (e: unknown) => e instanceof BookError && e.code === 'BOOK_BATCH_ORDER');
});

test('config and attach errors name the bad value', () => {
  assert.throws(() => new SharedBookWriter({ maxLevels: 0 }), /maxLevels 0/);
  assert.throws(() => new SharedBookWriter({ layout: 'window', windowTicks: 100 }), /windowTicks 100 must be a power of two/);
  assert.throws(() => new SharedBookWriter({ layout: 'heap' as 'sorted' }), (e: unknown) => e instanceof BookError && e.code === 'BOOK_CONFIG');
  assert.throws(() => new SharedBookReader(new SharedArrayBuffer(4096)), (e: unknown) => e instanceof BookError && e.code === 'BOOK_LAYOUT');
});

test('layout defaults: window on an instrument tick grid, sorted when no tick is known', () => {
  const inst = instrumentFromDefinition(1, {
    venue: 'binance-usdm',
    symbol: 'BTCUSDT',
    venueSymbol: 'btcusdt',
    base: 'BTC',
    quote: 'USDT',
    tickSize: '0.10',
    stepSize: '0.001',
    priceScale: 2,
  });
  const cfg = bookConfigForInstrument(inst, { windowTicks: 1024 });
  assert.deepEqual(cfg, { layout: 'window', maxLevels: 5000, windowTicks: 1024, tickMantissa: 10 });
  assert.equal(resolveBookConfig({}).layout, 'sorted');
  assert.equal(resolveBookConfig({ tickMantissa: 1 }).layout, 'window');
  const w = new SharedBookWriter(cfg);
  w.beginBatch();
  assert.equal(w.applyLevel(B, 6_000_010, 1), LevelResult.INSERTED);
  assert.equal(w.applyLevel(B, 6_000_015, 1), LevelResult.REJECTED, 'off the 0.10 grid');
  w.endBatch(1, 1, true);
});
