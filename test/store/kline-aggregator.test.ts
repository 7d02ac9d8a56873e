import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KlineAggregator } from '../../src/store/klines/kline-aggregator.js';
import { KlineHub } from '../../src/store/klines/kline-hub.js';
import type { Kline } from '../../src/store/klines/kline.js';
import { KLINE_PERIODS, type KlinePeriod } from '../../src/store/klines/periods.js';

/** Period lengths written out again here, so the reference does not share the module's table. */
const REF_PERIOD_MS: Record<KlinePeriod, bigint> = {
  '1m': 60n * 1000n,
  '5m': 5n * 60n * 1000n,
  '15m': 15n * 60n * 1000n,
  '1h': 60n * 60n * 1000n,
  '4h': 4n * 60n * 60n * 1000n,
  '1d': 24n * 60n * 60n * 1000n,
};

interface Trade {
  t: number;
  price: bigint;
  qty: bigint;
}

interface RefCandle {
  key: string;
  openTimeMs: number;
  closeTimeMs: number;
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
  volume: bigint;
  quoteVolume: bigint;
  trades: number;
}

/** Candles by plain grouping of the trades (in arrival order, times non-decreasing). */
function reference(trades: readonly Trade[], period: KlinePeriod): RefCandle[] {
  const p = REF_PERIOD_MS[period];
  const groups = new Map<bigint, Trade[]>();
  for (const tr of trades) {
    const open = (BigInt(tr.t) / p) * p;
    const g = groups.get(open);
    if (g) g.push(tr);
    else groups.set(open, [tr]);
  }
  return [...groups.entries()].map(([open, g]) => ({
    key: `${period}@${open}`,
    openTimeMs: Number(open),
    closeTimeMs: Number(open + p),
    open: g[0]!.price,
    high: g.reduce((m, x) => (x.price > m ? x.price : m), g[0]!.price),
    low: g.reduce((m, x) => (x.price < m ? x.price : m), g[0]!.price),
    close: g[g.length - 1]!.price,
    volume: g.reduce((s, x) => s + x.qty, 0n),
    quoteVolume: g.reduce((s, x) => s + x.price * x.qty, 0n),
    trades: g.length,
  }));
}

