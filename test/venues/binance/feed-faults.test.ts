/**
 * Liveness and recovery against the sim's injected faults: drop, stall (read deadline),
 * serverShutdown (with and without grace), the venue's lifetime close, our proactive
 * make-before-break lifetime reconnect, and server pings answered with echoing pongs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BinanceFeedClient, type BinanceFeedOptions } from '../../../src/venues/binance/feed/index.js';
import type { SimExchange } from '../../../src/venues/sim/server/exchange.js';
import { FeedRecorder, simSubscriptions, sleep, startSim, waitFor, type RecordedFrame } from './feed-helpers.js';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];
const DEPTH = ['btcusdt@depth@100ms', 'ethusdt@depth@100ms'];

function feedOn(sim: SimExchange, rec: FeedRecorder, extra: Partial<BinanceFeedOptions> = {}): BinanceFeedClient {
  return new BinanceFeedClient(
    {
      market: 'spot',
      urls: { wsBase: sim.wsUrl, restBase: sim.url },
      symbols: SYMBOLS,
      streams: ['depth@100ms', 'trade'],
      backoff: { initialMs: 100, maxMs: 400, seed: 7 },
      ...extra,
    },
    rec,
  );
}

async function live(rec: FeedRecorder, n = 1): Promise<void> {
  await waitFor(() => rec.count('subscribed') >= n && DEPTH.every((s) => rec.framesOf(s).length >= 2), 5000, 'live with frames');
}

/** Frames of `stream` that arrived on connection `conn`. */
function framesOn(rec: FeedRecorder, conn: number, stream: string): RecordedFrame[] {
  return rec.frames.filter((f) => f.conn === conn && f.stream === stream);
}

test('drop: streams interrupted, reconnect after backoff, resubscribed, frames resume', async () => {
  const sim = await startSim({ seed: 21, symbols: SYMBOLS, rate: 200 });
  const rec = new FeedRecorder();
  const feed = feedOn(sim, rec);
  try {
    feed.start();
    await live(rec);
    const firstConn = rec.of('subscribed')[0]!.conn;
    sim.faults.inject({ kind: 'drop' });
    await waitFor(() => rec.count('subscribed') === 2, 5000, 'resubscribed');
    const [interrupted] = rec.of('interrupted');
    assert.ok(interrupted, 'interruption reported');
    assert.equal(interrupted.reason, 'remoteClose');
    assert.equal(interrupted.conn, firstConn);
    assert.deepEqual([...interrupted.streams].sort(), ['btcusdt@depth@100ms', 'btcusdt@trade', 'ethusdt@depth@100ms', 'ethusdt@trade']);
    const again = rec.of('subscribed')[1]!;
    assert.equal(again.resubscribed, true);
    assert.notEqual(again.conn, firstConn);
    const reconnectedAt = rec.of('connected')[1]!.at;
    assert.ok(reconnectedAt - interrupted.at >= 90, `waited the backoff (${reconnectedAt - interrupted.at} ms)`);
    await waitFor(() => DEPTH.every((s) => framesOn(rec, again.conn, s).length >= 2), 5000, 'frames on the new connection');
    assert.equal(rec.count('interrupted'), 1);
    const c = feed.counters(0).snapshot();
    assert.equal(c['reconnects.remoteClose'], 1);
    assert.equal(c.connects, 2);
    assert.deepEqual(simSubscriptions(sim)[0]!.streams.sort(), [...interrupted.streams].sort(), 'the sim sees the streams again');
  } finally {
    await feed.stop();
    await sim.stop();
  }
});

test('venue down: refused attempts back off with jittered delays within bounds; when it returns the streams resubscribe', async () => {
  const first = await startSim({ seed: 28, symbols: SYMBOLS, rate: 200 });
  const port = first.port;
  const rec = new FeedRecorder();
  const feed = feedOn(first, rec, { backoff: { initialMs: 40, maxMs: 300, seed: 3 } });
  let second: SimExchange | null = null;
  try {
    feed.start();
    await live(rec);
    await first.stop();
    await waitFor(() => rec.of('disconnected').filter((e) => e.reason === 'error').length >= 6, 8000, 'refused attempts');
    const refused = rec.of('disconnected').filter((e) => e.reason === 'error');
    assert.match(refused[0]!.detail, /ECONNREFUSED/);
    const gaps = refused.slice(1).map((e, i) => e.at - refused[i]!.at);
    for (const g of gaps) assert.ok(g >= 35 && g <= 300 + 400, `delay between attempts within [initial, max] (${gaps.join(', ')} ms)`);
    assert.ok(new Set(gaps).size > 1, 'jittered');
    assert.equal(rec.count('interrupted'), 1, 'one interruption however many attempts fail');
    assert.equal(rec.of('interrupted')[0]!.reason, 'remoteClose');
    second = await startSim({ port, seed: 28, symbols: SYMBOLS, rate: 200 });
    await waitFor(() => rec.count('subscribed') === 2, 5000, 'resubscribed after the venue came back');
    assert.equal(rec.of('subscribed')[1]!.resubscribed, true);
    const c = feed.counters(0).snapshot();
    assert.ok(c['reconnects.error'] >= 6);
    assert.equal(c.connects, 2);
  } finally {
    await feed.stop();
    await second?.stop();
  }
});

