import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as D from '../../src/book/book-descriptor.js';
import { resolveBookConfig } from '../../src/book/book-config.js';

test('header fields do not overlap and stay on their cache lines', () => {
  // [first word, words] of every header field.
  const fields: Array<[string, number, number]> = [
    ['VERSION', D.W_VERSION, 1],
    ['MAGIC', D.W_MAGIC, 1],
    ['LAYOUT', D.W_LAYOUT, 1],
    ['CAPACITY', D.W_CAPACITY, 1],
    ['SLOTS', D.W_SLOTS, 1],
    ['TICK', D.W_TICK, 2],
    ['VALID', D.W_VALID, 1],
    ['FLAGS', D.W_FLAGS, 1],
    ['LAST_UPDATE_ID', D.W_LAST_UPDATE_ID, 2],
    ['EXCHANGE_TIME', D.W_EXCHANGE_TIME, 2],
    ['BID_META', D.W_BID_META, D.META_EDGE_TICK + 2],
    ['ASK_META', D.W_ASK_META, D.META_EDGE_TICK + 2],
    ['COUNTERS', D.W_COUNTERS, D.C_INVALIDATIONS + 2],
  ];
  const used = new Map<number, string>();
  for (const [name, at, n] of fields) {
    for (let k = at; k < at + n; k++) {
      assert.equal(used.get(k), undefined, `${name} overlaps ${used.get(k)} at word ${k}`);
      used.set(k, name);
    }
    assert.ok(at + n <= D.W_REGION, `${name} runs into the side regions`);
  }
  assert.equal(D.W_VERSION, 0);
  for (const k of used.keys()) if (k !== D.W_VERSION) assert.ok(k >= 16, 'VERSION is alone on line 0');
  assert.equal(D.W_REGION % 16, 0, 'regions start on a cache line');
  for (const w of [D.W_TICK, D.W_LAST_UPDATE_ID, D.W_EXCHANGE_TIME, D.W_BID_META + D.META_BEST_TICK, D.W_COUNTERS]) {
    assert.equal(w % 2, 0, 'u64 fields are 8-byte aligned (BigInt64Array-readable)');
  }
});

test('geometry: regions follow each other and the total covers both', () => {
  const s = D.bookGeometry(resolveBookConfig({ layout: 'sorted', maxLevels: 100 }));
  assert.equal(s.slots, 200);
  assert.equal(s.askRegion - s.bidRegion, 200 * D.SORTED_RECORD_WORDS);
  assert.equal(s.totalBytes, (s.askRegion + 200 * D.SORTED_RECORD_WORDS) * 4);
  const w = D.bookGeometry(resolveBookConfig({ layout: 'window', windowTicks: 1024 }));
  assert.equal(w.bitmapOffset, 1024 * D.WINDOW_SLOT_WORDS);
  assert.equal(w.askRegion - w.bidRegion, 1024 * 2 + 1024 / 32);
  assert.equal(w.totalBytes, (w.askRegion + 1024 * 2 + 32) * 4);
});
