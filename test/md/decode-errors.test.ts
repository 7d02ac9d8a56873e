/**
 * Every outcome code on purpose-built inputs, the order in which problems are reported,
 * NEED_SPACE, counters, and the programmer errors — on both decoders, which must agree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventBuffer, MD_BBO, Sentinel } from '../../src/core/schema/index.js';
import { native } from '../../src/native/load-addon.js';
import {
  DECODE_STATUS_COUNT,
  DecodeResult,
  DecodeStatus,
  IO,
  IO_BYTES,
  MAX_JSON_DEPTH,
  MAX_SYMBOL_BYTES,
  MessageKind,
  NativeMdDecoder,
  RESULT_BYTES,
  TsMdDecoder,
  createDecoder,
  decodeStatusName,
  type MdDecoder,
} from '../../src/venues/binance/decode/index.js';
import { INSTRUMENTS, fixture } from './decode-corpus.js';
import { DATA_OFFSET, canaryBuffer, decodeOne, makePair, sameOutcome, strayWrite, type Pair, type Placement } from './decode-harness.js';

const spot = makePair('binance');
const usdm = makePair('binance-usdm');

function depth(fields: Record<string, string>): string {
  const base: Record<string, string> = {
    e: '"depthUpdate"',
    E: '1672515782136',
    s: '"BNBBTC"',
    U: '157',
    u: '160',
    b: '[["0.0024","10"]]',
    a: '[["0.0026","100"]]',
  };
  const all = { ...base, ...fields };
  return `{${Object.entries(all)
    .filter(([, v]) => v !== 'OMIT')
    .map(([k, v]) => `"${k}":${v}`)
    .join(',')}}`;
}

const TRADE = '{"e":"trade","E":1,"s":"BNBBTC","t":5,"p":"0.001","q":"100","T":1,"m":true}';

/** Runs `input` on both decoders of `pair`; asserts they agree and returns the outcome. */
function outcome(pair: Pair, input: string | Uint8Array, at: Placement = { startPos: 0, freeSlots: 64 }): { ret: number; kind: number } {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const n = decodeOne(pair.native, bytes, at);
  const nCopy = { ret: n.ret, ring: Buffer.from(n.ring), result: Buffer.from(n.result) };
  assert.equal(strayWrite(n, at), false, 'native wrote outside its slots');
  const s = decodeOne(pair.ts, bytes, at);
  assert.ok(sameOutcome(nCopy, s), `native ${nCopy.ret} vs ts ${s.ret} for ${JSON.stringify(bytes.toString())}`);
  return { ret: n.ret, kind: pair.native.result.kind };
}

function expectStatus(pair: Pair, input: string | Uint8Array, status: number, at?: Placement): void {
  const got = outcome(pair, input, at).ret;
  assert.equal(
    decodeStatusName(got) + (got >= 0 ? `(${got})` : ''),
    decodeStatusName(status) + (status >= 0 ? `(${status})` : ''),
    `for ${JSON.stringify(typeof input === 'string' ? input : Buffer.from(input).toString('latin1'))}`,
  );
}

function nest(depthCount: number): string {
  return `{"result":null,"id":1,"x":${'['.repeat(depthCount - 1)}${']'.repeat(depthCount - 1)}}`;
}

test('MALFORMED_JSON: anything that is not strict RFC 8259 JSON', () => {
  const cases = [
    '',
    ' \n',
    '{',
    '{"a":1,}',
    '{,}',
    '{"a" 1}',
    '{"a":01}',
    '{"a":1.}',
    '{"a":-}',
    '{"a":.5}',
    '{"a":1e}',
    '{"a":+1}',
    '{"a":tru}',
    '{"a":truex}',
    '{"a":NaN}',
    '{"a":"\\x"}',
    '{"a":"\\u12"}',
    '{"a":"tab\there"}',
    "{'a':1}",
    '{"a":1}}',
    '{"a":1} {}',
    '{"a":1} x',
    '[1,]',
    '[1 2]',
    '{"a":[1}',
    '\xef\xbb\xbf{"result":null,"id":1}', // a byte-order mark
    '{"a":"\xff"}', // invalid UTF-8
    '{"a":"\xc0\xaf"}', // overlong
    '{"a":"\xed\xa0\x80"}', // UTF-8 surrogate
    '{"a":"\xf4\x90\x80\x80"}', // above U+10FFFF
    '{"a":"\xe2\x82"}', // truncated sequence
    '{"result":null,"id":1,"x":\x01}',
    nest(MAX_JSON_DEPTH + 1),
    // Regression: simdjson's skip of an unconsumed string takes `"s":` for a key, so
    // this passed until strings were consumed after validation.
    '{"data":  "s":"BNBBTC","e":"trade"},"stream":"x"}',
    '{"error":"code":2,"msg":"x"},"id":1}',
    // A JSON error wins over a semantic one found earlier in the message.
    depth({ s: '"XRPUSDT"', x: '[1,,2]' }),
  ];
  for (const c of cases) expectStatus(spot, c, DecodeStatus.MALFORMED_JSON);
});

