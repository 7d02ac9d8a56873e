import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedBookWriter } from '../../src/book/shared-book-writer.js';
import { SharedBookReader } from '../../src/book/shared-book-reader.js';
import { BookLevels, TopOfBook } from '../../src/book/book-levels.js';
import { BookFlag } from '../../src/book/book-descriptor.js';
import { Side } from '../../src/book/side.js';
import { BinanceBookSync, type BookSyncOptions } from '../../src/book/sync/binance-book-sync.js';
import { DiffRoute, SnapshotReason, SyncState, type BookSyncListener } from '../../src/book/sync/sync-types.js';
import { parseDecimal } from '../../src/core/fixed/decimal.js';
import { DiffBuffer } from '../../src/book/sync/diff-buffer.js';
import { scenario } from './fixtures.js';

type Action = ['snapshot', SnapshotReason] | ['gap', number, number] | ['stale', number, number];

/** The real shared book plus a listener that records every action. */
function harness(options: Partial<BookSyncOptions> & Pick<BookSyncOptions, 'market'>) {
  const writer = new SharedBookWriter({ maxLevels: 64 });
  const reader = new SharedBookReader(writer.buffer);
  const actions: Action[] = [];
  const listener: BookSyncListener = {
    requestSnapshot: (r) => actions.push(['snapshot', r]),
    gap: (e, r) => actions.push(['gap', e, r]),
    dropStale: (f, l) => actions.push(['stale', f, l]),
  };
  const sync = new BinanceBookSync(writer, listener, options);
  type L = [Side, number, number];
  const diff = (U: number, u: number, levels: L[] = [], pu = -1): DiffRoute => {
    const route = sync.beginDiff(U, u, pu, 1000 + u);
    for (const [s, p, q] of levels) sync.level(s, p, q);
    sync.endDiff();
    return route;
  };
  const snapshot = (id: number, bids: Array<[number, number]> = [[100, 1]], asks: Array<[number, number]> = [[101, 1]]): boolean => {
    if (!sync.beginSnapshot(id)) return false;
    for (const [p, q] of bids) sync.snapshotLevel(Side.BID, p, q);
    for (const [p, q] of asks) sync.snapshotLevel(Side.ASK, p, q);
    sync.endSnapshot();
    return true;
  };
  const top = (): TopOfBook => {
    const t = new TopOfBook();
    assert.ok(reader.readBest(t));
    return t;
  };
  const take = (): Action[] => actions.splice(0);
  return { writer, reader, sync, diff, snapshot, top, take };
}

const B = Side.BID;
const A = Side.ASK;

for (const name of ['spot', 'usdm'] as const) {
  test(`${name} fixture scenario, message by message: each event gets the documented verdict`, () => {
    const sc = scenario(name);
    const h = harness({ market: name });
    const scale = name === 'spot' ? 4 : 1;
    const lv = (side: Side, ls: unknown): Array<[Side, number, number]> =>
      (ls as [string, string][]).map(([p, q]) => [side, Number(parseDecimal(p, scale)), Number(parseDecimal(q, 3))]);
    const events = sc.events;
    // The first event arrives before the snapshot: buffered, and it triggers the request.
    const first = events[0]!.msg;
    assert.equal(h.diff(first.U, first.u, [...lv(B, first['b']), ...lv(A, first['a'])], first.pu ?? -1), DiffRoute.BUFFER);
    assert.deepEqual(h.take(), [['snapshot', SnapshotReason.INITIAL]]);
    assert.ok(h.snapshot(sc.snapshot.lastUpdateId, lv(B, sc.snapshot.bids).map(([, p, q]) => [p, q]), lv(A, sc.snapshot.asks).map(([, p, q]) => [p, q])));
    for (let i = 0; i < events.length; i++) {
      const { msg, expect } = events[i]!;
      if (i > 0) {
        const route = h.diff(msg.U, msg.u, [...lv(B, msg['b']), ...lv(A, msg['a'])], msg.pu ?? -1);
        if (expect.startsWith('apply')) assert.equal(route, DiffRoute.BOOK, expect);
        if (expect.startsWith('gap')) assert.equal(route, DiffRoute.BUFFER, expect);
      }
      const acts = h.take();
      if (expect.startsWith('drop')) assert.deepEqual(acts, [['stale', msg.U, msg.u]], expect);
      if (expect.startsWith('apply')) {
        assert.deepEqual(acts, [], expect);
        assert.equal(h.top().valid, true);
        assert.equal(h.top().lastUpdateId, msg.u);
      }
      if (expect.startsWith('gap')) {
        const last = events[i - 1]!.msg.u;
        const want: Action = name === 'spot' ? ['gap', last + 1, msg.U] : ['gap', last, msg.pu!];
        assert.deepEqual(acts, [want, ['snapshot', SnapshotReason.GAP]], expect);
        const t = h.top();
        assert.equal(t.valid, false);
        assert.equal(t.lastUpdateId, sc.expected_book_before_gap.lastUpdateId);
        assert.equal(h.sync.state, SyncState.RESYNCING);
      }
    }
  });
}

