import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SharedBookWriter } from '../../src/book/shared-book-writer.js';
import { SharedBookReader } from '../../src/book/shared-book-reader.js';
import { BookLevels } from '../../src/book/book-levels.js';
import { LevelResult, Side } from '../../src/book/side.js';
import type { BookLayoutName } from '../../src/book/book-config.js';

/** The obvious book: a Map per side, sorted on demand. */
class ReferenceBook {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  apply(side: Side, price: number, qty: number): void {
    const m = side === Side.BID ? this.bids : this.asks;
    if (qty === 0) m.delete(price);
    else m.set(price, qty);
  }
  sorted(side: Side): Array<[number, number]> {
    const m = side === Side.BID ? this.bids : this.asks;
    return [...m.entries()].sort((a, b) => (side === Side.BID ? b[0] - a[0] : a[0] - b[0]));
  }
}

function levelsOf(view: BookLevels, side: Side): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const n = side === Side.BID ? view.bidCount : view.askCount;
  for (let i = 0; i < n; i++) {
    out.push(side === Side.BID ? [view.bidPrice(i), view.bidQty(i)] : [view.askPrice(i), view.askQty(i)]);
  }
  return out;
}

// Prices are spread over a few hundred ticks around a base, with a few huge values near
// 2^53 to cover the high int64 word; the two sides overlap freely (crossing is a
// separate test), so the comparison is about storage, not validity.
const BASE = 2 ** 40;
const price = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 300 }).map((d) => BASE + d) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 50 }).map((d) => Number.MAX_SAFE_INTEGER - d) },
);
const qty = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 7, arbitrary: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }) });
const level = fc.record({ side: fc.constantFrom(Side.BID, Side.ASK), price, qty });
const batches = fc.array(fc.array(level, { minLength: 0, maxLength: 40 }), { minLength: 1, maxLength: 30 });

for (const layout of ['sorted', 'window'] as BookLayoutName[]) {
  test(`${layout}: random level batches equal a Map reference book after every batch`, () => {
    fc.assert(
      fc.property(batches, (bs) => {
        // Capacity above any generated book. The window layout only stores prices within
        // its width of the best, so it gets the dense range around BASE only.
        const writer = new SharedBookWriter({ layout, maxLevels: 2048, windowTicks: 1 << 22 });
        const reader = new SharedBookReader(writer.buffer);
        const ref = new ReferenceBook();
        const view = new BookLevels(2048);
        for (const batch of bs) {
          writer.beginBatch();
          for (const l of batch) {
            if (layout === 'window' && l.price < BASE) continue;
            if (layout === 'window' && l.price > BASE + 1_000_000) continue;
            writer.applyLevel(l.side, l.price, l.qty);
            ref.apply(l.side, l.price, l.qty);
          }
          writer.endBatch(1, 1, true);
          assert.ok(reader.readFull(view));
          assert.deepEqual(levelsOf(view, Side.BID), ref.sorted(Side.BID));
          assert.deepEqual(levelsOf(view, Side.ASK), ref.sorted(Side.ASK));
          assert.equal(writer.droppedFar, 0);
        }
      }),
      { numRuns: 300 },
    );
  });
}