test('valid JSON the decoder must not reject', () => {
  expectStatus(spot, nest(MAX_JSON_DEPTH), 0);
  expectStatus(spot, '{"x":"\\ud800 lone surrogate escapes are grammatical","result":null,"id":1}', 0);
  expectStatus(spot, '{"x":"é€😀\x7f","result":null,"id":1}'.replace(/[^\x00-\x7f]/g, ''), 0);
  expectStatus(spot, Buffer.from('{"x":"é€😀","result":null,"id":1}', 'utf8'), 0);
  expectStatus(spot, ' \t\r\n{ "result" : null , "id" : 1 } \t\r\n', 0);
  expectStatus(spot, '{"x":[1e400,-0,0.5E-7,{},[],"",null,true,false],"result":null,"id":1}', 0);
  expectStatus(spot, depth({ x: '{"deep":[{"deeper":["\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"]}]}' }), 2);
});

test('TOO_LARGE: a frame over maxMessageBytes is refused before it is read', () => {
  const msg = depth({});
  const pair = makePair('binance', msg.length);
  expectStatus(pair, msg, 2);
  expectStatus(pair, msg + ' ', DecodeStatus.TOO_LARGE);
  expectStatus(pair, '\xff'.repeat(msg.length + 1), DecodeStatus.TOO_LARGE);
});

test('UNSUPPORTED_EVENT: valid JSON that is not a known message', () => {
  for (const c of ['{}', '[]', '[1]', '"x"', '1', 'null', '{"e":"kline"}', '{"e":"24hrTicker","E":1}', '{"stream":"x","data":{}}', '{"\\u0065":"trade"}']) {
    expectStatus(spot, c, DecodeStatus.UNSUPPORTED_EVENT);
  }
  // A command reply is only a root message, never inside a combined stream.
  expectStatus(spot, '{"stream":"x","data":{"result":null,"id":1}}', DecodeStatus.UNSUPPORTED_EVENT);
});

test('MISSING_FIELD, BAD_TYPE, DUPLICATE_FIELD, BAD_NUMBER', () => {
  expectStatus(spot, depth({ U: 'OMIT' }), DecodeStatus.MISSING_FIELD);
  expectStatus(spot, depth({ a: 'OMIT' }), DecodeStatus.MISSING_FIELD);
  expectStatus(spot, TRADE.replace(',"m":true', ''), DecodeStatus.MISSING_FIELD);
  expectStatus(spot, '{"stream":"x"}', DecodeStatus.MISSING_FIELD);
  expectStatus(spot, '{"result":null}', DecodeStatus.MISSING_FIELD);
  expectStatus(usdm, depth({}), DecodeStatus.MISSING_FIELD); // futures depth needs pu
  expectStatus(usdm, depth({ pu: '"149"' }), DecodeStatus.BAD_TYPE);
  expectStatus(usdm, depth({ pu: '149' }), 2);

  expectStatus(spot, depth({ E: '"1672515782136"' }), DecodeStatus.BAD_TYPE);
  expectStatus(spot, depth({ b: '{}' }), DecodeStatus.BAD_TYPE);
  expectStatus(spot, depth({ b: '[["0.0024",10]]' }), DecodeStatus.BAD_TYPE);
  expectStatus(spot, depth({ b: '[["0.0024"]]' }), DecodeStatus.BAD_TYPE);
  expectStatus(spot, depth({ a: '["x"]' }), DecodeStatus.BAD_TYPE);
  expectStatus(spot, depth({ e: '1' }), DecodeStatus.BAD_TYPE);
  expectStatus(spot, '{"stream":1,"data":{}}', DecodeStatus.BAD_TYPE);
  expectStatus(spot, '{"stream":"x","data":[]}', DecodeStatus.BAD_TYPE);
  expectStatus(spot, TRADE.replace('"m":true', '"m":"true"'), DecodeStatus.BAD_TYPE);
  // Extra level elements are ignored (old APIs sent a third).
  expectStatus(spot, depth({ b: '[["0.0024","10",[]]]' }), 2);

  expectStatus(spot, depth({ x: '1', U: '157,"U":157' }), DecodeStatus.DUPLICATE_FIELD);
  expectStatus(spot, `{"stream":"s","data":${depth({ u: '160,"u":161' })}}`, DecodeStatus.DUPLICATE_FIELD);
  expectStatus(spot, depth({ x: '1,"x":2' }), 2); // unknown keys may repeat

  for (const bad of ['-1', '1.5', '1e3', '18446744073709551616', '-0']) expectStatus(spot, depth({ U: bad }), DecodeStatus.BAD_NUMBER);
  expectStatus(spot, depth({ U: '18446744073709551615' }), 2);
  // E in ms must fit int64 once in ns: 9223372036854 ms is the last that does.
  expectStatus(spot, depth({ E: '9223372036855' }), DecodeStatus.BAD_NUMBER);
  expectStatus(spot, depth({ E: '9223372036854' }), 2);
});