test('spot: a gap invalidates at once, and a fresh snapshot plus the buffered diffs makes the book valid again', () => {
  const h = harness({ market: 'spot' });
  h.diff(10, 12);
  h.snapshot(11);
  assert.equal(h.sync.state, SyncState.LIVE);
  assert.equal(h.diff(13, 15, [[B, 99, 2]]), DiffRoute.BOOK);
  h.take();
  const v = h.reader.version();
  assert.equal(h.diff(17, 18, [[B, 98, 3]]), DiffRoute.BUFFER); // expected U = 16
  assert.deepEqual(h.take(), [['gap', 16, 17], ['snapshot', SnapshotReason.GAP]]);
  assert.ok(h.reader.version() > v, 'invalid state published');
  assert.equal(h.top().valid, false);
  assert.equal(h.diff(19, 20, [[A, 102, 4]]), DiffRoute.BUFFER);
  assert.ok(h.snapshot(18, [[100, 5], [98, 3]], [[101, 1]]));
  assert.equal(h.sync.state, SyncState.LIVE);
  const t = h.top();
  assert.equal(t.valid, true);
  assert.equal(t.lastUpdateId, 20);
  const view = new BookLevels(8);
  assert.ok(h.reader.readTop(8, view));
  assert.deepEqual(view.toArrays().asks, [[101n, 1n], [102n, 4n]]);
  assert.deepEqual(h.take(), [['stale', 17, 18]]);
});

test('spot: U past prev u + 1 is a gap; a diff overlapping the book id is applied', () => {
  const h = harness({ market: 'spot' });
  h.diff(1, 5);
  h.snapshot(5);
  h.take();
  assert.equal(h.diff(6, 9), DiffRoute.BOOK);
  assert.equal(h.diff(8, 12), DiffRoute.BOOK, 'U <= id + 1 < u: overlapping diff is applied (absolute quantities)');
  assert.equal(h.diff(14, 15), DiffRoute.BUFFER);
  assert.deepEqual(h.take(), [['gap', 13, 14], ['snapshot', SnapshotReason.GAP]]);
});

test('usdm: continuity is pu == previous u only; U may jump; a broken pu is a gap even if U looks contiguous', () => {
  const h = harness({ market: 'usdm' });
  h.diff(95, 105, [], 90);
  h.snapshot(100);
  h.take();
  assert.equal(h.sync.state, SyncState.LIVE);
  assert.equal(h.diff(200, 210, [], 105), DiffRoute.BOOK);
  assert.equal(h.diff(211, 220, [], 209), DiffRoute.BUFFER);
  assert.deepEqual(h.take(), [['gap', 210, 209], ['snapshot', SnapshotReason.GAP]]);
  assert.equal(h.top().valid, false);
});

test('usdm: a repeated diff fails the pu check (no ignore rule in the docs)', () => {
  const h = harness({ market: 'usdm' });
  h.diff(95, 105, [], 90);
  h.snapshot(100);
  h.diff(106, 110, [], 105);
  assert.equal(h.diff(106, 110, [], 105), DiffRoute.BUFFER);
  assert.equal(h.sync.counters().gaps, 1);
});

test('spot: stale diffs in LIVE are dropped without a publish', () => {
  const h = harness({ market: 'spot' });
  h.diff(1, 5);
  h.snapshot(5);
  h.diff(6, 9, [[B, 100, 7]]);
  h.take();
  const v = h.reader.version();
  assert.equal(h.diff(3, 9, [[B, 100, 1]]), DiffRoute.DROP);
  assert.deepEqual(h.take(), [['stale', 3, 9]]);
  assert.equal(h.reader.version(), v);
  assert.equal(h.top().bidQty, 7);
  assert.equal(h.top().valid, true);
});

