/**
 * The book worker's duty cycle in one thread, on real parts: the native decoder writing
 * venue JSON into a real md ring, the core applying it to shared books, its output read
 * from the real book ring and control ring. One BOOK_CHANGED per venue message that
 * moved the book, with the right flags; GAP records; trades forwarded byte for byte;
 * snapshot requests with their reasons; a BOOK_CLEAR marker invalidating a book.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InstrumentRegistry } from '../../src/core/instruments/registry.js';
import { BroadcastRing } from '../../src/core/ring/broadcast-ring.js';
import { SpscRing } from '../../src/core/ring/spsc-ring.js';
import { LatencyHistogram } from '../../src/core/metrics/histogram.js';
import { BookFlag, ClearReason, ControlKind, EventType, Source } from '../../src/core/schema/constants.js';
import { EventBuffer } from '../../src/core/schema/event-buffer.js';
import { BOOK_CHANGED, MD_GAP, MD_TRADE } from '../../src/core/schema/offsets.js';
import { bookConfigForInstrument } from '../../src/book/book-config.js';
import { BookLevels } from '../../src/book/book-levels.js';
import { SharedBookReader } from '../../src/book/shared-book-reader.js';
import { SharedBookWriter } from '../../src/book/shared-book-writer.js';
import { SnapshotReason } from '../../src/book/sync/sync-types.js';
import { createDecoder, DecodeStatus } from '../../src/venues/binance/decode/index.js';
import { BookWorkerCore } from '../../src/md/book-worker-core.js';
import { BookStatsView, bookStatsBytes } from '../../src/md/book-stats.js';
import { MdRingWriter } from '../../src/md/md-ring-writer.js';
import { SnapshotRequestReader, SnapshotRequestWriter } from '../../src/md/snapshot-requests.js';

const registry = InstrumentRegistry.from([
  { venue: 'binance', symbol: 'BTCUSDT', venueSymbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001' },
  { venue: 'binance', symbol: 'ETHUSDT', venueSymbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', tickSize: '0.01', stepSize: '0.0001' },
]);
const BTC = registry.bySymbol('binance', 'BTCUSDT')!;
const ETH = registry.bySymbol('binance', 'ETHUSDT')!;

interface Out {
  type: number;
  source: number;
  flags: number;
  instrument: number;
  seq: bigint;
  raw: Uint8Array;
  ev: EventBuffer;
}

function setup() {
  const { decoder } = createDecoder({
    venue: 'binance',
    instruments: registry.all().map((i) => ({ venueSymbol: i.venueSymbol, instrumentId: i.id, priceScale: i.priceScale, qtyScale: i.qtyScale })),
  });
  const md = SpscRing.create({ capacity: 64 });
  const control = SpscRing.create({ capacity: 8 });
  const bookRing = BroadcastRing.create({ capacity: 64, consumers: 1 });
  const books = registry.all().map((inst) => {
    const config = bookConfigForInstrument(inst, { windowTicks: 1024 });
    return { instrumentId: inst.id, config, buffer: new SharedBookWriter(config).buffer };
  });
  const stats = new SharedArrayBuffer(bookStatsBytes(2));
  const latency = new LatencyHistogram();
  const core = new BookWorkerCore({
    syncKind: 'binance-spot',
    books,
    md: md.consumer('spin'),
    mdBuffer: md.buffer,
    bookRing: bookRing.producer(),
    bookRingBuffer: bookRing.buffer,
    requests: new SnapshotRequestWriter(control, 2),
    stats: new Float64Array(stats),
    metrics: { latency },
  });
  const writer = new MdRingWriter(md, 'spin', decoder, DecodeStatus.NEED_SPACE, 10);
  const out = bookRing.subscribe(0, 'spin');
  const requests = new SnapshotRequestReader(control);
  const outputs = (): Out[] => {
    const got: Out[] = [];
    out.poll((view, at) => {
      const raw = new Uint8Array(view.buffer, view.byteOffset + at, 64).slice();
      const ev = new EventBuffer(raw.buffer);
      got.push({ type: raw[0]!, source: raw[1]!, flags: ev.getU16(2), instrument: ev.getU32(4), seq: ev.getU64(BOOK_CHANGED.seq), raw, ev });
    });
    return got;
  };
  const asked = (): [number, number][] => {
    const list: [number, number][] = [];
    requests.drain((id, reason) => list.push([id, reason]));
    return list;
  };
  const readers = new Map(books.map((b) => [b.instrumentId, new SharedBookReader(b.buffer)]));
  const book = (id: number) => {
    const l = new BookLevels(100);
    assert.ok(readers.get(id)!.readFull(l));
    return { ...l.toArrays(), valid: l.valid, lastUpdateId: l.lastUpdateId };
  };
  let recv = 1_000_000n;
  const frame = (json: unknown): number => writer.writeFrame(Buffer.from(JSON.stringify(json)), (recv += 1000n));
  const snapshot = (id: number, json: unknown): number => writer.writeSnapshot(Buffer.from(JSON.stringify(json)), id, (recv += 1000n));
  return { core, writer, outputs, asked, book, frame, snapshot, stats: new BookStatsView(stats), latency };
}

const depth = (symbol: string, U: number, u: number, b: [string, string][], a: [string, string][]) => ({ e: 'depthUpdate', E: 1_700_000_000_000, s: symbol, U, u, b, a });

test('buffer, request, snapshot, bridge: one BOOK_CHANGED per message with the right flags', () => {
  const t = setup();
  assert.equal(t.frame(depth('BTCUSDT', 101, 102, [['100.00', '1.5']], [['101.00', '2']])), 2);
  assert.equal(t.core.poll(), 2);
  assert.deepEqual(t.outputs(), [], 'a buffered diff changes no book');
  assert.deepEqual(t.asked(), [[BTC.id, SnapshotReason.INITIAL]]);
  assert.equal(t.stats.row(BTC.id).state, 'awaiting-snapshot');

  const body = { lastUpdateId: 100, bids: [['100.00', '1'], ['99.00', '2']], asks: [['101.00', '1'], ['102.00', '3']] };
  assert.equal(t.snapshot(BTC.id, body), 6);
  t.core.poll();
  let out = t.outputs();
  assert.equal(out.length, 1);
  assert.equal(out[0]!.type, EventType.BOOK_CHANGED);
  assert.equal(out[0]!.source, Source.VENUE_SNAPSHOT);
  assert.equal(out[0]!.flags, BookFlag.VALID | BookFlag.SNAPSHOT | BookFlag.TOP_CHANGED);
  assert.equal(out[0]!.seq, 102n, 'the snapshot and the buffered diff it bridged');
  assert.equal(out[0]!.ev.getI64(BOOK_CHANGED.bidPrice), 10000n);
  assert.equal(out[0]!.ev.getI64(BOOK_CHANGED.askPrice), 10100n);
  assert.deepEqual(t.book(BTC.id), {
    bids: [[10000n, 150000n], [9900n, 200000n]],
    asks: [[10100n, 200000n], [10200n, 300000n]],
    valid: true,
    lastUpdateId: 102,
  });

  // Five levels, none at the top: one event, no TOP_CHANGED.
  t.frame(depth('BTCUSDT', 103, 107, [['99.00', '4'], ['98.00', '1'], ['97.00', '1']], [['102.00', '0'], ['103.00', '1']]));
  t.core.poll();
  out = t.outputs();
  assert.equal(out.length, 1);
  assert.equal(out[0]!.flags, BookFlag.VALID);
  assert.equal(out[0]!.source, Source.VENUE_STREAM);
  assert.equal(out[0]!.seq, 107n);
  const recv = out[0]!.ev.getI64(BOOK_CHANGED.recvTimeNs);
  assert.ok(recv > 1_000_000n, 'the receive stamp travels to the book event');
  assert.ok(t.latency.count >= 1);

  // A repeat is stale: nothing published.
  t.frame(depth('BTCUSDT', 103, 107, [['99.00', '4']], []));
  t.core.poll();
  assert.deepEqual(t.outputs(), []);
  assert.equal(t.stats.row(BTC.id).stale, 1);
  assert.equal(t.stats.row(BTC.id).messages, 4);
});

test('a gap: GAP(expected, received), then BOOK_CHANGED INVALID, and a snapshot request; trades pass through', () => {
  const t = setup();
  t.frame(depth('ETHUSDT', 11, 11, [['10.00', '1']], []));
  t.core.poll();
  t.asked();
  t.snapshot(ETH.id, { lastUpdateId: 10, bids: [['9.99', '1']], asks: [['10.01', '1']] });
  t.core.poll();
  t.outputs();
  t.frame(depth('ETHUSDT', 15, 16, [['9.98', '1']], []));
  const trade = { e: 'trade', E: 1_700_000_000_001, s: 'ETHUSDT', t: 77, p: '10.00', q: '0.5', T: 1_700_000_000_001, m: true };
  t.frame(trade);
  t.core.poll();
  const out = t.outputs();
  assert.deepEqual(
    out.map((o) => o.type),
    [EventType.GAP, EventType.BOOK_CHANGED, EventType.TRADE],
  );
  assert.equal(out[0]!.ev.getU64(MD_GAP.expectedSeq), 12n);
  assert.equal(out[0]!.ev.getU64(MD_GAP.receivedSeq), 15n);
  assert.equal(out[0]!.ev.getU64(MD_GAP.seq), 16n);
  assert.equal(out[1]!.flags & (BookFlag.VALID | BookFlag.INVALID), BookFlag.INVALID);
  assert.equal(out[2]!.ev.getI64(MD_TRADE.price), 1000n);
  assert.equal(out[2]!.ev.getU64(MD_TRADE.tradeId), 77n);
  assert.deepEqual(t.asked(), [[ETH.id, SnapshotReason.GAP]]);
  assert.equal(t.book(ETH.id).valid, false);
  const row = t.stats.row(ETH.id);
  assert.equal(row.gaps, 1);
  assert.equal(row.forwarded, 1);
  assert.equal(row.state, 'resyncing');
});

test('a BOOK_CLEAR marker (lost connection) invalidates a live book at once; the next diff asks for a snapshot', () => {
  const t = setup();
  t.frame(depth('BTCUSDT', 2, 2, [['100.00', '1']], []));
  t.core.poll();
  t.asked();
  t.snapshot(BTC.id, { lastUpdateId: 1, bids: [['99.00', '1']], asks: [['101.00', '1']] });
  t.core.poll();
  t.outputs();
  assert.equal(t.book(BTC.id).valid, true);
  assert.equal(t.writer.writeMarker(EventType.BOOK_CLEAR, BTC.id, ClearReason.RECONNECT, 5n), 1);
  t.core.poll();
  const out = t.outputs();
  assert.equal(out.length, 1);
  assert.equal(out[0]!.source, Source.ENGINE);
  assert.equal(out[0]!.flags & BookFlag.INVALID, BookFlag.INVALID);
  assert.equal(t.book(BTC.id).valid, false);
  t.frame(depth('BTCUSDT', 50, 51, [['100.00', '2']], []));
  t.core.poll();
  assert.deepEqual(t.asked(), [[BTC.id, SnapshotReason.STREAM_RESET]]);
  assert.equal(ControlKind.SNAPSHOT_REQUEST, 9);
});