test('UNKNOWN_SYMBOL, BAD_DECIMAL, PRECISION', () => {
  expectStatus(spot, depth({ s: '"XRPUSDT"' }), DecodeStatus.UNKNOWN_SYMBOL);
  expectStatus(spot, depth({ s: `"${'A'.repeat(MAX_SYMBOL_BYTES + 1)}"` }), DecodeStatus.UNKNOWN_SYMBOL);
  expectStatus(spot, depth({ s: '""' }), DecodeStatus.UNKNOWN_SYMBOL);
  // Strings are compared as sent: an escaped letter is not the letter.
  expectStatus(spot, depth({ s: '"BNB\\u0042TC"' }), DecodeStatus.UNKNOWN_SYMBOL);
  expectStatus(spot, depth({ s: '"bnbBTC"' }), 2);

  for (const bad of ['', '-1', '+1', '1e5', '.5', '5.', ' 1', '1,5', '0x1', '99999999999999999999', '1\\u0030']) {
    expectStatus(spot, depth({ b: `[["${bad}","1"]]` }), DecodeStatus.BAD_DECIMAL);
  }
  expectStatus(spot, depth({ a: '[["0.000000001","1"]]' }), DecodeStatus.PRECISION);
  expectStatus(spot, depth({ a: '[["1","0.000000001"]]' }), DecodeStatus.PRECISION);
  expectStatus(spot, depth({ a: '[["0.00260000000000","100.0000000000000"]]' }), 2); // zeros past the scale are exact
});

test('problems are reported in a fixed field order, whatever the key order', () => {
  // Symbol before levels, levels bids before asks, price before qty.
  const unknownAndBadDecimal = ['"b":[["x","1"]]', '"s":"XRPUSDT"', '"e":"depthUpdate"', '"E":1', '"U":1', '"u":2', '"a":[]'];
  expectStatus(spot, `{${unknownAndBadDecimal.join(',')}}`, DecodeStatus.UNKNOWN_SYMBOL);
  expectStatus(spot, `{${[...unknownAndBadDecimal].reverse().join(',')}}`, DecodeStatus.UNKNOWN_SYMBOL);
  expectStatus(spot, depth({ a: '[["0.1","1"]]', b: '[["0.000000001","1"]]' }).replace('0.1', 'x'), DecodeStatus.PRECISION);
  expectStatus(spot, depth({ b: '[["x","0.000000001"]]' }), DecodeStatus.BAD_DECIMAL);
  // E is read before s: a bad time beats an unknown symbol.
  expectStatus(spot, depth({ s: '"XRPUSDT"', E: '-1' }), DecodeStatus.BAD_NUMBER);
});