test('spot first-event rule: drop u <= lastUpdateId, accept U <= lastUpdateId + 1 <= u (edge U == id + 1 included)', () => {
  for (const [U, u, verdict] of [
    [90, 100, 'stale'],
    [95, 105, 'apply'],
    [101, 105, 'apply'],
    [102, 105, 'too-old'],
  ] as const) {
    const h = harness({ market: 'spot' });
    h.diff(U, u, [[B, 100, 9]]);
    h.take();
    h.snapshot(100);
    const acts = h.take();
    if (verdict === 'stale') {
      assert.deepEqual(acts, [['stale', U, u]]);
      assert.equal(h.sync.state, SyncState.BRIDGING);
      assert.equal(h.top().valid, false, 'not valid before a diff bridges the snapshot');
    } else if (verdict === 'apply') {
      assert.deepEqual(acts, []);
      assert.equal(h.sync.state, SyncState.LIVE);
      assert.equal(h.top().valid, true);
      assert.equal(h.top().bidQty, 9);
    } else {
      assert.deepEqual(acts, [['snapshot', SnapshotReason.SNAPSHOT_TOO_OLD]]);
      assert.equal(h.sync.state, SyncState.RESYNCING);
      assert.equal(h.top().valid, false);
      assert.equal(h.sync.bufferedMessages, 1, 'the diff is kept for the next snapshot');
    }
  }
});

test('usdm first-event rule: drop u < lastUpdateId, accept U <= lastUpdateId <= u, else too old', () => {
  for (const [U, u, verdict] of [
    [990, 999, 'stale'],
    [990, 1000, 'apply'],
    [1000, 1010, 'apply'],
    [1001, 1010, 'too-old'],
  ] as const) {
    const h = harness({ market: 'usdm' });
    h.diff(U, u, [], 1);
    h.take();
    h.snapshot(1000);
    const acts = h.take();
    if (verdict === 'stale') assert.deepEqual(acts, [['stale', U, u]]);
    else if (verdict === 'apply') assert.equal(h.sync.state, SyncState.LIVE);
    else assert.deepEqual(acts, [['snapshot', SnapshotReason.SNAPSHOT_TOO_OLD]]);
  }
});

test('snapshot too old while bridging a live diff: refetch, and the next snapshot completes the sync', () => {
  const h = harness({ market: 'spot' });
  h.snapshot(50); // arrives before any diff (buffer empty): loaded, waiting for a bridging diff
  assert.equal(h.sync.state, SyncState.BRIDGING);
  assert.equal(h.diff(60, 62), DiffRoute.BUFFER);
  assert.deepEqual(h.take(), [['snapshot', SnapshotReason.SNAPSHOT_TOO_OLD]]);
  assert.equal(h.diff(63, 64, [[A, 105, 1]]), DiffRoute.BUFFER);
  assert.ok(h.snapshot(62));
  assert.equal(h.sync.state, SyncState.LIVE);
  assert.equal(h.top().lastUpdateId, 64);
  assert.equal(h.sync.counters().tooOld, 1);
});

test('diff buffer overflow (messages or levels): buffer dropped, counted, resync from the next diff', () => {
  const h = harness({ market: 'spot', maxBufferedMessages: 3, maxBufferedLevels: 4 });
  h.diff(1, 1);
  h.diff(2, 2);
  h.diff(3, 3);
  assert.equal(h.diff(4, 4), DiffRoute.DROP);
  assert.equal(h.sync.counters().overflows, 1);
  assert.equal(h.sync.bufferedMessages, 0);
  assert.equal(h.diff(5, 5, [[B, 99, 1], [B, 98, 1], [B, 97, 1]]), DiffRoute.BUFFER);
  assert.equal(h.diff(6, 6, [[B, 96, 1], [B, 95, 1]]), DiffRoute.BUFFER); // 5 levels > 4
  assert.equal(h.sync.counters().overflows, 2);
  assert.equal(h.sync.bufferedMessages, 0);
  assert.deepEqual(h.take(), [['snapshot', SnapshotReason.INITIAL]], 'one request stays outstanding');
  // The outstanding snapshot answers: older than the buffer restarted at 7, so refetch.
  h.diff(7, 7);
  h.snapshot(2);
  assert.deepEqual(h.take(), [['snapshot', SnapshotReason.SNAPSHOT_TOO_OLD]]);
  h.snapshot(6);
  assert.equal(h.sync.state, SyncState.LIVE);
});

