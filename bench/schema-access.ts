/**
 * Cost of writing and reading 64-byte market-data events through EventBuffer, the way a
 * decoder and the book worker do: fill a level event, then read it back, compare its
 * price with the best price and copy price/qty into a book slot. Raced against the same
 * work done with bigint values (BigInt64Array get/set), which is what the word-level
 * helpers exist to avoid. Reports ns per event and bytes allocated per event.
 *
 *   node --expose-gc dist/bench/schema-access.js [--ci]
 */
import { EventBuffer, EventType, MD_LEVEL, MdFlag, Source } from '../src/core/schema/index.js';
import { allocationPerOp, stopAllocationObserver } from './lib/alloc.js';
import { isCiRun, markdownTable, writeResults } from './lib/results.js';

const ci = isCiRun();
const EVENTS = ci ? 2_000_000 : 20_000_000;
const ROUNDS = ci ? 3 : 7;
const ALLOC_EVENTS = 200_000;
const SLOTS = 1024; // a ring-sized region: 64 KiB
const MASK = SLOTS - 1;

if (!(globalThis as { gc?: unknown }).gc) {
  console.error('run with --expose-gc');
  process.exit(2);
}

const { type: TYPE, source: SOURCE, flags: FLAGS, instrument: INSTRUMENT, seq: SEQ } = MD_LEVEL;
const { exchTimeNs: EXCH, recvTimeNs: RECV, price: PRICE, qty: QTY } = MD_LEVEL;

const ring = new EventBuffer(new SharedArrayBuffer(SLOTS * 64));
const book = new EventBuffer(new SharedArrayBuffer(64 * 64));
const clock = new EventBuffer(new SharedArrayBuffer(64));
clock.setI64Number(0, 1_700_000_000_123_456); // a receive stamp, copied as words
const BEST = 0; // best price lives in book slot 0
book.setI64Number(BEST, 6_500_000_000_000);

let sink = 0;

/** Words path: numbers and 32-bit halves only. */
function viaWords(n: number): void {
  for (let i = 0; i < n; i++) {
    const at = (i & MASK) << 6;
    ring.setU8(at + TYPE, (i & 1) === 0 ? EventType.LEVEL_BID : EventType.LEVEL_ASK);
    ring.setU8(at + SOURCE, Source.VENUE_STREAM);
    ring.setU16(at + FLAGS, (i & 15) === 15 ? MdFlag.BID_BATCH_END : MdFlag.BUY);
    ring.setU32(at + INSTRUMENT, 7);
    ring.setI64Number(at + SEQ, 1_000_000 + i);
    ring.setI64Number(at + EXCH, 1_700_000_000_000_000 + i);
    clock.copyI64(0, at + RECV, ring);
    ring.setI64Number(at + PRICE, 6_500_000_000_000 + (i & 255) * 100);
    ring.setI64Number(at + QTY, 1_000_000 + (i & 1023));
  }
  for (let i = 0; i < n; i++) {
    const at = (i & MASK) << 6;
    if (ring.getU8(at + TYPE) !== EventType.LEVEL_BID) continue;
    const dst = (ring.getU32(at + INSTRUMENT) & 63) << 6;
    ring.copyI64(at + PRICE, dst + 8, book);
    ring.copyI64(at + QTY, dst + 16, book);
    // Comparing across buffers goes through the book copy.
    if (book.compareI64(dst + 8, BEST) > 0) sink++;
    sink += ring.diffI64(at + RECV, at + EXCH) > 0 ? 1 : 0;
  }
}

/** Bigint path: the same fields as bigint values. */
function viaBigint(n: number): void {
  for (let i = 0; i < n; i++) {
    const at = (i & MASK) << 6;
    ring.setU8(at + TYPE, (i & 1) === 0 ? EventType.LEVEL_BID : EventType.LEVEL_ASK);
    ring.setU8(at + SOURCE, Source.VENUE_STREAM);
    ring.setU16(at + FLAGS, (i & 15) === 15 ? MdFlag.BID_BATCH_END : MdFlag.BUY);
    ring.setU32(at + INSTRUMENT, 7);
    ring.setU64(at + SEQ, BigInt(1_000_000 + i));
    ring.setI64(at + EXCH, BigInt(1_700_000_000_000_000 + i));
    ring.setI64(at + RECV, clock.getI64(0));
    ring.setI64(at + PRICE, BigInt(6_500_000_000_000 + (i & 255) * 100));
    ring.setI64(at + QTY, BigInt(1_000_000 + (i & 1023)));
  }
  const best = book.getI64(BEST);
  for (let i = 0; i < n; i++) {
    const at = (i & MASK) << 6;
    if (ring.getU8(at + TYPE) !== EventType.LEVEL_BID) continue;
    const dst = (ring.getU32(at + INSTRUMENT) & 63) << 6;
    const price = ring.getI64(at + PRICE);
    book.setI64(dst + 8, price);
    book.setI64(dst + 16, ring.getI64(at + QTY));
    if (price > best) sink++;
    sink += ring.getI64(at + RECV) - ring.getI64(at + EXCH) > 0n ? 1 : 0;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function nsPerEvent(body: (n: number) => void): number {
  body(200_000);
  const runs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    body(EVENTS);
    runs.push(Number(process.hrtime.bigint() - t0) / EVENTS);
  }
  return median(runs);
}

const wordsNs = nsPerEvent(viaWords);
const bigintNs = nsPerEvent(viaBigint);
const words = await allocationPerOp(viaWords, ALLOC_EVENTS);
const bigint = await allocationPerOp(viaBigint, ALLOC_EVENTS);
stopAllocationObserver();
const wordsBytes = words.bytes;
const bigintBytes = bigint.bytes;
console.log(
  `words: ${wordsNs.toFixed(1)} ns/event, ${wordsBytes.toFixed(3)} B/event (${words.gcs} GCs); ` +
    `bigint: ${bigintNs.toFixed(1)} ns/event, ${bigintBytes.toFixed(1)} B/event (${bigint.gcs} GCs) (sink ${sink > 0})`,
);

const entries = writeResults('schema-access', [
  {
    metric: 'level-event-write-read-throughput',
    unit: 'Mevents/s',
    value: 1e3 / wordsNs,
    baseline: { name: 'same work through bigint fields', value: 1e3 / bigintNs },
  },
  { metric: 'level-event-write-read-ns', unit: 'ns/event', value: wordsNs, baseline: null },
  {
    metric: 'level-event-alloc',
    unit: 'B/event',
    value: wordsBytes,
    baseline: { name: 'same work through bigint fields', value: bigintBytes },
    ratio: null,
  },
  { metric: 'level-event-alloc-gcs', unit: 'count', value: words.gcs, baseline: null },
]);
console.log(markdownTable(entries));