test('key order, whitespace and unknown fields do not change a single output byte', () => {
  const a = outcome(spot, depth({}));
  const ringA = Buffer.from(decodeOne(spot.native, Buffer.from(depth({})), { startPos: 0, freeSlots: 64 }).ring);
  const shuffled = '{ "a" : [ [ "0.0026" , "100" ] ] ,\n"x":{"e":"trade","s":"XRPUSDT"}, "u":160,"U":157,"s":"bnbbtc","E":1672515782136,"b":[["0.0024","10"]],"e":"depthUpdate"}';
  const b = decodeOne(spot.native, Buffer.from(shuffled), { startPos: 0, freeSlots: 64 });
  assert.equal(a.ret, 2);
  assert.equal(b.ret, 2);
  assert.equal(Buffer.compare(ringA, b.ring), 0);
});

test('bookTicker: an empty side (qty 0) has PRICE_UNDEF; futures bookTicker carries E and T', () => {
  for (const [impl, d] of [
    ['native', spot.native],
    ['ts', spot.ts],
  ] as const) {
    const msg = '{"e":"bookTicker","u":9,"E":1000,"T":999,"s":"BNBUSDT","b":"0.00000000","B":"0","a":"25.5","A":"1"}';
    const o = decodeOne(d, Buffer.from(msg), { startPos: 0, freeSlots: 64 });
    assert.equal(o.ret, 1, impl);
    const buf = new EventBuffer(o.ring.buffer as SharedArrayBuffer);
    assert.equal(buf.getI64(DATA_OFFSET + MD_BBO.bidPrice), Sentinel.PRICE_UNDEF, impl);
    assert.equal(buf.getI64(DATA_OFFSET + MD_BBO.askPrice), 2_550_000_000n, impl);
    assert.equal(buf.getI64(DATA_OFFSET + MD_BBO.exchTimeNs), 1000n * 1_000_000n, impl);
    assert.equal(d.result.txTimeNs, 999n * 1_000_000n, impl);
  }
});

test('NEED_SPACE: nothing written, result.slots says how many, and the retry succeeds', () => {
  const msg = depth({ b: '[["0.0024","10"],["0.0023","5"]]' });
  for (const d of [spot.native, spot.ts]) {
    const full = decodeOne(d, Buffer.from(msg), { startPos: 10, freeSlots: 2 });
    assert.equal(full.ret, DecodeStatus.NEED_SPACE);
    assert.equal(strayWrite(full, { startPos: 10, freeSlots: 2 }), false);
    assert.equal(d.result.slots, 3);
    assert.equal(d.result.kind, MessageKind.DEPTH_UPDATE);
    assert.equal(d.result.seq, 160n, 'the header is complete on NEED_SPACE');
    assert.equal(decodeOne(d, Buffer.from(msg), { startPos: 10, freeSlots: 3 }).ret, 3);
  }
  // Semantic errors come before NEED_SPACE.
  expectStatus(spot, depth({ s: '"XRPUSDT"' }), DecodeStatus.UNKNOWN_SYMBOL, { startPos: 0, freeSlots: 0 });
  // A message without events fits in no space at all.
  expectStatus(spot, '{"result":null,"id":1}', 0, { startPos: 0, freeSlots: 0 });
});

test('a big snapshot wraps around the ring end and fills it exactly', () => {
  const level = (i: number) => `["${(1 + i / 1000).toFixed(3)}","1"]`;
  const body = `{"lastUpdateId":7,"bids":[${Array.from({ length: 31 }, (_, i) => level(i)).join(',')}],"asks":[${Array.from({ length: 31 }, (_, i) =>
    level(i + 100),
  ).join(',')}]}`;
  expectStatus(spot, body, 64, { startPos: 1000, freeSlots: 64, snapshotOf: 1 });
  expectStatus(spot, body, DecodeStatus.NEED_SPACE, { startPos: 1000, freeSlots: 63, snapshotOf: 1 });
});

test('counters: one bump per call, under the outcome it had', () => {
  const pair = makePair('binance');
  const inputs = [depth({}), depth({}), TRADE, '{', depth({ s: '"X"' }), depth({ b: '[["1.0000000001","1"]]' }), '{}'];
  for (const i of inputs) outcome(pair, i);
  outcome(pair, depth({}), { startPos: 0, freeSlots: 1 });
  for (const d of [pair.native, pair.ts]) {
    const c = d.readCounters();
    assert.equal(c.length, DECODE_STATUS_COUNT);
    assert.equal(c[0], 3n);
    assert.equal(c[-DecodeStatus.MALFORMED_JSON], 1n);
    assert.equal(c[-DecodeStatus.UNKNOWN_SYMBOL], 1n);
    assert.equal(c[-DecodeStatus.PRECISION], 1n);
    assert.equal(c[-DecodeStatus.UNSUPPORTED_EVENT], 1n);
    assert.equal(c[-DecodeStatus.NEED_SPACE], 1n);
    assert.equal(c.reduce((s, x) => s + x, 0n), BigInt(inputs.length + 1));
  }
});

