import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replayBook } from '../../src/book/replay/replay-book.js';
import { BookError } from '../../src/book/errors.js';
import { fixtureText, scenario } from './fixtures.js';

for (const name of ['spot', 'usdm'] as const) {
  const sc = scenario(name);
  const venue = name === 'spot' ? 'binance' : 'binance-usdm';
  const messages = sc.events.map((e) => JSON.stringify(e.msg));
  const gapIndex = sc.events.findIndex((e) => e.expect.startsWith('gap'));

  test(`${name} scenario: the book before the gap is exactly the fixture's, then invalid with one gap`, () => {
    const r = replayBook({ venue, snapshot: JSON.stringify(sc.snapshot), messages });
    const want = sc.expected_book_before_gap;
    assert.equal(r.symbol, sc.events[0]!.msg['s']);
    assert.equal(r.lastUpdateId, want.lastUpdateId);
    assert.deepEqual(r.bids, want.bids);
    assert.deepEqual(r.asks, want.asks);
    assert.equal(r.valid, false);
    assert.equal(r.state, 'resyncing');
    const gapMsg = sc.events[gapIndex]!.msg;
    assert.deepEqual(r.gaps, [
      name === 'spot'
        ? { messageIndex: gapIndex, expected: want.lastUpdateId + 1, received: gapMsg.U }
        : { messageIndex: gapIndex, expected: want.lastUpdateId, received: gapMsg.pu },
    ]);
    assert.deepEqual(r.snapshotRequests, ['initial', 'gap']);
    assert.equal(r.counters.stale, sc.events.filter((e) => e.expect.startsWith('drop')).length);
    assert.equal(r.counters.applied, sc.events.filter((e) => e.expect.startsWith('apply')).length);
  });

  test(`${name} scenario without the gap message: valid at the same book`, () => {
    const r = replayBook({ venue, snapshot: JSON.stringify(sc.snapshot), messages: messages.slice(0, gapIndex) });
    assert.equal(r.valid, true);
    assert.equal(r.state, 'live');
    assert.equal(r.lastUpdateId, sc.expected_book_before_gap.lastUpdateId);
    assert.deepEqual(r.bids, sc.expected_book_before_gap.bids);
    assert.deepEqual(r.asks, sc.expected_book_before_gap.asks);
    assert.deepEqual(r.gaps, []);
  });

  test(`${name} scenario in combined-stream form gives the same result`, () => {
    const combined = sc.events.map((e) => JSON.stringify({ stream: `${String(e.msg['s']).toLowerCase()}@depth@100ms`, data: e.msg }));
    const a = replayBook({ venue, snapshot: JSON.stringify(sc.snapshot), messages });
    const b = replayBook({ venue, snapshot: JSON.stringify(sc.snapshot), messages: combined });
    assert.deepEqual(b, a);
  });
}

test('documented REST snapshot and diff examples: the diff is older than the snapshot, the book is the snapshot, not yet valid', () => {
  const r = replayBook({
    venue: 'binance',
    snapshot: fixtureText('binance/spot_rest_depth_response.stripped.json'),
    messages: [fixtureText('binance/spot_ws_diff_depth_depthUpdate.stripped.json')],
  });
  assert.equal(r.lastUpdateId, 1027024);
  assert.deepEqual(r.bids, [['4.00000000', '431.00000000']]);
  assert.deepEqual(r.asks, [['4.00000200', '12.00000000']]);
  assert.equal(r.valid, false);
  assert.equal(r.state, 'bridging');
  assert.equal(r.counters.stale, 1);
  assert.equal(r.priceScale, 8);
});

test('a snapshot older than the first diff is reported as too old, and the book stays invalid', () => {
  const sc = scenario('spot');
  const r = replayBook({
    venue: 'binance',
    snapshot: JSON.stringify({ ...sc.snapshot, lastUpdateId: 150 }),
    messages: sc.events.slice(1, 3).map((e) => JSON.stringify(e.msg)),
  });
  assert.equal(r.valid, false);
  assert.deepEqual(r.snapshotRequests, ['initial', 'snapshot-too-old']);
  assert.equal(r.counters.tooOld, 1);
});

test('other events on the stream are skipped and counted', () => {
  const sc = scenario('spot');
  const messages = sc.events.slice(0, 3).map((e) => JSON.stringify(e.msg));
  messages.splice(1, 0, JSON.stringify({ stream: '!serverShutdown', data: { e: 'serverShutdown', E: 1 } }));
  const r = replayBook({ venue: 'binance', snapshot: JSON.stringify(sc.snapshot), messages });
  assert.equal(r.valid, true);
  assert.equal(r.counters.skippedMessages, 1);
});

test('bad input fails with a stable code naming the place', () => {
  const sc = scenario('spot');
  const snap = JSON.stringify(sc.snapshot);
  const cases: Array<[() => unknown, string, RegExp]> = [
    [() => replayBook({ venue: 'binance', snapshot: '{"lastUpdateId":', messages: [] }), 'BOOK_REPLAY_INPUT', /depth snapshot: not JSON/],
    [() => replayBook({ venue: 'binance', snapshot: '{"lastUpdateId":1e300,"bids":[],"asks":[]}', messages: [] }), 'BOOK_REPLAY_INPUT', /lastUpdateId/],
    [() => replayBook({ venue: 'binance', snapshot: snap, messages: ['[1]'] }), 'BOOK_REPLAY_INPUT', /message 0/],
    [
      () => replayBook({ venue: 'binance', snapshot: snap, messages: [JSON.stringify({ ...sc.events[1]!.msg, b: [['1e-3', '1']] })] }),
      'BOOK_REPLAY_VALUE',
      /message 0 b\[0\] price/,
    ],
    [
      () => replayBook({ venue: 'binance', snapshot: snap, messages: [JSON.stringify(sc.events[1]!.msg), JSON.stringify({ ...sc.events[2]!.msg, s: 'ETHBTC' })] }),
      'BOOK_REPLAY_INPUT',
      /symbol ETHBTC/,
    ],
    [() => replayBook({ venue: 'kraken' as 'binance', snapshot: snap, messages: [] }), 'BOOK_REPLAY_INPUT', /venue/],
  ];
  for (const [fn, code, message] of cases) {
    assert.throws(fn, (e: unknown) => e instanceof BookError && e.code === code && message.test(e.message));
  }
});
