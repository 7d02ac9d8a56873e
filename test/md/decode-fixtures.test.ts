/**
 * Every Binance fixture decodes to the events computed by hand from the documented
 * message, on both decoders. Instruments (decode-corpus.ts): BNBBTC id 1 and BNBUSDT
 * id 2 at scales 8/8, btcusdt id 3 at 4/3, BTCUSD_200626 id 4 at 1/0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBuffer, readRecord, type RecordValues } from '../../src/core/schema/index.js';
import { DecodeStatus, MessageKind, type MdDecoder } from '../../src/venues/binance/decode/index.js';
import { fixture, scenario } from './decode-corpus.js';
import { DATA_OFFSET, canary, decodeOne, makePair, type Pair } from './decode-harness.js';

const UNDEF = 2n ** 64n - 1n;
const TIME_UNDEF = -(2n ** 63n);
const RECV = 1_234_567_890_123n;
const MS = 1_000_000n;

const spot = makePair('binance');
const usdm = makePair('binance-usdm');

function both(pair: Pair): [string, MdDecoder][] {
  return [
    ['native', pair.native],
    ['ts', pair.ts],
  ];
}

type Expected = { record: string; values: RecordValues };

function level(type: 1 | 2, values: RecordValues): Expected {
  return {
    record: 'MdLevel',
    values: { type, source: 1, recvTimeNs: RECV, prevSeq: UNDEF, ...values },
  };
}

interface ResultExpect {
  kind: number;
  status: number;
  instrument?: number;
  slots?: number;
  firstSeq?: bigint;
  seq?: bigint;
  prevSeq?: bigint;
  lastTradeId?: bigint;
  exchTimeNs?: bigint;
  txTimeNs?: bigint;
  requestId?: bigint;
}

function check(
  name: string,
  pair: Pair,
  input: Buffer,
  expected: Expected[],
  result: ResultExpect,
  snapshotOf?: number,
): void {
  for (const [impl, d] of both(pair)) {
    const at = { startPos: 62, freeSlots: 16, ...(snapshotOf !== undefined ? { snapshotOf } : {}) };
    const o = decodeOne(d, input, at, RECV);
    assert.equal(o.ret, result.status, `${name} (${impl}) returned ${o.ret}`);
    const buf = new EventBuffer(o.ring.buffer as SharedArrayBuffer);
    expected.forEach((e, i) => {
      const at = DATA_OFFSET + ((62 + i) % 64) * 64;
      assert.deepEqual(readRecord(buf, at, e.record), fullRecord(e), `${name} (${impl}) event ${i}`);
    });
    const r = d.result;
    const want: Required<ResultExpect> = {
      instrument: 0,
      slots: 0,
      firstSeq: UNDEF,
      seq: UNDEF,
      prevSeq: UNDEF,
      lastTradeId: UNDEF,
      exchTimeNs: TIME_UNDEF,
      txTimeNs: TIME_UNDEF,
      requestId: UNDEF,
      ...result,
    };
    const got = {
      kind: r.kind,
      status: r.status,
      instrument: r.instrument,
      slots: r.slots,
      firstSeq: r.firstSeq,
      seq: r.seq,
      prevSeq: r.prevSeq,
      lastTradeId: r.lastTradeId,
      exchTimeNs: r.exchTimeNs,
      txTimeNs: r.txTimeNs,
      requestId: r.requestId,
    };
    assert.deepEqual(got, want, `${name} (${impl}) result`);
    // Slots after the message are untouched.
    const after = DATA_OFFSET + ((62 + expected.length) % 64) * 64;
    assert.equal(o.ring[after], canary(after), `${name} (${impl}) wrote past its events`);
  }
}

/** Expected values with every other field of the record at its zero value. */
function fullRecord(e: Expected): RecordValues {
  const zero = readRecord(new EventBuffer(new ArrayBuffer(64)), 0, e.record);
  return { ...zero, ...e.values };
}

test('spot depthUpdate: one level event per price, bids then asks, last flagged BATCH_END', () => {
  const E = 1672515782136n * MS;
  const common = { instrument: 1, seq: 160n, exchTimeNs: E, firstSeq: 157n };
  check(
    'spot_ws_diff_depth_depthUpdate',
    spot,
    fixture('spot_ws_diff_depth_depthUpdate'),
    [
      level(1, { ...common, flags: 0x4, price: 240_000n, qty: 1_000_000_000n }),
      level(2, { ...common, flags: 0x9, price: 260_000n, qty: 10_000_000_000n }),
    ],
    { kind: MessageKind.DEPTH_UPDATE, status: 2, instrument: 1, slots: 2, firstSeq: 157n, seq: 160n, exchTimeNs: E },
  );
});