test('window: a 64-tick window over a 64-tick price range wraps its slots and bitmap and still equals the reference', () => {
  const base = 2 ** 40 + 37; // not aligned to the window, so slot indices wrap
  const narrow = fc.record({ side: fc.constantFrom(Side.BID, Side.ASK), price: fc.integer({ min: 0, max: 63 }).map((d) => base + d), qty });
  fc.assert(
    fc.property(fc.array(fc.array(narrow, { maxLength: 30 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 64 }), (bs, n) => {
      const writer = new SharedBookWriter({ layout: 'window', windowTicks: 64 });
      const reader = new SharedBookReader(writer.buffer);
      const ref = new ReferenceBook();
      const view = new BookLevels(64);
      for (const batch of bs) {
        writer.beginBatch();
        for (const l of batch) {
          writer.applyLevel(l.side, l.price, l.qty);
          ref.apply(l.side, l.price, l.qty);
        }
        writer.endBatch(1, 1, true);
        assert.ok(reader.readTop(n, view));
        assert.deepEqual(levelsOf(view, Side.BID), ref.sorted(Side.BID).slice(0, n));
        assert.deepEqual(levelsOf(view, Side.ASK), ref.sorted(Side.ASK).slice(0, n));
        assert.equal(writer.droppedFar, 0);
      }
    }),
    { numRuns: 400 },
  );
});

test('sorted: top-N copy is the first N of the full view', () => {
  fc.assert(
    fc.property(fc.array(level, { minLength: 1, maxLength: 200 }), fc.integer({ min: 0, max: 30 }), (ls, n) => {
      const writer = new SharedBookWriter({ layout: 'sorted', maxLevels: 512 });
      const reader = new SharedBookReader(writer.buffer);
      const ref = new ReferenceBook();
      writer.beginBatch();
      for (const l of ls) {
        writer.applyLevel(l.side, l.price, l.qty);
        ref.apply(l.side, l.price, l.qty);
      }
      writer.endBatch(7, 9, true);
      const view = new BookLevels(30);
      assert.ok(reader.readTop(n, view));
      assert.deepEqual(levelsOf(view, Side.BID), ref.sorted(Side.BID).slice(0, n));
      assert.deepEqual(levelsOf(view, Side.ASK), ref.sorted(Side.ASK).slice(0, n));
      assert.equal(view.lastUpdateId, 7);
      assert.equal(view.exchangeTime, 9);
    }),
    { numRuns: 200 },
  );
});

/** ReferenceBook plus the sorted layout's documented capacity rule. */
class CappedReferenceBook extends ReferenceBook {
  dropped = 0;
  constructor(private readonly cap: number) {
    super();
  }
  override apply(side: Side, price: number, qty: number): void {
    const m = side === Side.BID ? this.bids : this.asks;
    if (qty !== 0 && !m.has(price) && m.size >= this.cap) {
      this.dropped++;
      const worst = this.sorted(side).at(-1)![0];
      const better = side === Side.BID ? price > worst : price < worst;
      if (!better) return;
      m.delete(worst);
    }
    super.apply(side, price, qty);
  }
}

test('sorted: a small capacity keeps the best levels exactly as the documented rule says', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 9 }), fc.array(fc.array(level, { maxLength: 25 }), { minLength: 1, maxLength: 40 }), (cap, bs) => {
      const writer = new SharedBookWriter({ layout: 'sorted', maxLevels: cap });
      const reader = new SharedBookReader(writer.buffer);
      const ref = new CappedReferenceBook(cap);
      const view = new BookLevels(cap);
      for (const batch of bs) {
        writer.beginBatch();
        for (const l of batch) {
          writer.applyLevel(l.side, l.price, l.qty);
          ref.apply(l.side, l.price, l.qty);
        }
        writer.endBatch(1, 1, true);
        assert.ok(reader.readFull(view));
        assert.deepEqual(levelsOf(view, Side.BID), ref.sorted(Side.BID));
        assert.deepEqual(levelsOf(view, Side.ASK), ref.sorted(Side.ASK));
        assert.equal(writer.droppedFar, ref.dropped);
      }
    }),
    { numRuns: 400 },
  );
});

test('invalid values are refused and counted, never stored', () => {
  const writer = new SharedBookWriter({ layout: 'sorted', maxLevels: 8 });
  writer.beginBatch();
  assert.equal(writer.applyLevel(Side.BID, 0, 1), LevelResult.REJECTED);
  assert.equal(writer.applyLevel(Side.BID, 1.5, 1), LevelResult.REJECTED);
  assert.equal(writer.applyLevel(Side.BID, 2 ** 53, 1), LevelResult.REJECTED);
  assert.equal(writer.applyLevel(Side.ASK, 10, -1), LevelResult.REJECTED);
  assert.equal(writer.applyLevel(Side.ASK, 10, Number.NaN), LevelResult.REJECTED);
  assert.equal(writer.applyLevel(Side.ASK, 10, 1), LevelResult.INSERTED);
  writer.endBatch(1, 1, true);
  assert.equal(writer.rejected, 5);
  assert.equal(writer.bidCount, 0);
  assert.equal(writer.askCount, 1);
});

test('int64 words: number round trip below 2^53, ring pairs above it refused', async () => {
  const { writeU53, readU53, u53FromWords } = await import('../../src/book/int64-words.js');
  const words = new Uint32Array(2);
  const big = new BigInt64Array(words.buffer);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (v) => {
      writeU53(words, 0, v);
      assert.equal(readU53(words, 0), v);
      assert.equal(big[0], BigInt(v), 'the same bytes are the int64 a BigInt64Array reader sees');
      assert.equal(u53FromWords(words[0]! | 0, words[1]!), v, 'lo read as a signed Int32 slot');
    }),
  );
  assert.equal(u53FromWords(0, 0x200000), -1);
});