test('the result record is reset after a failure: only kind and status remain', () => {
  for (const d of [spot.native, spot.ts]) {
    decodeOne(d, Buffer.from(depth({})), { startPos: 0, freeSlots: 64 });
    decodeOne(d, Buffer.from(depth({ b: '[["x","1"]]' })), { startPos: 0, freeSlots: 64 });
    const r = d.result;
    assert.deepEqual(
      [r.kind, r.status, r.instrument, r.slots, r.seq, r.firstSeq, r.exchTimeNs],
      [MessageKind.DEPTH_UPDATE, DecodeStatus.BAD_DECIMAL, 0, 0, 2n ** 64n - 1n, 2n ** 64n - 1n, -(2n ** 63n)],
    );
  }
});

const GOOD_RING = { dataOffset: 0, slotBytes: 64, mask: 15, startPos: 0, freeSlots: 16 };

/** The error `fn` throws, as [constructor, code, message]. */
function thrown(fn: () => unknown): [string, string, string] {
  try {
    fn();
  } catch (e) {
    const err = e as Error & { code?: string };
    return [err.constructor.name, err.code ?? '', err.message];
  }
  return ['none', '', ''];
}

test('programmer errors throw the same coded errors from both decoders', () => {
  const frame = fixture('spot_ws_diff_depth_depthUpdate');
  const sab = new SharedArrayBuffer(64 * 16);
  const calls: [string, (d: MdDecoder) => unknown][] = [
    ['slotBytes', (d) => d.decodeInto(frame, 1n, sab, { ...GOOD_RING, slotBytes: 32 })],
    ['mask', (d) => d.decodeInto(frame, 1n, sab, { ...GOOD_RING, mask: 6 })],
    ['dataOffset', (d) => d.decodeInto(frame, 1n, sab, { ...GOOD_RING, dataOffset: 10 })],
    ['ring too big', (d) => d.decodeInto(frame, 1n, sab, { ...GOOD_RING, mask: 31 })],
    ['startPos', (d) => d.decodeInto(frame, 1n, sab, { ...GOOD_RING, startPos: -1 })],
    ['startPos fraction', (d) => d.decodeInto(frame, 1n, sab, { ...GOOD_RING, startPos: 1.5 })],
    ['startPos unsafe', (d) => d.decodeInto(frame, 1n, sab, { ...GOOD_RING, startPos: 2 ** 53 })],
    ['freeSlots', (d) => d.decodeInto(frame, 1n, sab, { ...GOOD_RING, freeSlots: 17 })],
    ['frame', (d) => d.decodeInto('{}' as unknown as Uint8Array, 1n, sab, GOOD_RING)],
    ['recvTimeNs type', (d) => d.decodeInto(frame, '1' as unknown as bigint, sab, GOOD_RING)],
    ['recvTimeNs fraction', (d) => d.decodeInto(frame, 1.5, sab, GOOD_RING)],
    ['recvTimeNs range', (d) => d.decodeInto(frame, 2n ** 63n, sab, GOOD_RING)],
    ['out', (d) => d.decodeInto(frame, 1n, new ArrayBuffer(1024) as unknown as SharedArrayBuffer, GOOD_RING)],
    ['instrumentId', (d) => d.decodeSnapshotInto(frame, 99, 1n, sab, GOOD_RING)],
    ['readCounters', (d) => d.readCounters(new BigUint64Array(3))],
  ];
  for (const [name, call] of calls) {
    const a = thrown(() => call(spot.native));
    const b = thrown(() => call(spot.ts));
    assert.notEqual(a[0], 'none', `${name}: native did not throw`);
    assert.deepEqual(a, b, name);
    assert.match(a[1], /^ERR_/, name);
  }
  // A legal call after all that still works, and the ring was never touched by them.
  assert.equal(spot.native.decodeInto(frame, 1n, sab, GOOD_RING), 2);
});

