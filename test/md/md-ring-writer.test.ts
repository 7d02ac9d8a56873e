/**
 * The io thread's writer into the md ring: messages land whole (or not at all), a full
 * ring makes it wait for the consumer with its wait strategy, and past the bound the
 * message is dropped and counted, never written in part.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { SpscRing } from '../../src/core/ring/spsc-ring.js';
import { ClearReason, EventType, MdFlag, Source } from '../../src/core/schema/constants.js';
import { EventBuffer } from '../../src/core/schema/event-buffer.js';
import { MD_LEVEL, MD_MARKER } from '../../src/core/schema/offsets.js';
import { createDecoder, DecodeStatus } from '../../src/venues/binance/decode/index.js';
import { MdRingWriter, MdWrite } from '../../src/md/md-ring-writer.js';

const { decoder } = createDecoder({ venue: 'binance', instruments: [{ venueSymbol: 'BTCUSDT', instrumentId: 1, priceScale: 2, qtyScale: 5 }] });

function depth(u: number, levels: number): Buffer {
  const b = Array.from({ length: levels }, (_, i) => [`${100 + i}.00`, '1']);
  return Buffer.from(JSON.stringify({ e: 'depthUpdate', E: 1, s: 'BTCUSDT', U: u, u, b, a: [] }));
}

test('messages land whole across the ring end; a bad frame writes nothing; markers are messages of their own', () => {
  const ring = SpscRing.create({ capacity: 16 });
  const w = new MdRingWriter(ring, 'spin', decoder, DecodeStatus.NEED_SPACE, 10);
  const c = ring.consumer('spin');
  const seqs: number[] = [];
  const ends: boolean[] = [];
  for (let i = 1; i <= 30; i++) {
    assert.equal(w.writeFrame(depth(i, 3), BigInt(i)), 3);
    assert.equal(w.writeFrame(Buffer.from('{"e":"depthUpdate",'), 0n), DecodeStatus.MALFORMED_JSON);
    c.poll((view, at) => {
      seqs.push(Number(view.getBigUint64(at + MD_LEVEL.seq, true)));
      ends.push((view.getUint16(at + MD_LEVEL.flags, true) & MdFlag.BATCH_END) !== 0);
    });
  }
  assert.deepEqual(seqs, Array.from({ length: 90 }, (_, i) => 1 + Math.floor(i / 3)));
  assert.deepEqual(ends, Array.from({ length: 90 }, (_, i) => i % 3 === 2));
  assert.equal(w.writeMarker(EventType.BOOK_CLEAR, 1, ClearReason.RECONNECT, 123n), 1);
  let marker: EventBuffer | null = null;
  c.poll((view, at) => {
    marker = new EventBuffer(view.buffer.slice(at, at + 64));
  });
  const m = marker as unknown as EventBuffer;
  assert.equal(m.getU8(MD_MARKER.type), EventType.BOOK_CLEAR);
  assert.equal(m.getU8(MD_MARKER.source), Source.ENGINE);
  assert.equal(m.getU16(MD_MARKER.flags), MdFlag.BATCH_END);
  assert.equal(m.getU16(MD_MARKER.reason), ClearReason.RECONNECT);
  assert.equal(m.getI64(MD_MARKER.recvTimeNs), 123n);
  assert.equal(m.isIdUndef(MD_MARKER.seq), true);
});

test('a full ring with a stalled consumer: the writer waits its bound, then drops and counts; too large for the ring: dropped at once', () => {
  const ring = SpscRing.create({ capacity: 16 });
  const w = new MdRingWriter(ring, 'backoff', decoder, DecodeStatus.NEED_SPACE, 40);
  assert.equal(w.writeFrame(depth(1, 10), 1n), 10);
  const t0 = performance.now();
  assert.equal(w.writeFrame(depth(2, 10), 2n), MdWrite.DROPPED_TIMEOUT);
  assert.ok(performance.now() - t0 >= 39);
  assert.deepEqual(w.counters, { ringFull: 1, droppedTimeout: 1, droppedTooSmall: 0 });
  assert.equal(ring.stats().published, 10, 'nothing of the dropped message was published');
  assert.equal(w.writeFrame(depth(3, 17), 3n), MdWrite.DROPPED_TOO_SMALL);
  assert.equal(w.counters.droppedTooSmall, 1);
  assert.equal(w.writeFrame(depth(4, 6), 4n), 6, 'what fits still goes in');
});

test('a slow consumer in another thread: every message arrives, the writer waited (block strategy)', async () => {
  const ring = SpscRing.create({ capacity: 32 });
  const w = new MdRingWriter(ring, 'block', decoder, DecodeStatus.NEED_SPACE, 5000);
  const consumer = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     import(workerData.ringModule).then(({ SpscRing, RingStatus }) => {
       const c = SpscRing.attach(workerData.buffer).consumer('block');
       const sleep = new Int32Array(new SharedArrayBuffer(4));
       let events = 0, last = 0, inOrder = true;
       for (;;) {
         Atomics.wait(sleep, 0, 0, 1);
         const n = c.poll((view, at) => { const u = Number(view.getBigUint64(at + 8, true)); if (u < last) inOrder = false; last = u; events++; }, 8);
         if (n === RingStatus.CLOSED) break;
       }
       parentPort.postMessage({ events, last, inOrder });
     });`,
    { eval: true, workerData: { buffer: ring.buffer, ringModule: new URL('../../src/core/ring/index.js', import.meta.url).href } },
  );
  const done = new Promise<{ events: number; last: number; inOrder: boolean }>((resolve, reject) => {
    consumer.once('message', resolve);
    consumer.once('error', reject);
  });
  for (let i = 1; i <= 200; i++) assert.equal(w.writeFrame(depth(i, 1 + (i % 7)), BigInt(i)), 1 + (i % 7));
  ring.close();
  const r = await done;
  let expected = 0;
  for (let i = 1; i <= 200; i++) expected += 1 + (i % 7);
  assert.deepEqual(r, { events: expected, last: 200, inOrder: true });
  assert.ok(w.counters.ringFull > 0, 'it had to wait');
  assert.equal(w.counters.droppedTimeout, 0);
});