test('a crossed book after a diff is published invalid (CROSSED) and resynced', () => {
  const h = harness({ market: 'spot' });
  h.diff(1, 1);
  h.snapshot(1, [[100, 1]], [[103, 1]]);
  h.diff(2, 2, [[B, 102, 1]]);
  assert.equal(h.top().valid, true);
  h.take();
  h.diff(3, 3, [[B, 103, 1]]);
  const view = new BookLevels(4);
  assert.ok(h.reader.readTop(4, view));
  assert.equal(view.valid, false);
  assert.equal(view.flags & BookFlag.CROSSED, BookFlag.CROSSED);
  assert.equal(h.sync.state, SyncState.RESYNCING);
  assert.equal(h.diff(4, 4), DiffRoute.BUFFER);
  assert.deepEqual(h.take(), [['snapshot', SnapshotReason.CROSSED]]);
  assert.equal(h.sync.counters().crossed, 1);
});

test('malformed header or an unstorable level invalidates and resyncs', () => {
  const h = harness({ market: 'spot' });
  h.diff(1, 1);
  h.snapshot(1);
  h.take();
  assert.equal(h.diff(5, 3), DiffRoute.DROP, 'U > u');
  assert.equal(h.top().valid, false);
  assert.equal(h.sync.state, SyncState.RESYNCING);
  h.diff(6, 6);
  assert.deepEqual(h.take(), [['snapshot', SnapshotReason.BAD_MESSAGE]]);
  h.snapshot(6);
  assert.equal(h.diff(7, 7, [[B, 2 ** 53, 1]]), DiffRoute.BOOK);
  assert.equal(h.top().valid, false);
  assert.equal(h.sync.counters().badMessages, 2);
  const usdm = harness({ market: 'usdm' });
  assert.equal(usdm.diff(1, 2, [], Number.NaN), DiffRoute.DROP, 'USD-M needs pu');
  // A bad level in a buffered diff drops the buffer (it could not be applied later).
  const b = harness({ market: 'spot' });
  b.diff(1, 1);
  b.diff(2, 2, [[B, 100.5, 1]]);
  assert.equal(b.sync.bufferedMessages, 0);
  assert.equal(b.sync.counters().badMessages, 1);
  b.diff(3, 3);
  b.snapshot(2);
  assert.equal(b.sync.state, SyncState.LIVE);
});

test('a stream stuck on already-applied ids is resynced after maxConsecutiveStale drops', () => {
  const h = harness({ market: 'spot', maxConsecutiveStale: 3 });
  h.diff(1, 10);
  h.snapshot(10);
  h.diff(11, 20);
  h.take();
  for (let i = 0; i < 3; i++) assert.equal(h.diff(1, 2), DiffRoute.DROP);
  assert.equal(h.top().valid, true);
  assert.equal(h.diff(1, 2), DiffRoute.DROP);
  assert.equal(h.top().valid, false);
  h.diff(21, 22);
  assert.deepEqual(h.take().at(-1), ['snapshot', SnapshotReason.STALE_STREAM]);
});

test('stream reset, failed snapshot and unexpected snapshots', () => {
  const h = harness({ market: 'spot' });
  h.diff(1, 1);
  h.snapshot(1);
  assert.equal(h.snapshot(1), false, 'a snapshot while LIVE is ignored');
  assert.equal(h.sync.counters().unexpectedSnapshots, 1);
  h.take();
  h.sync.streamReset();
  assert.equal(h.top().valid, false);
  h.diff(500, 501);
  assert.deepEqual(h.take(), [['snapshot', SnapshotReason.STREAM_RESET]]);
  h.sync.snapshotFailed();
  assert.deepEqual(h.take(), [['snapshot', SnapshotReason.SNAPSHOT_FAILED]]);
  h.snapshot(500);
  assert.equal(h.sync.state, SyncState.LIVE);
});

test('a gap inside the buffer restarts the buffer at the diff that broke it', () => {
  const h = harness({ market: 'spot' });
  h.diff(10, 11);
  h.diff(12, 13);
  h.diff(20, 21);
  assert.equal(h.sync.bufferedMessages, 1);
  assert.deepEqual(h.take(), [['snapshot', SnapshotReason.INITIAL], ['gap', 14, 20]]);
  h.snapshot(19);
  assert.equal(h.sync.state, SyncState.LIVE);
  assert.equal(h.top().lastUpdateId, 21);
});