test('USD-M depthUpdate carries pu as prevSeq and T as the transaction time', () => {
  const E = 123456789n * MS;
  const common = { instrument: 3, seq: 160n, exchTimeNs: E, firstSeq: 157n, prevSeq: 149n };
  const expected = [
    level(1, { ...common, flags: 0x4, price: 24n, qty: 10_000n }),
    level(2, { ...common, flags: 0x9, price: 26n, qty: 100_000n }),
  ];
  const result = {
    kind: MessageKind.DEPTH_UPDATE,
    status: 2,
    instrument: 3,
    slots: 2,
    firstSeq: 157n,
    seq: 160n,
    prevSeq: 149n,
    exchTimeNs: E,
    txTimeNs: 123456788n * MS,
  };
  check('usdm_ws_diff_depth_depthUpdate', usdm, fixture('usdm_ws_diff_depth_depthUpdate'), expected, result);
  // A spot decoder reads pu too when it is there.
  check('usdm_ws_diff_depth_depthUpdate on spot', spot, fixture('usdm_ws_diff_depth_depthUpdate'), expected, result);
});

test('a futures decoder needs pu: the spot message is MISSING_FIELD', () => {
  check('spot depth on usdm', usdm, fixture('spot_ws_diff_depth_depthUpdate'), [], {
    kind: MessageKind.DEPTH_UPDATE,
    status: DecodeStatus.MISSING_FIELD,
  });
});

test('COIN-M depthUpdate (extra "ps" field) at scales 1/0', () => {
  const E = 1591270260907n * MS;
  const common = { instrument: 4, seq: 17285702n, exchTimeNs: E, firstSeq: 17285681n, prevSeq: 17285675n };
  check(
    'coinm_ws_diff_depth_depthUpdate',
    usdm,
    fixture('coinm_ws_diff_depth_depthUpdate'),
    [level(1, { ...common, flags: 0x4, price: 95176n, qty: 10n }), level(2, { ...common, flags: 0x9, price: 95185n, qty: 45n })],
    {
      kind: MessageKind.DEPTH_UPDATE,
      status: 2,
      instrument: 4,
      slots: 2,
      firstSeq: 17285681n,
      seq: 17285702n,
      prevSeq: 17285675n,
      exchTimeNs: E,
      txTimeNs: 1591270260891n * MS,
    },
  );
});

test('trade: m=true means the buyer was the maker, so the aggressor SOLD', () => {
  const E = 1672515782136n * MS;
  check(
    'spot_ws_trade',
    spot,
    fixture('spot_ws_trade'),
    [
      {
        record: 'MdTrade',
        values: { type: 3, source: 1, flags: 0x9, instrument: 1, seq: 12345n, exchTimeNs: E, recvTimeNs: RECV, price: 100_000n, qty: 10_000_000_000n, tradeId: 12345n },
      },
    ],
    { kind: MessageKind.TRADE, status: 1, instrument: 1, slots: 1, seq: 12345n, exchTimeNs: E, txTimeNs: E },
  );
});

test('aggTrade: seq and tradeId are the aggregate id, f/l go to the result', () => {
  const E = 1672515782136n * MS;
  check(
    'spot_ws_aggTrade',
    spot,
    fixture('spot_ws_aggTrade'),
    [
      {
        record: 'MdTrade',
        values: { type: 3, source: 1, flags: 0x9, instrument: 1, seq: 12345n, exchTimeNs: E, recvTimeNs: RECV, price: 100_000n, qty: 10_000_000_000n, tradeId: 12345n },
      },
    ],
    { kind: MessageKind.AGG_TRADE, status: 1, instrument: 1, slots: 1, firstSeq: 100n, seq: 12345n, lastTradeId: 105n, exchTimeNs: E, txTimeNs: E },
  );
});

test('spot bookTicker has no e/E: recognised by u, seq = u, no exchange time', () => {
  check(
    'spot_ws_bookTicker',
    spot,
    fixture('spot_ws_bookTicker'),
    [
      {
        record: 'MdBbo',
        values: {
          type: 4,
          source: 1,
          flags: 0x1,
          instrument: 2,
          seq: 400900217n,
          exchTimeNs: TIME_UNDEF,
          recvTimeNs: RECV,
          bidPrice: 2_535_190_000n,
          bidQty: 3_121_000_000n,
          askPrice: 2_536_520_000n,
          askQty: 4_066_000_000n,
        },
      },
    ],
    { kind: MessageKind.BOOK_TICKER, status: 1, instrument: 2, slots: 1, seq: 400900217n },
  );
});

test('serverShutdown in the combined wrapper: a result kind, no events', () => {
  check('spot_ws_serverShutdown_combined', spot, fixture('spot_ws_serverShutdown_combined'), [], {
    kind: MessageKind.SERVER_SHUTDOWN,
    status: 0,
    exchTimeNs: 1770123456789n * MS,
  });
});

function snapshotEvents(instrument: number, seq: bigint, exch: bigint, bid: [bigint, bigint], ask: [bigint, bigint]): Expected[] {
  const head = { source: 2, instrument, seq, exchTimeNs: exch, recvTimeNs: RECV, firstSeq: UNDEF, prevSeq: UNDEF };
  return [
    { record: 'MdMarker', values: { ...head, type: 6, flags: 0x2, levelCount: 2, bidCount: 1, reason: 0 } },
    { record: 'MdLevel', values: { ...head, type: 1, flags: 0x6, price: bid[0], qty: bid[1] } },
    { record: 'MdLevel', values: { ...head, type: 2, flags: 0xa, price: ask[0], qty: ask[1] } },
    { record: 'MdMarker', values: { ...head, type: 7, flags: 0x3, levelCount: 2, bidCount: 1, reason: 0 } },
  ];
}