test('stall: the read deadline declares the silent connection dead although TCP is up, then it reconnects', async () => {
  const sim = await startSim({ seed: 22, symbols: SYMBOLS, rate: 300 });
  const rec = new FeedRecorder();
  const feed = feedOn(sim, rec, { readDeadlineMs: 300 });
  try {
    feed.start();
    await live(rec);
    const t0 = Date.now();
    sim.faults.inject({ kind: 'stall', ms: 5000 });
    await waitFor(() => rec.count('interrupted') === 1, 3000, 'read deadline');
    const ev = rec.of('interrupted')[0]!;
    assert.equal(ev.reason, 'readDeadline');
    const after = ev.at - t0;
    assert.ok(after >= 280 && after < 2500, `fired after ~300 ms of silence (${after} ms)`);
    await waitFor(() => rec.count('subscribed') === 2, 5000, 'resubscribed');
    const conn = rec.of('subscribed')[1]!.conn;
    await waitFor(() => DEPTH.every((s) => framesOn(rec, conn, s).length >= 2), 5000, 'frames after the stall');
    const c = feed.counters(0).snapshot();
    assert.equal(c.readDeadlineExpiries, 1);
    assert.equal(c['reconnects.readDeadline'], 1);
    assert.equal(simSubscriptions(sim).length, 1, 'the stalled socket was cut');
  } finally {
    await feed.stop();
    await sim.stop();
  }
});

test('a SUBSCRIBE without reply times out: the connection is dropped and the next one subscribes', async () => {
  const sim = await startSim({ seed: 29, symbols: SYMBOLS, rate: 200 });
  let stalled = false;
  const rec = new (class extends FeedRecorder {
    override onConnected(conn: Parameters<FeedRecorder['onConnected']>[0]): void {
      super.onConnected(conn);
      // Hold everything the sim sends on the first connection, replies included.
      if (!stalled) sim.faults.inject({ kind: 'stall', ms: 3000 });
      stalled = true;
    }
  })();
  const feed = feedOn(sim, rec, { subscribeTimeoutMs: 300, readDeadlineMs: 5000 });
  try {
    feed.start();
    await waitFor(() => rec.count('subscribed') === 1, 5000, 'subscribed on the second connection');
    const d = rec.of('disconnected')[0]!;
    assert.equal(d.reason, 'subscribeTimeout');
    assert.match(d.detail, /no reply to SUBSCRIBE id \d+ in 300 ms/);
    assert.equal(rec.count('interrupted'), 0, 'the streams were never live, so nothing was interrupted');
    assert.equal(rec.of('subscribed')[0]!.resubscribed, false);
    const c = feed.counters(0).snapshot();
    assert.equal(c.subscribeTimeouts, 1);
    assert.equal(c['reconnects.subscribeTimeout'], 1);
    assert.equal(c.connects, 2);
  } finally {
    await feed.stop();
    await sim.stop();
  }
});

test('serverShutdown with grace: the replacement is live before the old socket closes; no interruption', async () => {
  const sim = await startSim({ seed: 23, symbols: SYMBOLS, rate: 200 });
  const rec = new FeedRecorder();
  const feed = feedOn(sim, rec);
  try {
    feed.start();
    await live(rec);
    sim.faults.inject({ kind: 'serverShutdown', ms: 3000 });
    await waitFor(() => rec.count('handover') === 1, 3000, 'handover');
    const h = rec.of('handover')[0]!;
    assert.equal(h.reason, 'serverShutdown');
    assert.equal(rec.count('interrupted'), 0);
    assert.equal(rec.of('disconnected')[0]!.reason, 'replaced');
    await waitFor(() => DEPTH.every((s) => framesOn(rec, h.to, s).length >= 2), 3000, 'frames on the replacement');
    assert.equal(feed.counters(0).snapshot().handoversShutdown, 1);
    assert.equal(simSubscriptions(sim).length, 1);
  } finally {
    await feed.stop();
    await sim.stop();
  }
});

