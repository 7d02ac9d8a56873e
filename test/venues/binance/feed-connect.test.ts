/** The feed against the real sim over WebSockets on 127.0.0.1: connect, subscribe, frames, many symbols, USD-M routes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BinanceFeedClient } from '../../../src/venues/binance/feed/index.js';
import { FeedRecorder, simSubscriptions, sleep, startSim, syntheticSymbols, waitFor } from './feed-helpers.js';

test('combined mode: every subscribed stream delivers raw Buffer frames with rising receive stamps; replies never reach the sink', async () => {
  const sim = await startSim({ seed: 11, symbols: ['BTCUSDT', 'ETHUSDT', 'XRPUSDT'], rate: 200 });
  const rec = new FeedRecorder();
  const feed = new BinanceFeedClient(
    { market: 'spot', urls: { wsBase: sim.wsUrl, restBase: sim.url }, symbols: ['BTCUSDT', 'ETHUSDT', 'XRPUSDT'], streams: ['depth@100ms', 'trade', 'bookTicker'], streamsPerSubscribe: 4 },
    rec,
  );
  try {
    feed.start();
    const streams = feed.plan.flatMap((p) => p.streams);
    assert.equal(streams.length, 9);
    await waitFor(() => streams.every((s) => (rec.byStream.get(s) ?? 0) >= 3), 8000, 'frames on all 9 streams');
    assert.equal(rec.count('subscribed'), 1);
    const sub = rec.of('subscribed')[0]!;
    assert.equal(sub.resubscribed, false);
    assert.deepEqual([...sub.streams].sort(), [...streams].sort());
    assert.equal(rec.unparsable, 0);
    assert.ok(rec.frames.every((f) => f.isBuffer), 'frames are Buffers');
    assert.ok(rec.frames.every((f) => f.payload && f.payload.result === undefined && f.payload.id === undefined), 'no SUBSCRIBE reply was handed to the sink');
    for (let i = 1; i < rec.frames.length; i++) assert.ok(rec.frames[i]!.recvNs >= rec.frames[i - 1]!.recvNs, 'receive stamps are monotonic');
    const c = feed.counters(0).snapshot();
    assert.equal(c.frames, rec.frames.length);
    assert.equal(c.subscribeRequests, 3, '9 streams at 4 per SUBSCRIBE');
    assert.equal(c.subscribeAcks, 3);
    assert.equal(c.controlFrames, 3);
    assert.equal(c.connects, 1);
    assert.ok(c.bytes > c.frames * 20);
    assert.ok(c.liveSinceMonoMs > 0);
    // The sim saw exactly our streams on one /stream connection.
    const subs = simSubscriptions(sim);
    assert.equal(subs.length, 1);
    assert.equal(subs[0]!.path, '/stream');
    assert.deepEqual(subs[0]!.streams.sort(), [...streams].sort());
  } finally {
    await feed.stop();
    await sim.stop();
  }
});

test('raw mode: /ws delivers bare payloads', async () => {
  const sim = await startSim({ seed: 12, symbols: ['BTCUSDT', 'ETHUSDT'], rate: 200 });
  const rec = new FeedRecorder();
  const feed = new BinanceFeedClient({ market: 'spot', mode: 'raw', urls: { wsBase: sim.wsUrl }, symbols: ['BTCUSDT', 'ETHUSDT'], streams: ['depth'] }, rec);
  try {
    feed.start();
    await waitFor(() => (rec.byStream.get('btcusdt@depthUpdate') ?? 0) >= 3 && (rec.byStream.get('ethusdt@depthUpdate') ?? 0) >= 3, 5000, 'raw depth frames');
    assert.equal(simSubscriptions(sim)[0]!.path, '/ws');
    assert.ok(rec.frames.every((f) => f.payload.e === 'depthUpdate'));
  } finally {
    await feed.stop();
    await sim.stop();
  }
});

test('a refused SUBSCRIBE is reported and counted; the other streams go live', async () => {
  const sim = await startSim({ seed: 13, symbols: ['BTCUSDT', 'ETHUSDT'], rate: 200 });
  const rec = new FeedRecorder();
  // NOPEUSDT is not listed by the sim: its SUBSCRIBE is answered with an error.
  const feed = new BinanceFeedClient(
    { market: 'spot', urls: { wsBase: sim.wsUrl }, symbols: ['BTCUSDT', 'NOPEUSDT', 'ETHUSDT'], streams: ['depth@100ms', 'trade'], streamsPerSubscribe: 2 },
    rec,
  );
  try {
    feed.start();
    await waitFor(() => rec.count('subscribed') === 1, 5000, 'live');
    const errs = rec.of('subscribeError');
    assert.equal(errs.length, 1);
    assert.deepEqual(errs[0]!.streams, ['nopeusdt@depth@100ms', 'nopeusdt@trade']);
    assert.equal(typeof errs[0]!.error.code, 'number');
    assert.match(errs[0]!.error.msg, /nopeusdt/);
    assert.deepEqual([...rec.of('subscribed')[0]!.streams].sort(), ['btcusdt@depth@100ms', 'btcusdt@trade', 'ethusdt@depth@100ms', 'ethusdt@trade']);
    const c = feed.counters(0).snapshot();
    assert.equal(c.subscribeErrors, 1);
    assert.equal(c.subscribeAcks, 2);
    await waitFor(() => (rec.byStream.get('ethusdt@depth@100ms') ?? 0) >= 2, 5000, 'frames of the accepted streams');
    assert.equal(rec.count('interrupted'), 0, 'a refusal is not a disconnect');
  } finally {
    await feed.stop();
    await sim.stop();
  }
});

test('54 symbols over 3 connections: all flowing, SUBSCRIBEs paced under the venue limit of 5 messages/s', async () => {
  const symbols = syntheticSymbols(54);
  const sim = await startSim({ seed: 14, symbols, rate: 40, maxIncomingPerSec: 5 });
  const rec = new FeedRecorder();
  const feed = new BinanceFeedClient(
    {
      market: 'spot',
      urls: { wsBase: sim.wsUrl },
      symbols: symbols.map((s) => s.symbol),
      streams: ['depth@100ms', 'trade'],
      maxStreamsPerConnection: 40,
      streamsPerSubscribe: 4,
    },
    rec,
  );
  try {
    const t0 = Date.now();
    feed.start();
    assert.equal(feed.plan.length, 3);
    for (const p of feed.plan) assert.ok(p.streams.length <= 40 && p.streams.length === p.symbols.length * 2);
    const depth = symbols.map((s) => `${s.symbol.toLowerCase()}@depth@100ms`);
    await waitFor(() => depth.every((s) => (rec.byStream.get(s) ?? 0) >= 2), 20_000, 'depth frames of all 54 symbols');
    const took = Date.now() - t0;
    // 36 streams at 4 per request = 9 requests per connection; at 4 per ~1.1 s that takes > 2 s.
    assert.ok(took >= 2000, `subscriptions were paced (${took} ms)`);
    assert.equal(rec.count('subscribed'), 3);
    assert.equal(new Set(rec.of('subscribed').map((e) => e.conn)).size, 3);
    assert.equal(feed.liveCount(), 3);
    const subs = simSubscriptions(sim);
    assert.equal(subs.length, 3);
    assert.deepEqual(subs.flatMap((s) => s.streams).sort(), feed.plan.flatMap((p) => p.streams).sort());
    const closed = sim.publisher.stats.connections().closed;
    assert.equal(closed.rateLimit ?? 0, 0, 'the sim never cut us for sending too fast');
    assert.equal(rec.count('interrupted'), 0);
    assert.ok([...rec.byStream.keys()].some((k) => k.endsWith('@trade')), 'trades flow too');
    // Every frame came from the connection that carries its stream.
    for (const f of rec.frames.slice(0, 2000)) assert.ok(feed.plan[f.slot]!.streams.includes(f.stream));
  } finally {
    await feed.stop();
    await sim.stop();
  }
});

test('USD-M: depth and bookTicker go to /public, aggTrade to /market', async () => {
  const sim = await startSim({ seed: 15, market: 'usdm', symbols: ['BTCUSDT', 'ETHUSDT'], rate: 300 });
  const rec = new FeedRecorder();
  const feed = new BinanceFeedClient({ market: 'usdm', urls: { wsBase: sim.wsUrl }, symbols: ['BTCUSDT', 'ETHUSDT'], streams: ['depth@100ms', 'aggTrade', 'bookTicker'] }, rec);
  try {
    assert.deepEqual(
      feed.plan.map((p) => [p.route, p.url.slice(sim.wsUrl.length), [...p.streams]]),
      [
        ['public', '/public/stream', ['btcusdt@depth@100ms', 'btcusdt@bookTicker', 'ethusdt@depth@100ms', 'ethusdt@bookTicker']],
        ['market', '/market/stream', ['btcusdt@aggTrade', 'ethusdt@aggTrade']],
      ],
    );
    feed.start();
    await waitFor(() => rec.count('subscribed') === 2 && (rec.byStream.get('btcusdt@depth@100ms') ?? 0) >= 2 && (rec.byStream.get('ethusdt@bookTicker') ?? 0) >= 1, 5000, 'usdm frames');
    const subs = simSubscriptions(sim).sort((a, b) => a.path.localeCompare(b.path));
    assert.deepEqual(subs.map((s) => s.path), ['/market/stream', '/public/stream']);
    assert.deepEqual(subs[0]!.streams.sort(), ['btcusdt@aggTrade', 'ethusdt@aggTrade']);
    assert.ok(subs[1]!.streams.every((s) => s.includes('@depth') || s.includes('@bookTicker')));
    const depthFrame = rec.framesOf('btcusdt@depth@100ms')[0]!;
    assert.equal(typeof depthFrame.payload.pu, 'number', 'USD-M diffs carry pu');
    await sleep(50);
  } finally {
    await feed.stop();
    await sim.stop();
  }
});

test('the connection-attempt budget delays connections beyond it', async () => {
  const sim = await startSim({ seed: 16, symbols: ['BTCUSDT', 'ETHUSDT', 'XRPUSDT'], rate: 100 });
  const rec = new FeedRecorder();
  const feed = new BinanceFeedClient(
    { market: 'spot', urls: { wsBase: sim.wsUrl }, symbols: ['BTCUSDT', 'ETHUSDT', 'XRPUSDT'], streams: ['depth'], maxStreamsPerConnection: 1, connectAttempts: { max: 2, windowMs: 700 } },
    rec,
  );
  try {
    const t0 = Date.now();
    feed.start();
    await waitFor(() => rec.count('subscribed') === 3, 5000, 'three connections live');
    const connectedAt = rec.of('connected').map((e) => e.at - t0).sort((a, b) => a - b);
    assert.equal(connectedAt.length, 3);
    assert.ok(connectedAt[2]! >= 650, `the third connection waited for the window (${connectedAt.join(', ')} ms)`);
    assert.equal(feed.totals().budgetWaits, 1);
  } finally {
    await feed.stop();
    await sim.stop();
  }
});