test('REST depth snapshot: SNAPSHOT_BEGIN, levels flagged SNAPSHOT, SNAPSHOT_END with lastUpdateId', () => {
  check(
    'spot_rest_depth_response',
    spot,
    fixture('spot_rest_depth_response'),
    snapshotEvents(1, 1027024n, TIME_UNDEF, [400_000_000n, 43_100_000_000n], [400_000_200n, 1_200_000_000n]),
    { kind: MessageKind.DEPTH_SNAPSHOT, status: 4, instrument: 1, slots: 4, seq: 1027024n },
    1,
  );
  check(
    'usdm_rest_depth_response',
    usdm,
    fixture('usdm_rest_depth_response'),
    snapshotEvents(1, 1027024n, 1589436922972n * MS, [400_000_000n, 43_100_000_000n], [400_000_200n, 1_200_000_000n]),
    {
      kind: MessageKind.DEPTH_SNAPSHOT,
      status: 4,
      instrument: 1,
      slots: 4,
      seq: 1027024n,
      exchTimeNs: 1589436922972n * MS,
      txTimeNs: 1589436922959n * MS,
    },
    1,
  );
});

test('a snapshot price finer than the instrument tick is PRECISION, and nothing is written', () => {
  // btcusdt has priceScale 4; the ask 4.00000200 needs 8 decimals.
  check('usdm_rest_depth_response at scale 4', usdm, fixture('usdm_rest_depth_response'), [], {
    kind: MessageKind.DEPTH_SNAPSHOT,
    status: DecodeStatus.PRECISION,
  }, 3);
});

test('the partial-depth stream names no symbol: unsupported as a stream, fine as a snapshot', () => {
  check('spot_ws_partial_depth', spot, fixture('spot_ws_partial_depth'), [], { kind: MessageKind.NONE, status: DecodeStatus.UNSUPPORTED_EVENT });
  check(
    'spot_ws_partial_depth as snapshot',
    spot,
    fixture('spot_ws_partial_depth'),
    snapshotEvents(1, 160n, TIME_UNDEF, [240_000n, 1_000_000_000n], [260_000n, 10_000_000_000n]),
    { kind: MessageKind.DEPTH_SNAPSHOT, status: 4, instrument: 1, slots: 4, seq: 160n },
    1,
  );
});

test('sync scenarios: an empty depthUpdate becomes one SEQ_ADVANCE marker carrying U, u and pu', () => {
  const usdmScenario = scenario('usdm_book_sync_scenario');
  const first = Buffer.from(JSON.stringify(usdmScenario.events[0]!.msg));
  const E = 1589436922980n * MS;
  check(
    'usdm scenario event 0',
    usdm,
    first,
    [
      {
        record: 'MdMarker',
        values: { type: 9, source: 1, flags: 0x1, instrument: 3, seq: 999n, exchTimeNs: E, recvTimeNs: RECV, firstSeq: 990n, prevSeq: 980n },
      },
    ],
    { kind: MessageKind.DEPTH_UPDATE, status: 1, instrument: 3, slots: 1, firstSeq: 990n, seq: 999n, prevSeq: 980n, exchTimeNs: E, txTimeNs: 1589436922975n * MS },
  );
  // btcusdt: price "60000.2" at scale 4, qty "3.000" at scale 3; only asks in this one.
  const third = Buffer.from(JSON.stringify(usdmScenario.events[2]!.msg));
  const E3 = 1589436923180n * MS;
  const common = { instrument: 3, seq: 1012n, exchTimeNs: E3, firstSeq: 1010n, prevSeq: 1005n };
  check(
    'usdm scenario event 2',
    usdm,
    third,
    [level(2, { ...common, flags: 0x8, price: 600_001_000n, qty: 0n }), level(2, { ...common, flags: 0x9, price: 600_002_000n, qty: 3_000n })],
    { kind: MessageKind.DEPTH_UPDATE, status: 2, instrument: 3, slots: 2, firstSeq: 1010n, seq: 1012n, prevSeq: 1005n, exchTimeNs: E3, txTimeNs: 1589436923175n * MS },
  );
  const spotScenario = scenario('spot_book_sync_scenario');
  for (const [i, e] of spotScenario.events.entries()) {
    for (const [, d] of both(spot)) {
      const o = decodeOne(d, Buffer.from(JSON.stringify(e.msg)), { startPos: 0, freeSlots: 64 }, RECV);
      assert.ok(o.ret >= 1, `spot scenario event ${i}: ${o.ret}`);
    }
  }
});

test('a subscription reply is a result kind with the request id and no events', () => {
  check('subscribe reply', spot, Buffer.from('{"result":null,"id":312}'), [], { kind: MessageKind.COMMAND_REPLY, status: 0, requestId: 312n });
  check('error reply', spot, Buffer.from('{"error":{"code":2,"msg":"Invalid request"},"id":null}'), [], {
    kind: MessageKind.COMMAND_ERROR,
    status: 0,
  });
});