test('bad decoder options throw the same coded errors from both constructors', () => {
  const bad: [string, object][] = [
    ['venue', { venue: 'kraken', instruments: INSTRUMENTS }],
    ['dup symbol', { venue: 'binance', instruments: [...INSTRUMENTS, { venueSymbol: 'bnbbtc', instrumentId: 77, priceScale: 1, qtyScale: 1 }] }],
    ['dup id', { venue: 'binance', instruments: [...INSTRUMENTS, { venueSymbol: 'NEW', instrumentId: 1, priceScale: 1, qtyScale: 1 }] }],
    ['id 0', { venue: 'binance', instruments: [{ venueSymbol: 'A', instrumentId: 0, priceScale: 1, qtyScale: 1 }] }],
    ['scale', { venue: 'binance', instruments: [{ venueSymbol: 'A', instrumentId: 1, priceScale: 19, qtyScale: 1 }] }],
    ['symbol', { venue: 'binance', instruments: [{ venueSymbol: 'A"B', instrumentId: 1, priceScale: 1, qtyScale: 1 }] }],
    ['maxMessageBytes', { venue: 'binance', instruments: INSTRUMENTS, maxMessageBytes: 0 }],
    ['result', { venue: 'binance', instruments: INSTRUMENTS, result: new DecodeResult(new BigInt64Array(new SharedArrayBuffer(IO_BYTES))), maxMessageBytes: 1.5 }],
  ];
  for (const [name, options] of bad) {
    const a = thrown(() => new NativeMdDecoder(native(), options as never));
    const b = thrown(() => new TsMdDecoder(options as never));
    assert.notEqual(a[0], 'none', name);
    assert.deepEqual(a, b, name);
  }
  assert.throws(() => new DecodeResult(new BigInt64Array(12)), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => new DecodeResult(new BigInt64Array(new SharedArrayBuffer(64))), { code: 'ERR_OUT_OF_RANGE' });
});

test('the native binding checks its own arguments too (never trusts the wrapper)', () => {
  const addon = native();
  const io = new BigInt64Array(new SharedArrayBuffer(IO_BYTES));
  const rows = INSTRUMENTS.map((i) => ({ ...i }));
  assert.throws(() => addon.createBinanceMdDecoder('binance', rows, 1024, new BigInt64Array(12)), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => addon.createBinanceMdDecoder('binance', [{ ...rows[0]!, venueSymbol: '' }], 1024, io), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => addon.createBinanceMdDecoder('binance', [{ ...rows[0]!, priceScale: -1 }], 1024, io), { code: 'ERR_OUT_OF_RANGE' });
  const d = addon.createBinanceMdDecoder('binance', rows, 1024, io);
  const frame = fixture('spot_ws_trade');
  assert.throws(() => d.decodeInto(frame, 1n), { code: 'ERR_INVALID_STATE' });
  assert.throws(() => d.bindRing(new Uint8Array(64 * 16)), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => d.bindRing(new Uint8Array(new SharedArrayBuffer(64 * 3))), { code: 'ERR_OUT_OF_RANGE' });
  d.bindRing(new Uint8Array(new SharedArrayBuffer(64 * 4)));
  const f64 = new Float64Array(io.buffer);
  for (const [start, free] of [
    [Number.NaN, 1],
    [-1, 1],
    [0, 5],
    [0, 0.5],
  ]) {
    f64[IO.startPos >> 3] = start!;
    f64[IO.freeSlots >> 3] = free!;
    assert.throws(() => d.decodeInto(frame, 1n), { code: 'ERR_OUT_OF_RANGE' }, `${start} ${free}`);
  }
  f64[IO.startPos >> 3] = 2 ** 53 - 1;
  f64[IO.freeSlots >> 3] = 4;
  assert.equal(d.decodeInto(frame, 1n), 1);
  assert.throws(() => d.decodeInto(frame, 2n ** 64n), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => d.decodeInto(frame, {} as never), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => d.decodeInto(42 as never, 1n), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => d.decodeSnapshotInto(frame, 12345, 1n), { code: 'ERR_OUT_OF_RANGE' });
});

test('the addon was compiled with the codes, kinds and io layout of codes.ts', () => {
  const c = native().mdDecodeConstants();
  assert.deepEqual(c.statuses, Object.fromEntries(Object.entries(DecodeStatus)));
  assert.deepEqual(c.kinds, Object.fromEntries(Object.entries(MessageKind)));
  assert.deepEqual(c.ioOffsets, { ...IO });
  assert.equal(c.resultBytes, RESULT_BYTES);
  assert.equal(c.ioBytes, IO_BYTES);
  assert.equal(c.maxJsonDepth, MAX_JSON_DEPTH);
  assert.equal(c.maxSymbolBytes, MAX_SYMBOL_BYTES);
});