function asRef(k: Kline): RefCandle {
  return {
    key: `${k.period}@${k.openTimeMs}`,
    openTimeMs: k.openTimeMs,
    closeTimeMs: k.closeTimeMs,
    open: k.open,
    high: k.high,
    low: k.low,
    close: k.close,
    volume: k.volume,
    quoteVolume: k.quoteVolume,
    trades: k.trades,
  };
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** Bursts of trades, same-millisecond ties, and gaps from seconds to hours, across a UTC day boundary. */
function generateTrades(seed: number, count: number): Trade[] {
  const r = rng(seed);
  let t = Date.UTC(2024, 1, 28, 21, 58, 17, 123);
  const out: Trade[] = [];
  while (out.length < count) {
    const x = r();
    if (x < 0.01) t += Math.floor(r() * 5 * 3_600_000); // hours: gaps in 1h and 4h
    else if (x < 0.06) t += Math.floor(r() * 20 * 60_000); // minutes: gaps in 1m/5m/15m
    else if (x < 0.2) t += 0; // same millisecond
    else t += Math.floor(r() * 4000);
    out.push({ t, price: 1_000_000n + BigInt(Math.floor(r() * 1_000_000)), qty: 1n + BigInt(Math.floor(r() * 100_000_000)) });
  }
  return out;
}

interface Emitted {
  k: Kline;
  clock: number;
}

for (const seed of [1, 7, 2024]) {
  test(`random trades across period boundaries and gaps match an independent reference (seed ${seed})`, () => {
    const trades = generateTrades(seed, 3000);
    const r = rng(seed * 31);
    const emitted: Emitted[] = [];
    let clock = trades[0]!.t;
    const agg = new KlineAggregator({
      venue: 'sim',
      symbol: 'BTCUSDT',
      priceScale: 2,
      qtyScale: 8,
      onKline: (k) => emitted.push({ k, clock }),
    });
    /** Every time the aggregator was told about (trade times and tick times), in order. */
    const eventTimes: number[] = [];
    for (const tr of trades) {
      // The fake clock ticks a few times between trades, never past the next trade.
      while (r() < 0.5) {
        const next = clock + Math.floor(r() * (tr.t - clock + 1));
        if (next > tr.t) break;
        clock = next;
        eventTimes.push(clock);
        agg.tick(clock);
      }
      clock = tr.t;
      eventTimes.push(clock);
      assert.equal(agg.addTrade(tr.t, tr.price, tr.qty), 'accepted');
    }
    const endClock = clock + 3 * 3_600_000;
    for (let c = clock + 10_000; c <= endClock; c += 10_000) {
      clock = c;
      eventTimes.push(c);
      agg.tick(c);
    }

    assert.equal(agg.stats.late, 0);
    for (const period of KLINE_PERIODS) {
      const ref = reference(trades, period);
      const finals = emitted.filter((e) => e.k.period === period && e.k.closed);
      const open = agg.openCandles().filter((k) => k.period === period);
      assert.ok(finals.every((e) => e.k.closeTimeMs <= endClock));
      assert.deepEqual(
        [...finals.map((e) => asRef(e.k)), ...open.map(asRef)].sort((a, b) => a.openTimeMs - b.openTimeMs),
        ref,
        `${period} candles differ from the reference`,
      );
      // Exactly the candles whose period has passed are final, each emitted once, on time:
      // at the first trade or tick at or after its close time.
      assert.equal(finals.length, ref.filter((c) => c.closeTimeMs <= endClock).length, `${period} finals`);
      assert.equal(new Set(finals.map((e) => e.k.openTimeMs)).size, finals.length, `${period} emitted twice`);
      for (const e of finals) {
        const due = eventTimes.find((x) => x >= e.k.closeTimeMs);
        assert.equal(e.clock, due, `${period} candle at ${new Date(e.k.openTimeMs).toISOString()} closed at ${e.clock}, due ${due}`);
      }
      // Gaps stay gaps: no candle without a trade.
      assert.ok(finals.every((e) => e.k.trades > 0));
    }
    // The periods agree: each 1h volume is the sum of its 1m volumes.
    const vol1m = new Map<number, bigint>();
    for (const e of emitted) {
      if (e.k.period !== '1m' || !e.k.closed) continue;
      const h = e.k.openTimeMs - (e.k.openTimeMs % 3_600_000);
      vol1m.set(h, (vol1m.get(h) ?? 0n) + e.k.volume);
    }
    for (const e of emitted) if (e.k.period === '1h' && e.k.closed) assert.equal(e.k.volume, vol1m.get(e.k.openTimeMs));
  });
}

test('a quiet market still closes its candle when the minute has passed, not before', () => {
  const out: Kline[] = [];
  const agg = new KlineAggregator({ venue: 'sim', symbol: 'X', priceScale: 0, qtyScale: 0, periods: ['1m', '5m'], onKline: (k) => out.push(k) });
  const m = Date.UTC(2024, 0, 1, 0, 7); // 00:07, inside the 00:05 five-minute candle
  agg.addTrade(m + 5_000, 10n, 1n);
  assert.equal(agg.tick(m + 59_999), 0);
  assert.equal(out.length, 0);
  assert.equal(agg.tick(m + 60_000), 1);
  assert.deepEqual(
    out.map((k) => [k.period, k.openTimeMs, k.closed]),
    [['1m', m, true]],
  );
  assert.equal(agg.tick(Date.UTC(2024, 0, 1, 0, 10) - 1), 0);
  assert.equal(agg.tick(Date.UTC(2024, 0, 1, 0, 10)), 1);
  assert.deepEqual(out[1] && [out[1].period, out[1].openTimeMs], ['5m', Date.UTC(2024, 0, 1, 0, 5)]);
  // Nothing is open any more, and nothing is invented for the silent minutes.
  assert.equal(agg.tick(Date.UTC(2024, 0, 1, 3)), 0);
  assert.deepEqual(agg.openCandles(), []);
});

test('grace delays the close by tick; trades arriving within it still count', () => {
  const out: Kline[] = [];
  const agg = new KlineAggregator({ venue: 'sim', symbol: 'X', priceScale: 0, qtyScale: 0, periods: ['1m'], graceMs: 2000, onKline: (k) => out.push(k) });
  const m = Date.UTC(2024, 0, 1, 12, 0);
  agg.addTrade(m + 59_000, 5n, 1n);
  assert.equal(agg.tick(m + 61_000), 0); // 1 s past the minute, within grace
  assert.equal(agg.addTrade(m + 59_500, 6n, 2n), 'accepted'); // delayed trade of the same minute
  assert.equal(agg.tick(m + 62_000), 1);
  assert.equal(out[0]?.volume, 3n);
  assert.equal(out[0]?.close, 6n);
  assert.equal(agg.addTrade(m + 59_900, 7n, 1n), 'late');
  assert.equal(agg.stats.late, 1);
});

test('late trades are dropped from every period; out-of-order trades inside an open candle set open/close by time', () => {
  const out: Kline[] = [];
  const agg = new KlineAggregator({ venue: 'sim', symbol: 'X', priceScale: 1, qtyScale: 1, periods: ['1m', '5m'], onKline: (k) => out.push(k) });
  const m = Date.UTC(2024, 0, 1, 0, 0);
  agg.addTrade(m + 30_000, 100n, 1n);
  agg.addTrade(m + 10_000, 90n, 1n); // earlier, same minute: becomes the open
  agg.addTrade(m + 20_000, 95n, 1n); // not the latest: close stays 100
  const [one] = agg.openCandles();
  assert.deepEqual([one?.open, one?.close, one?.high, one?.low, one?.trades], [90n, 100n, 100n, 90n, 3]);
  agg.addTrade(m + 61_000, 110n, 1n); // closes the first minute
  assert.equal(agg.addTrade(m + 59_000, 1n, 1000n), 'late');
  const fiveMin = agg.openCandles().find((k) => k.period === '5m');
  assert.equal(fiveMin?.volume, 4n, 'the late trade must not reach the still-open 5m candle either');
  assert.equal(fiveMin?.low, 90n);
});

test('emitOpen sends changed open candles on each tick, then the final one', () => {
  const out: Kline[] = [];
  const agg = new KlineAggregator({ venue: 'sim', symbol: 'X', priceScale: 0, qtyScale: 0, periods: ['1m'], emitOpen: true, onKline: (k) => out.push(k) });
  const m = Date.UTC(2024, 0, 1);
  agg.addTrade(m + 1000, 10n, 1n);
  agg.tick(m + 2000);
  agg.tick(m + 3000); // unchanged: nothing
  agg.addTrade(m + 4000, 12n, 1n);
  agg.tick(m + 5000);
  agg.tick(m + 60_000);
  assert.deepEqual(
    out.map((k) => [k.closed, k.close, k.trades]),
    [
      [false, 10n, 1],
      [false, 12n, 2],
      [true, 12n, 2],
    ],
  );
});

test('malformed trades are counted, not thrown; quote volume is exact beyond int64', () => {
  const out: Kline[] = [];
  const agg = new KlineAggregator({ venue: 'sim', symbol: 'X', priceScale: 18, qtyScale: 18, periods: ['1m'], onKline: (k) => out.push(k) });
  assert.equal(agg.addTrade(1.5, 1n, 1n), 'invalid');
  assert.equal(agg.addTrade(1000, 0n, 1n), 'invalid');
  assert.equal(agg.addTrade(1000, 1n, -1n), 'invalid');
  assert.equal(agg.addTrade(1000, 1 as unknown as bigint, 1n), 'invalid');
  assert.equal(agg.stats.invalid, 4);
  const big = 9_223_372_036_854_775_807n;
  agg.addTrade(1000, big, big);
  agg.addTrade(2000, big, big);
  agg.tick(60_000);
  assert.equal(out[0]?.quoteVolume, 2n * big * big);
  assert.equal(out[0]?.volume, 2n * big);
});

test('KlineHub routes trades by instrument and its timer closes candles on the given clock', async () => {
  const out: Kline[] = [];
  let now = Date.UTC(2024, 0, 1, 0, 0, 30);
  const hub = new KlineHub({ onKline: (k) => out.push(k), periods: ['1m'], now: () => now });
  hub.register({ venue: 'a', symbol: 'X', priceScale: 0, qtyScale: 0 });
  hub.register({ venue: 'b', symbol: 'X', priceScale: 0, qtyScale: 0 });
  assert.equal(hub.addTrade('a', 'X', now, 5n, 1n), 'accepted');
  assert.equal(hub.addTrade('b', 'X', now, 6n, 2n), 'accepted');
  assert.equal(hub.addTrade('c', 'X', now, 6n, 2n), 'unknown');
  assert.equal(hub.unknownInstrument, 1);
  hub.start(5);
  now += 30_000;
  const deadline = Date.now() + 2000;
  while (out.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  hub.stop();
  assert.deepEqual(out.map((k) => [k.venue, k.close, k.closed]).sort(), [
    ['a', 5n, true],
    ['b', 6n, true],
  ]);
});
