/** Pure parts of the feed: options, connection plan, stream names, frame classification, counters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveFeedConfig, planConnections, streamRoute, streamSymbol, streamName, FeedError, CONN_COUNTER_NAMES, ConnectionCounters, CONN_COUNTER_COUNT } from '../../../src/venues/binance/feed/index.js';
import { classifyFrame, FRAME_DATA, FRAME_REPLY, FRAME_SHUTDOWN, parseControlReply } from '../../../src/venues/binance/feed/frame-kind.js';
import { wsUrl, restPath } from '../../../src/venues/binance/feed/urls.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fixture } from '../sim/market-helpers.js';

const base = { market: 'spot' as const, symbols: ['BTCUSDT'], streams: ['depth@100ms'] };

function configErr(fn: () => unknown, field: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof FeedError);
    assert.equal(err.code, 'BINANCE_FEED_CONFIG');
    assert.match(err.message, field);
    return true;
  });
}

test('options: defaults follow the venue rules', () => {
  const spot = resolveFeedConfig(base);
  assert.equal(spot.wsBase, 'wss://stream.binance.com:9443');
  assert.equal(spot.restBase, 'https://api.binance.com');
  assert.equal(spot.mode, 'combined');
  assert.equal(spot.maxStreamsPerConnection, 200);
  assert.equal(spot.subscribeRatePerSec, 4, 'one below the 5/s incoming limit: the pong counts too');
  assert.equal(spot.readDeadlineMs, 60_000);
  assert.equal(spot.lifetimeMs, 23 * 3_600_000 + 50 * 60_000);
  assert.deepEqual({ ...spot.backoff }, { initialMs: 1000, maxMs: 60_000, healthyResetMs: 60_000, jitter: 'decorrelated', seed: undefined });
  assert.deepEqual({ ...spot.connectAttempts }, { max: 300, windowMs: 300_000 });
  const usdm = resolveFeedConfig({ ...base, market: 'usdm' });
  assert.equal(usdm.wsBase, 'wss://fstream.binance.com');
  assert.equal(usdm.subscribeRatePerSec, 9);
});

test('options: every bad field is named in a BINANCE_FEED_CONFIG error', () => {
  configErr(() => resolveFeedConfig({ ...base, market: 'coinm' as 'spot' }), /option market/);
  configErr(() => resolveFeedConfig({ ...base, symbols: [] }), /option symbols must be a non-empty array/);
  configErr(() => resolveFeedConfig({ ...base, symbols: ['btcusdt'] }), /option symbols\[0\]/);
  configErr(() => resolveFeedConfig({ ...base, symbols: ['BTCUSDT', 'BTCUSDT'] }), /symbols\[1\] must be listed once/);
  configErr(() => resolveFeedConfig({ ...base, streams: ['depth@100ms', '@bad'] }), /option streams\[1\]/);
  configErr(() => resolveFeedConfig({ ...base, maxStreamsPerConnection: 2000 }), /maxStreamsPerConnection must be an integer in \[1, 1024\]; got 2000/);
  configErr(() => resolveFeedConfig({ ...base, subscribeRatePerSec: 6 }), /subscribeRatePerSec must be an integer in \[1, 5\]/);
  configErr(() => resolveFeedConfig({ ...base, readDeadlineMs: 0 }), /readDeadlineMs/);
  configErr(() => resolveFeedConfig({ ...base, backoff: { initialMs: 5000, maxMs: 1000 } }), /backoff.maxMs must be >= backoff.initialMs/);
  configErr(() => resolveFeedConfig({ ...base, backoff: { jitter: 'none' as 'full' } }), /backoff.jitter/);
  configErr(() => resolveFeedConfig({ ...base, urls: { wsBase: 'http://x' } }), /urls.wsBase must be a URL with scheme ws: or wss:/);
  configErr(() => resolveFeedConfig({ ...base, urls: { restBase: 'https://x/?a=1' } }), /urls.restBase must be a base URL without query/);
  configErr(() => resolveFeedConfig({ ...base, lifetimeMs: 1000, lifetimeSpreadMs: 900 }), /lifetimeSpreadMs/);
});

test('plan: symbols dealt round-robin over the fewest connections; a symbol never split; USD-M split by route', () => {
  const symbols = Array.from({ length: 61 }, (_, i) => `S${i}USDT`);
  const cfg = resolveFeedConfig({ market: 'spot', symbols, streams: ['depth@100ms', 'trade', 'bookTicker'], maxStreamsPerConnection: 60, urls: { wsBase: 'ws://h:1' } });
  const plan = planConnections(cfg);
  assert.equal(plan.length, 4, '61 symbols at 20 per connection');
  assert.deepEqual(plan.map((p) => p.symbols.length), [16, 15, 15, 15]);
  for (const p of plan) {
    assert.equal(p.url, 'ws://h:1/stream');
    assert.ok(p.streams.length <= 60);
    for (const s of p.symbols) for (const suffix of cfg.streams) assert.ok(p.streams.includes(streamName(s, suffix)));
  }
  assert.deepEqual(plan.flatMap((p) => p.symbols).sort(), [...symbols].sort());
  assert.deepEqual(plan.map((p) => p.slot), [0, 1, 2, 3]);

  const usdm = planConnections(resolveFeedConfig({ market: 'usdm', symbols: ['BTCUSDT'], streams: ['depth@100ms', 'aggTrade', 'markPrice@1s', 'bookTicker', 'kline_1m'], mode: 'raw' }));
  assert.deepEqual(
    usdm.map((p) => [p.url, p.streams]),
    [
      ['wss://fstream.binance.com/public/ws', ['btcusdt@depth@100ms', 'btcusdt@bookTicker']],
      ['wss://fstream.binance.com/market/ws', ['btcusdt@aggTrade', 'btcusdt@markPrice@1s', 'btcusdt@kline_1m']],
    ],
  );
  configErr(() => planConnections(resolveFeedConfig({ ...base, streams: ['depth', 'trade'], maxStreamsPerConnection: 1 })), /maxStreamsPerConnection must be at least the 2 streams/);
});

test('stream names, routes and URLs', () => {
  assert.equal(streamName('BTCUSDT', 'depth@100ms'), 'btcusdt@depth@100ms');
  assert.equal(streamSymbol('btcusdt@depth@100ms'), 'BTCUSDT');
  assert.equal(streamSymbol('!bookTicker'), '');
  assert.equal(streamRoute('spot', 'btcusdt@aggTrade'), '');
  assert.equal(streamRoute('usdm', 'btcusdt@depth20@100ms'), 'public');
  assert.equal(streamRoute('usdm', 'btcusdt@trade'), 'public');
  assert.equal(streamRoute('usdm', 'btcusdt@rpiDepth@500ms'), 'public');
  assert.equal(streamRoute('usdm', 'btcusdt@forceOrder'), 'market');
  assert.equal(streamRoute('usdm', '!bookTicker'), 'public');
  assert.equal(wsUrl('wss://fstream.binance.com/', 'market', 'combined'), 'wss://fstream.binance.com/market/stream');
  assert.equal(restPath('usdm', 'depth'), '/fapi/v1/depth');
  assert.equal(restPath('spot', 'time'), '/api/v3/time');
});

test('frame classification looks at the first bytes only and gets every documented shape right', () => {
  const compact = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
  const depth = fixture('spot_ws_diff_depth_depthUpdate');
  const data = [
    compact(depth),
    compact(fixture('spot_ws_trade')),
    compact(fixture('spot_ws_aggTrade')),
    compact(fixture('spot_ws_bookTicker')),
    compact(fixture('spot_ws_partial_depth')),
    compact(fixture('usdm_ws_diff_depth_depthUpdate')),
    compact({ stream: 'btcusdt@depth', data: depth }),
    compact({ stream: '!bookTicker', data: fixture('spot_ws_bookTicker') }),
    Buffer.from('{"e":"serverShutdow'),
    Buffer.from('not json at all'),
    Buffer.from(''),
    Buffer.from('{"resul'),
  ];
  for (const f of data) assert.equal(classifyFrame(f), FRAME_DATA, f.toString());
  const shutdownCombined = compact(fixture('spot_ws_serverShutdown_combined'));
  assert.equal(classifyFrame(shutdownCombined), FRAME_SHUTDOWN);
  assert.equal(classifyFrame(Buffer.from('{"e":"serverShutdown","E":1}')), FRAME_SHUTDOWN);
  for (const s of ['{"result":null,"id":3}', '{"id":3,"result":null}', '{"error":{"code":2,"msg":"Invalid request"},"id":3}']) {
    assert.equal(classifyFrame(Buffer.from(s)), FRAME_REPLY, s);
  }
  assert.deepEqual(parseControlReply(Buffer.from('{"result":null,"id":3}')), { id: 3, error: null });
  assert.deepEqual(parseControlReply(Buffer.from('{"error":{"code":2,"msg":"bad"},"id":9}')), { id: 9, error: { code: 2, msg: 'bad' } });
  assert.deepEqual(parseControlReply(Buffer.from('{"error":{"code":3,"msg":"Invalid JSON"}}')), { id: -1, error: { code: 3, msg: 'Invalid JSON' } });
  assert.equal(parseControlReply(Buffer.from('{"result":null,"id":')), null);
  assert.equal(parseControlReply(Buffer.from('{"result":null}')), null);
});

test('counters: named float64 words, optionally over a caller-provided block', () => {
  assert.equal(CONN_COUNTER_NAMES.length, CONN_COUNTER_COUNT);
  assert.equal(new Set(CONN_COUNTER_NAMES).size, CONN_COUNTER_COUNT);
  const block = new Float64Array(new SharedArrayBuffer(8 * CONN_COUNTER_COUNT * 2));
  const c = new ConnectionCounters(1, block.subarray(CONN_COUNTER_COUNT));
  c.values[0]! += 3;
  c.countReconnect('readDeadline');
  c.countReconnect('replaced');
  c.lastFrameNs = 5_000_000_000n;
  const snap = c.snapshot();
  assert.equal(snap.frames, 3);
  assert.equal(snap['reconnects.readDeadline'], 1);
  assert.equal(snap.lastFrameMonoMs, 5000);
  assert.equal(block[CONN_COUNTER_COUNT], 3, 'written through to the shared block');
  assert.equal(block[0], 0);
  assert.throws(() => new ConnectionCounters(0, new Float64Array(3)), /needs 24 float64 words/);
});

test('ws masks our outgoing frames with the native bufferutil (or Node’s own websocketMask), not its JS loop', () => {
  const require = createRequire(import.meta.url);
  // Not an exported subpath: load the file ws itself loads.
  const wsBufferUtil = require(join(dirname(require.resolve('ws')), 'lib', 'buffer-util.js')) as { mask: (...a: unknown[]) => void };
  const native = require('bufferutil') as { mask: () => void };
  assert.match(native.mask.toString(), /native code/);
  assert.match(wsBufferUtil.mask.toString(), /bufferUtil\.mask|websocketMask/);
});
