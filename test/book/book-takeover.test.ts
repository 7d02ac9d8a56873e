/**
 * A writer over an existing book buffer (the pipeline lays books out before the book
 * thread starts; a restarted book thread takes its predecessor's books over): the layout
 * is redone and the book cleared inside one seqlock batch whose version continues, so
 * readers attached to the buffer keep working and never see the old levels as valid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BookLevels, Side, SharedBookReader, SharedBookWriter } from '../../src/book/index.js';

const CONFIG = { layout: 'window', tickMantissa: 1, windowTicks: 64 } as const;

test('a new writer over a laid-out buffer continues its version, clears it and marks it not valid', () => {
  const first = new SharedBookWriter(CONFIG);
  const reader = new SharedBookReader(first.buffer);
  first.beginBatch();
  first.applyLevel(Side.BID, 100, 5);
  first.applyLevel(Side.ASK, 101, 7);
  first.endBatch(42, 1, true);
  const levels = new BookLevels(10);
  assert.ok(reader.readFull(levels));
  assert.equal(levels.valid, true);
  assert.equal(levels.bidCount, 1);
  const before = reader.version();

  const second = new SharedBookWriter(CONFIG, first.buffer);
  assert.ok(reader.readFull(levels));
  assert.equal(levels.valid, false);
  assert.equal(levels.bidCount + levels.askCount, 0);
  assert.equal(levels.lastUpdateId, 0);
  assert.ok(levels.version > before && levels.version % 2 === 0, `version moved on and is even (${before} → ${levels.version})`);
  assert.equal(second.bestBid, -1);

  second.beginBatch();
  second.applyLevel(Side.BID, 99, 1);
  second.endBatch(50, 2, true);
  assert.ok(reader.readFull(levels));
  assert.deepEqual(levels.toArrays(), { bids: [[99n, 1n]], asks: [] });
  assert.equal(second.bestBid, 99);
  assert.equal(second.bestAsk, -1);
});

test('a writer that died mid-batch (odd version) is taken over at the next even version', () => {
  const first = new SharedBookWriter(CONFIG);
  first.beginBatch();
  first.applyLevel(Side.BID, 100, 5);
  const odd = Atomics.load(new Int32Array(first.buffer), 0);
  assert.equal(odd % 2, 1);
  new SharedBookWriter(CONFIG, first.buffer);
  const v = new SharedBookReader(first.buffer).version();
  assert.ok(v > odd && v % 2 === 0);
});

test('a buffer of the wrong size is refused', () => {
  const other = new SharedBookWriter({ ...CONFIG, windowTicks: 128 });
  assert.throws(() => new SharedBookWriter(CONFIG, other.buffer), /book buffer must be a SharedArrayBuffer of \d+ bytes/);
});

test('a reader attaching while another thread takes the book over always finds a book (regression: the header was zeroed)', async () => {
  const first = new SharedBookWriter(CONFIG);
  const { Worker } = await import('node:worker_threads');
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const w = new Worker(
    `const { workerData } = require('node:worker_threads');
     import(workerData.mod).then(({ SharedBookWriter }) => {
       const stop = new Int32Array(workerData.stop);
       while (Atomics.load(stop, 0) === 0) new SharedBookWriter(workerData.config, workerData.buffer);
     });`,
    { eval: true, workerData: { mod: new URL('../../src/book/index.js', import.meta.url).href, buffer: first.buffer, config: CONFIG, stop: stop.buffer } },
  );
  const until = Date.now() + 300;
  let attached = 0;
  try {
    while (Date.now() < until) {
      new SharedBookReader(first.buffer);
      attached++;
    }
  } finally {
    Atomics.store(stop, 0, 1);
    await new Promise((r) => w.once('exit', r));
  }
  assert.ok(attached > 100);
});

test('a writer refuses to take over a book laid out for another config', () => {
  const sorted = new SharedBookWriter({ layout: 'sorted', maxLevels: 16 });
  assert.throws(() => new SharedBookWriter({ layout: 'sorted', maxLevels: 16, tickMantissa: 5 }, sorted.buffer), /another book config/);
});