test('createDecoder picks native, and says so', () => {
  const got = createDecoder({ venue: 'binance', instruments: INSTRUMENTS });
  assert.equal(got.implementation, 'native');
  assert.equal(got.decoder.implementation, 'native');
  assert.equal(got.fallbackReason, null);
  const ts = createDecoder({ venue: 'binance-usdm', instruments: INSTRUMENTS, implementation: 'ts' });
  assert.equal(ts.implementation, 'ts');
  assert.equal(ts.decoder.venue, 'binance-usdm');
  const sab = canaryBuffer(64 * 16);
  assert.equal(got.decoder.decodeInto(fixture('spot_ws_trade'), 5, sab, GOOD_RING), 1);
});

test('without a loadable addon createDecoder falls back to TS and names the reason', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const module = join(here, '..', '..', 'src', 'venues', 'binance', 'decode', 'index.js');
  const script = `
    const { createDecoder } = await import(${JSON.stringify(module)});
    const got = createDecoder({ venue: 'binance', instruments: [{ venueSymbol: 'BNBBTC', instrumentId: 1, priceScale: 8, qtyScale: 8 }] });
    const frame = Buffer.from('{"e":"trade","E":1,"s":"BNBBTC","t":5,"p":"0.001","q":"100","T":1,"m":true}');
    const n = got.decoder.decodeInto(frame, 1n, new SharedArrayBuffer(1024), { dataOffset: 0, slotBytes: 64, mask: 15, startPos: 0, freeSlots: 16 });
    let threw = '';
    try { createDecoder({ venue: 'binance', instruments: [], implementation: 'native' }); } catch (e) { threw = e.code; }
    console.log(JSON.stringify({ impl: got.implementation, reason: got.fallbackReason, n, threw }));
  `;
  const dir = mkdtempSync(join(tmpdir(), 'veloz-decoder-'));
  const bogus = join(dir, 'not-an-addon.node');
  writeFileSync(bogus, 'this is not a shared object');
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, VELOZ_NATIVE_PATH: bogus },
  });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(res.status, 0, res.stderr);
  const out = JSON.parse(res.stdout.trim()) as { impl: string; reason: string; n: number; threw: string };
  assert.equal(out.impl, 'ts');
  assert.match(out.reason, /failed to load/);
  assert.equal(out.n, 1);
  assert.equal(out.threw, 'VELOZ_NATIVE_UNAVAILABLE');
});

test('a 5000-level-per-side REST snapshot decodes in one call, or asks for the room it needs', () => {
  const level = (i: number, base: number) => `["${base + i}.${String(i % 100).padStart(2, '0')}000000","${(i % 7) + 1}.00000000"]`;
  const body = Buffer.from(
    `{"lastUpdateId":99,"bids":[${Array.from({ length: 5000 }, (_, i) => level(i, 10_000)).join(',')}],` +
      `"asks":[${Array.from({ length: 5000 }, (_, i) => level(i, 20_000)).join(',')}]}`,
  );
  const slots = 1 << 14;
  const outs: Buffer[] = [];
  for (const d of [spot.native, spot.ts]) {
    const sab = new SharedArrayBuffer(slots * 64);
    const ring = { dataOffset: 0, slotBytes: 64, mask: slots - 1, startPos: slots - 3, freeSlots: 10_001 };
    assert.equal(d.decodeSnapshotInto(body, 1, 5n, sab, ring), DecodeStatus.NEED_SPACE);
    assert.equal(d.result.slots, 10_002);
    assert.equal(d.decodeSnapshotInto(body, 1, 5n, sab, { ...ring, freeSlots: 10_002 }), 10_002);
    const buf = new EventBuffer(sab);
    assert.equal(buf.getU8((slots - 3) * 64), 6, 'SNAPSHOT_BEGIN first');
    assert.equal(buf.getU8(((10_002 - 3 - 1) % slots) * 64), 7, 'SNAPSHOT_END last, after wrapping');
    outs.push(Buffer.from(new Uint8Array(sab)));
  }
  assert.equal(Buffer.compare(outs[0]!, outs[1]!), 0);
});
