/** Depth snapshots and server time against the sim's REST routes, with its 429/418/500/delay faults. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DepthSnapshotFetcher, FeedError, RestGate, ServerTimeSync, depthWeight } from '../../../src/venues/binance/feed/index.js';
import type { SimExchange } from '../../../src/venues/sim/server/exchange.js';
import { startSim } from './feed-helpers.js';

function isFeedError(code: string): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof FeedError, String(err));
    assert.equal(err.code, code, err.message);
    return true;
  };
}

describe('depth snapshots (spot)', () => {
  let sim: SimExchange;
  before(async () => {
    sim = await startSim({ seed: 51, symbols: ['BTCUSDT', 'ETHUSDT'], rate: 0 });
  });
  after(() => sim.stop());

  test('returns the raw body: the documented snapshot shape, with the weight of the limit accounted', async () => {
    const f = new DepthSnapshotFetcher({ market: 'spot', restBase: sim.url });
    const body = await f.fetch('BTCUSDT', 500);
    assert.ok(Buffer.isBuffer(body));
    const snap = JSON.parse(body.toString('utf8'));
    assert.equal(typeof snap.lastUpdateId, 'number');
    assert.equal(snap.lastUpdateId, sim.engine.book('BTCUSDT').lastUpdateId);
    assert.ok(snap.bids.length > 10 && snap.asks.length > 10);
    assert.equal(typeof snap.bids[0][0], 'string');
    assert.equal(f.gate.usedWeight(), depthWeight('spot', 500), 'the sim sends no X-MBX-USED-WEIGHT-1M on depth: our own sum');
    assert.deepEqual(f.counters, { requested: 1, coalesced: 0, fetched: 1, failed: 0 });
  });

  test('single flight per symbol: concurrent asks share one request', async () => {
    const f = new DepthSnapshotFetcher({ market: 'spot', restBase: sim.url });
    sim.faults.inject({ kind: 'snapshotDelay', ms: 150, symbol: 'BTCUSDT' });
    const asks = [f.fetch('BTCUSDT'), f.fetch('BTCUSDT'), f.fetch('BTCUSDT'), f.fetch('ETHUSDT')];
    const bodies = await Promise.all(asks);
    assert.equal(bodies[0], bodies[1], 'the same Buffer');
    assert.equal(bodies[0], bodies[2]);
    assert.notEqual(bodies[0], bodies[3]);
    assert.deepEqual(f.counters, { requested: 4, coalesced: 2, fetched: 2, failed: 0 });
    assert.equal(f.gate.counters.requests, 2);
    // After it completed, a new ask makes a new request.
    await f.fetch('BTCUSDT');
    assert.equal(f.gate.counters.requests, 3);
  });

  test('429: waits Retry-After, then succeeds; the back-off holds every caller on the gate', async () => {
    const gate = new RestGate(6000);
    const f = new DepthSnapshotFetcher({ market: 'spot', restBase: sim.url, gate });
    const time = new ServerTimeSync({ market: 'spot', restBase: sim.url, gate, burst: 1 });
    sim.faults.inject({ kind: 'http429', retryAfterSec: 1, route: '/api/v3/depth' });
    const t0 = Date.now();
    const p = f.fetch('BTCUSDT', 100);
    await new Promise((r) => setTimeout(r, 100));
    // The time poll shares the gate: it waits out the 429 too, though its route is not faulted.
    const tp = time.syncNow();
    const body = await p;
    const took = Date.now() - t0;
    await tp;
    const timeDone = Date.now() - t0;
    assert.ok(took >= 950, `waited Retry-After (${took} ms)`);
    assert.ok(timeDone >= 950, `the time request waited too (${timeDone} ms)`);
    assert.equal(JSON.parse(body.toString()).bids.length, 100);
    assert.equal(gate.counters.http429, 1);
    assert.ok(gate.counters.waits >= 2);
    assert.equal(time.counters.samples, 1);
    time.stop();
  });

  test('418: the ban is backed off for its Retry-After until it ends, and counted', async () => {
    const f = new DepthSnapshotFetcher({ market: 'spot', restBase: sim.url });
    sim.faults.inject({ kind: 'http418', ms: 1300, retryAfterSec: 1 });
    const t0 = Date.now();
    const body = await f.fetch('ETHUSDT', 10);
    const took = Date.now() - t0;
    assert.equal(JSON.parse(body.toString()).asks.length, 10);
    assert.equal(f.gate.counters.http418, 2, 'banned at 0 s and again at 1 s; served at 2 s');
    assert.ok(took >= 1950 && took < 4000, `${took} ms`);
    assert.equal(f.gate.blockedBy, 418);
  });

  test('a ban longer than maxWaitMs fails at once with BINANCE_REST_BANNED', async () => {
    const f = new DepthSnapshotFetcher({ market: 'spot', restBase: sim.url, maxWaitMs: 500 });
    sim.faults.inject({ kind: 'http418', ms: 800, retryAfterSec: 2 });
    const t0 = Date.now();
    await assert.rejects(f.fetch('BTCUSDT'), (err: unknown) => isFeedError('BINANCE_REST_BANNED')(err) && (err as FeedError).status === 418);
    assert.ok(Date.now() - t0 < 400);
    assert.equal(f.counters.failed, 1);
    await new Promise((r) => setTimeout(r, 850));
    sim.faults.clear();
  });

  test('a 500 is retried; a slow reply times out with BINANCE_REST_TIMEOUT', async () => {
    const f = new DepthSnapshotFetcher({ market: 'spot', restBase: sim.url, timeoutMs: 150, maxAttempts: 2 });
    sim.faults.inject({ kind: 'snapshotError' });
    const body = await f.fetch('BTCUSDT', 5);
    assert.equal(JSON.parse(body.toString()).bids.length, 5);
    assert.equal(f.gate.counters.http5xx, 1);
    sim.faults.inject({ kind: 'snapshotDelay', ms: 400, count: 2 });
    await assert.rejects(f.fetch('BTCUSDT', 5), isFeedError('BINANCE_REST_TIMEOUT'));
    assert.equal(f.gate.counters.timeouts, 2);
    await new Promise((r) => setTimeout(r, 450));
  });

  test('bad arguments and a stopped fetcher fail with clear codes', async () => {
    const f = new DepthSnapshotFetcher({ market: 'spot', restBase: sim.url });
    await assert.rejects(f.fetch('BTCUSDT', 6000), (err: unknown) => isFeedError('BINANCE_FEED_CONFIG')(err) && /limit must be an integer in \[1, 5000\]/.test((err as Error).message));
    await assert.rejects(f.fetch('btc usdt'), isFeedError('BINANCE_FEED_CONFIG'));
    await assert.rejects(f.fetch('NOPEUSDT'), (err: unknown) => isFeedError('BINANCE_REST_HTTP')(err) && (err as FeedError).status === 400);
    sim.faults.inject({ kind: 'snapshotDelay', ms: 300 });
    const pending = f.fetch('ETHUSDT');
    f.stop();
    await assert.rejects(pending, isFeedError('BINANCE_FEED_STOPPED'));
    await assert.rejects(f.fetch('ETHUSDT'), isFeedError('BINANCE_FEED_STOPPED'));
    await new Promise((r) => setTimeout(r, 350));
  });
});

test('USD-M snapshots: /fapi/v1/depth, only the documented limits', async () => {
  const sim = await startSim({ seed: 52, market: 'usdm', symbols: ['BTCUSDT'], rate: 0 });
  try {
    const f = new DepthSnapshotFetcher({ market: 'usdm', restBase: sim.url });
    await assert.rejects(f.fetch('BTCUSDT', 7), isFeedError('BINANCE_FEED_CONFIG'));
    const snap = JSON.parse((await f.fetch('BTCUSDT', 100)).toString());
    assert.equal(typeof snap.T, 'number', 'USD-M snapshots carry T');
    assert.equal(snap.bids.length, 100);
    assert.equal(f.gate.usedWeight(), 5);
    assert.equal(f.gate.weightLimitPerMin, 2400);
  } finally {
    await sim.stop();
  }
});

test('clock offset against the sim: ~0 for the same clock, the skew for a skewed one, within RTT', async () => {
  for (const skewMs of [0, 5000, -1200]) {
    const sim = await startSim({ seed: 53, symbols: ['BTCUSDT'], rate: 0, clock: { nowMs: () => Date.now() + skewMs } });
    const sync = new ServerTimeSync({ market: 'spot', restBase: sim.url, burst: 5, periodMs: 60_000 });
    try {
      await sync.start();
      assert.equal(sync.counters.samples, 5);
      const off = sync.estimator.offsetMs;
      const bound = sync.estimator.uncertaintyMs + 1; // + 1: Date.now() has ms resolution
      assert.ok(Math.abs(off - skewMs) <= bound, `skew ${skewMs}: offset ${off} within ±${bound}`);
      assert.ok(Math.abs(sync.estimator.serverNowMs() - (Date.now() + skewMs)) <= bound + 2);
    } finally {
      sync.stop();
      await sim.stop();
    }
  }
});

test('the weight header is tracked; a request that would exceed the minute limit waits for the next minute', () => {
  let now = 120_000; // start of a minute
  const gate = new RestGate(100, () => now);
  gate.sent(5);
  assert.equal(gate.usedWeight(), 5);
  gate.observe(200, new Headers({ 'X-MBX-USED-WEIGHT-1M': '90' }));
  assert.equal(gate.usedWeight(), 90, "the venue's count wins over ours");
  assert.equal(gate.waitMs(10), 0);
  now += 20_000;
  assert.equal(gate.waitMs(11), 40_050, 'over the limit: wait for the next minute (+50 ms margin)');
  now += 40_000;
  assert.equal(gate.usedWeight(), 0, 'a new minute');
  gate.observe(429, new Headers({ 'Retry-After': '7' }));
  assert.equal(gate.waitMs(1), 7000);
  gate.observe(418, new Headers({}));
  assert.equal(gate.waitMs(1), 60_000, 'a 418 without Retry-After backs off a minute');
  assert.equal(gate.counters.http418, 1);
});