test('serverShutdown then an immediate close: interrupted once, the replacement already under way resubscribes', async () => {
  const sim = await startSim({ seed: 24, symbols: SYMBOLS, rate: 200 });
  const rec = new FeedRecorder();
  // Two SUBSCRIBEs a second apart: the replacement cannot be live before the sim closes the old socket.
  const feed = feedOn(sim, rec, { backoff: { initialMs: 2000, maxMs: 4000, seed: 1 }, streamsPerSubscribe: 2, subscribeRatePerSec: 1 });
  try {
    feed.start();
    await live(rec);
    const t0 = Date.now();
    sim.faults.inject({ kind: 'serverShutdown', ms: 0 });
    await waitFor(() => rec.count('subscribed') === 2, 6000, 'resubscribed');
    const ev = rec.of('interrupted');
    assert.equal(ev.length, 1);
    assert.equal(ev[0]!.reason, 'serverShutdown');
    const replacement = rec.of('connected')[1]!;
    assert.ok(replacement.at - t0 < 1000, `the replacement was opened on the notice, not after the 2 s backoff (${replacement.at - t0} ms)`);
    const again = rec.of('subscribed')[1]!;
    assert.equal(again.resubscribed, true);
    assert.equal(again.conn, replacement.conn);
    assert.equal(rec.count('handover'), 0);
    const c = feed.counters(0).snapshot();
    assert.equal(c['reconnects.serverShutdown'], 1);
    assert.equal(c.connects, 2);
  } finally {
    await feed.stop();
    await sim.stop();
  }
});

test("the venue's own lifetime close is a disconnect like any other", async () => {
  const sim = await startSim({ seed: 25, symbols: SYMBOLS, rate: 200, connectionLifetimeMs: 600 });
  const rec = new FeedRecorder();
  const feed = feedOn(sim, rec);
  try {
    feed.start();
    await waitFor(() => rec.count('subscribed') >= 2, 5000, 'a reconnect after the venue closed us');
    const ev = rec.of('interrupted')[0]!;
    assert.equal(ev.reason, 'remoteClose');
    assert.match(rec.of('disconnected')[0]!.detail, /lifetime/);
  } finally {
    await feed.stop();
    await sim.stop();
  }
});

test('lifetime: proactive make-before-break — the sim always has our streams subscribed, and the depth sequence has no gap', async () => {
  const sim = await startSim({ seed: 26, symbols: SYMBOLS, rate: 300 });
  const rec = new FeedRecorder();
  const feed = feedOn(sim, rec, { lifetimeMs: 700, lifetimeSpreadMs: 0, streamsPerSubscribe: 1 });
  const expected = ['btcusdt@depth@100ms', 'btcusdt@trade', 'ethusdt@depth@100ms', 'ethusdt@trade'];
  let checks = 0;
  const uncovered: string[] = [];
  let monitor: NodeJS.Timeout | null = null;
  try {
    feed.start();
    await live(rec);
    monitor = setInterval(() => {
      checks++;
      const subscribed = new Set(simSubscriptions(sim).flatMap((s) => s.streams));
      for (const s of expected) if (!subscribed.has(s)) uncovered.push(`${s} at check ${checks}`);
    }, 5);
    await waitFor(() => rec.count('handover') >= 2, 6000, 'two lifetime handovers');
    await sleep(100);
    clearInterval(monitor);
    monitor = null;
    assert.ok(checks > 50, `monitored (${checks} checks)`);
    assert.deepEqual(uncovered, [], 'never a moment without a subscribed connection');
    assert.equal(rec.count('interrupted'), 0);
    assert.ok(rec.of('handover').every((h) => h.reason === 'lifetime'));
    assert.equal(feed.counters(0).snapshot().handoversLifetime, rec.count('handover'));
    // What a book would see: each diff either repeats (u <= book id) or continues (U == id + 1).
    for (const stream of DEPTH) {
      let id = -1;
      let dups = 0;
      for (const f of rec.framesOf(stream)) {
        const { U, u } = f.payload as { U: number; u: number };
        if (id >= 0 && u <= id) {
          dups++;
          continue;
        }
        if (id >= 0) assert.equal(U, id + 1, `${stream}: no gap at U=${U} after u=${id}`);
        id = u;
      }
      assert.ok(id > 0);
      void dups;
    }
    const conns = new Set(rec.frames.map((f) => f.conn));
    assert.ok(conns.size >= 3, 'frames came from the successive connections');
  } finally {
    if (monitor) clearInterval(monitor);
    await feed.stop();
    await sim.stop();
  }
});

test('server pings are answered with pongs echoing the payload: the pong check never closes us', async () => {
  const sim = await startSim({ seed: 27, symbols: SYMBOLS, rate: 50, pingIntervalMs: 100, pongTimeoutMs: 300, maxIncomingPerSec: 0 });
  const rec = new FeedRecorder();
  const feed = feedOn(sim, rec);
  try {
    feed.start();
    await live(rec);
    await sleep(1300);
    const c = feed.counters(0).snapshot();
    assert.ok(c.pings >= 6, `pinged (${c.pings})`);
    assert.equal(c.pongs, c.pings);
    const closed = sim.publisher.stats.connections().closed;
    assert.equal(closed.pongTimeout ?? 0, 0);
    assert.equal(rec.count('interrupted'), 0);
    assert.equal(c.connects, 1);
  } finally {
    await feed.stop();
    await sim.stop();
  }
});