test('diff buffer: FIFO with partial consumption, compaction keeps an open message intact, full is a false return', () => {
  const buf = new DiffBuffer(3, 6);
  const add = (id: number, levels: number): boolean => {
    if (!buf.open(id, id + 1, id - 1, id * 10)) return false;
    for (let k = 0; k < levels; k++) if (!buf.push(k % 2, 1000 + id * 10 + k, 2 ** 40 + k)) return false;
    buf.close();
    return true;
  };
  assert.ok(add(1, 2));
  assert.ok(add(3, 2));
  assert.ok(add(5, 1));
  assert.equal(buf.open(7, 8, 6, 0), false, 'message table full');
  buf.consume(2);
  assert.equal(buf.size, 1);
  assert.equal(buf.firstId(0), 5);
  // Opening compacts; the new message's levels then fit beside the kept one.
  assert.ok(buf.open(7, 8, 6, 70));
  for (let k = 0; k < 4; k++) assert.ok(buf.push(1, 2000 + k, 5));
  buf.close();
  assert.equal(buf.size, 2);
  assert.deepEqual([buf.firstId(0), buf.finalId(0), buf.prevFinalId(0), buf.time(0)], [5, 6, 4, 50]);
  assert.deepEqual([buf.levelStart(0), buf.levelEnd(0)], [0, 1]);
  assert.deepEqual([buf.levelSide(0), buf.levelPrice(0), buf.levelQty(0)], [0, 1050, 2 ** 40]);
  assert.deepEqual([buf.levelStart(1), buf.levelEnd(1)], [1, 5]);
  assert.equal(buf.levelPrice(4), 2003);
  assert.equal(buf.lastFinalId(), 8);
  // Levels full: one free slot left, the second push fails.
  assert.ok(buf.open(9, 9, 8, 0));
  assert.ok(buf.push(0, 1, 1));
  assert.equal(buf.push(0, 2, 1), false);
  buf.abandon();
  assert.equal(buf.size, 2);
  // Compaction while a message is open moves its header too.
  buf.consume(1);
  assert.ok(buf.open(11, 12, 8, 110));
  assert.ok(buf.push(0, 7, 7));
  assert.ok(buf.push(0, 8, 8)); // level store was full up to 5: this compacts
  buf.close();
  assert.deepEqual([buf.firstId(1), buf.finalId(1), buf.time(1), buf.levelStart(1), buf.levelEnd(1)], [11, 12, 110, 4, 6]);
  assert.equal(buf.levelPrice(5), 8);
});

test('property: any diff/snapshot sequence publishes at most once per message, and valid only in LIVE', async () => {
  const fc = (await import('fast-check')).default;
  const step = fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('diff' as const), skip: fc.integer({ min: -3, max: 3 }), len: fc.integer({ min: 0, max: 4 }), px: fc.integer({ min: 90, max: 110 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('snapshot' as const), back: fc.integer({ min: -5, max: 5 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('reset' as const) }) },
  );
  for (const market of ['spot', 'usdm'] as const) {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const h = harness({ market, maxBufferedMessages: 8 });
        let u = 100;
        for (const s of steps) {
          const v0 = h.reader.version();
          if (s.kind === 'diff') {
            // skip 0 continues the stream; others jump or repeat ids
            const U = Math.max(1, u + 1 + s.skip);
            const final = U + s.len;
            const pu = s.skip === 0 ? u : u + s.skip;
            h.diff(U, final, [[s.px % 2 === 0 ? B : A, s.px % 2 === 0 ? s.px - 20 : s.px + 20, s.len]], pu);
            u = Math.max(u, final);
          } else if (s.kind === 'snapshot') {
            h.snapshot(Math.max(1, u + s.back), [[50, 1]], [[150, 1]]);
          } else {
            h.sync.streamReset();
          }
          const dv = h.reader.version() - v0;
          assert.ok(dv === 0 || dv === 2, `version moved by ${dv}`);
          if (h.top().valid) assert.equal(h.sync.state, SyncState.LIVE);
        }
      }),
      { numRuns: 300 },
    );
  }
});
