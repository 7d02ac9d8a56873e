import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KlineHub } from '../../src/store/klines/kline-hub.js';
import type { Kline } from '../../src/store/klines/kline.js';
import { KLINE_PERIODS, PERIOD_MS } from '../../src/store/klines/periods.js';
import { openDatabase, type Database } from '../../src/store/open-database.js';
import type { StoreLog } from '../../src/store/store-log.js';
import { KlineWriter } from '../../src/store/writers/kline-writer.js';
import { insertTrades, tradeRow, TradeWriter, type TradeRecord } from '../../src/store/writers/trade-writer.js';

const stateDir = mkdtempSync(join(tmpdir(), 'veloz-pg-writers-'));
let db: Database;

before(async () => {
  db = await openDatabase({ stateDir, embedded: { fsync: false } });
});

after(async () => {
  await db?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const T0_NS = 1_709_251_200_000_000_000n; // 2024-03-01T00:00Z

function trade(symbol: string, id: number, over: Partial<TradeRecord> = {}): TradeRecord {
  return {
    venue: 'sim',
    symbol,
    tradeId: BigInt(id),
    price: 6_500_000n + BigInt(id % 1000),
    qty: 1000n + BigInt(id),
    priceScale: 2,
    qtyScale: 8,
    timeNs: T0_NS + BigInt(id) * 1_000_000n,
    aggressor: id % 2 === 0 ? 'buy' : 'sell',
    ...over,
  };
}

async function count(symbol: string): Promise<{ rows: number; distinct: number }> {
  const r = await db.pool.query<{ rows: string; distinct: string }>(
    'SELECT count(*)::text AS rows, count(DISTINCT trade_id)::text AS distinct FROM market_trades WHERE symbol = $1',
    [symbol],
  );
  return { rows: Number(r.rows[0]!.rows), distinct: Number(r.rows[0]!.distinct) };
}

async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function quietLog(): StoreLog & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (obj: object, msg: string) => lines.push(`${level} ${msg} ${JSON.stringify(obj)}`);
  return { lines, debug: () => undefined, info: rec('info'), warn: rec('warn'), error: rec('error') };
}

test('trades are idempotent: the same batch twice, and the same trades added again, store each trade once', async () => {
  const rows = Array.from({ length: 300 }, (_, i) => tradeRow(trade('IDEM', i)));
  assert.equal(await insertTrades(db.pool, rows), 300);
  assert.equal(await insertTrades(db.pool, rows), 0);
  const w = new TradeWriter(db.pool, { batchRows: 128, flushIntervalMs: 20 });
  for (let i = 250; i < 400; i++) assert.equal(w.add(trade('IDEM', i)), true);
  for (let i = 250; i < 400; i++) w.add(trade('IDEM', i));
  assert.deepEqual(await w.close(), { unwritten: 0 });
  const s = w.stats();
  assert.equal(s.written, 300);
  assert.equal(s.changed, 100, 'only trades 300..399 were new');
  assert.deepEqual(await count('IDEM'), { rows: 400, distinct: 400 });
  const [first] = (
    await db.pool.query("SELECT price::text, qty::text, aggressor, ts = '2024-03-01T00:00:00.001Z'::timestamptz AS t FROM market_trades WHERE symbol = 'IDEM' AND trade_id = 1")
  ).rows;
  assert.deepEqual(first, { price: '65000.01', qty: '0.00001001', aggressor: 'sell', t: true });
});

test('full batches go at once; a partial batch waits for the flush interval', async () => {
  const w = new TradeWriter(db.pool, { batchRows: 100, flushIntervalMs: 400 });
  const t0 = Date.now();
  for (let i = 0; i < 250; i++) w.add(trade('BATCH', i));
  await until(() => w.stats().written === 200, 5000, 'two full batches');
  assert.equal(w.stats().queued, 50);
  await until(() => w.stats().written === 250, 5000, 'the partial batch');
  assert.ok(Date.now() - t0 >= 390, `partial batch written after ${Date.now() - t0} ms, before the 400 ms interval`);
  await w.close();
  assert.deepEqual(await count('BATCH'), { rows: 250, distinct: 250 });
});

test('malformed trades are refused and counted, never thrown or queued', async () => {
  const log = quietLog();
  const w = new TradeWriter(db.pool, { log });
  const bad: Partial<TradeRecord>[] = [
    { tradeId: -1n },
    { price: 0n },
    { qty: 2n ** 63n },
    { priceScale: 19 },
    { venue: '' },
    { timeNs: -5n },
    { timeNs: 10n ** 19n },
    { aggressor: 'both' as 'buy' },
    { price: 5 as unknown as bigint },
  ];
  for (const b of bad) assert.equal(w.add(trade('BAD', 1, b)), false, JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)));
  const s = w.stats();
  assert.equal(s.rejected, bad.length);
  assert.equal(s.accepted, 0);
  assert.equal(s.queued, 0);
  assert.ok(log.lines.some((l) => l.startsWith('warn malformed row refused')));
  await w.close();
});

function kline(openTimeMs: number, over: Partial<Kline> = {}): Kline {
  return {
    venue: 'sim',
    symbol: 'UPS',
    period: '1m',
    openTimeMs,
    closeTimeMs: openTimeMs + 60_000,
    open: 100n,
    high: 120n,
    low: 90n,
    close: 110n,
    volume: 7n,
    quoteVolume: 700n,
    trades: 3,
    priceScale: 0,
    qtyScale: 0,
    closed: false,
    ...over,
  };
}

test('klines are upserted by key; an open update never reopens a closed candle', async () => {
  const m = Date.UTC(2024, 2, 1, 9, 0);
  const read = async () =>
    (await db.pool.query("SELECT close::text, trades::int, closed FROM market_klines WHERE symbol = 'UPS' AND open_time = $1", [new Date(m).toISOString()])).rows[0];
  const w = new KlineWriter(db.pool, { flushIntervalMs: 10 });
  w.add(kline(m, { close: 101n, trades: 1 }));
  await w.flush();
  assert.deepEqual(await read(), { close: '101', trades: 1, closed: false });
  // Open update and final in one batch: the final wins.
  w.add(kline(m, { close: 102n, trades: 2 }));
  w.add(kline(m, { close: 103n, trades: 3, closed: true }));
  w.add(kline(m, { close: 119n, trades: 9 }));
  await w.flush();
  assert.deepEqual(await read(), { close: '103', trades: 3, closed: true });
  w.add(kline(m, { close: 104n, trades: 4 }));
  await w.flush();
  assert.deepEqual(await read(), { close: '103', trades: 3, closed: true }, 'a late open update must not reopen the candle');
  w.add(kline(m, { close: 105n, trades: 5, closed: true }));
  await w.flush();
  assert.deepEqual(await read(), { close: '105', trades: 5, closed: true }, 'a recomputed final replaces the final');
  assert.equal(w.add(kline(m + 1, {})), false, 'unaligned open time');
  assert.equal(w.add(kline(m, { low: 200n })), false, 'low above open');
  assert.equal(w.stats().rejected, 2);
  await w.close();
});

test('trades through KlineHub and KlineWriter give the klines SQL computes from the stored trades', async () => {
  const tw = new TradeWriter(db.pool, { flushIntervalMs: 20 });
  const kw = new KlineWriter(db.pool, { flushIntervalMs: 20 });
  const hub = new KlineHub({ onKline: (k) => kw.add(k), emitOpen: true });
  hub.register({ venue: 'sim', symbol: 'AGG', priceScale: 3, qtyScale: 5 });
  let s = 12345;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let t = Date.UTC(2024, 2, 1, 22, 50);
  for (let id = 1; id <= 2500; id++) {
    t += rand() < 0.02 ? Math.floor(rand() * 7_200_000) : rand() < 0.3 ? 0 : Math.floor(rand() * 3000);
    const price = 1_000_000n + BigInt(Math.floor(rand() * 50_000));
    const qty = 1n + BigInt(Math.floor(rand() * 10_000_000));
    tw.add({ venue: 'sim', symbol: 'AGG', tradeId: BigInt(id), price, qty, priceScale: 3, qtyScale: 5, timeNs: BigInt(t) * 1_000_000n });
    hub.addTrade('sim', 'AGG', t, price, qty);
    if (rand() < 0.05) hub.tick(t);
  }
  hub.tick(t + PERIOD_MS['1d'] * 2); // every period has passed: all final
  await tw.close();
  await kw.close();
  for (const period of KLINE_PERIODS) {
    const ref = (
      await db.pool.query(
        `SELECT (extract(epoch FROM b) * 1000)::bigint::text AS open_ms,
                trim_scale((array_agg(price ORDER BY ts, trade_id))[1])::text AS open,
                trim_scale(max(price))::text AS high, trim_scale(min(price))::text AS low,
                trim_scale((array_agg(price ORDER BY ts DESC, trade_id DESC))[1])::text AS close,
                trim_scale(sum(qty))::text AS volume, trim_scale(sum(price * qty))::text AS quote_volume, count(*)::int AS trades
           FROM (SELECT date_bin($1::interval, ts, 'epoch') AS b, * FROM market_trades WHERE symbol = 'AGG') x
          GROUP BY b ORDER BY b`,
        [`${PERIOD_MS[period] / 1000} seconds`],
      )
    ).rows;
    const got = (
      await db.pool.query(
        `SELECT (extract(epoch FROM open_time) * 1000)::bigint::text AS open_ms, trim_scale(open)::text AS open,
                trim_scale(high)::text AS high, trim_scale(low)::text AS low, trim_scale(close)::text AS close,
                trim_scale(volume)::text AS volume, trim_scale(quote_volume)::text AS quote_volume, trades::int, closed
           FROM market_klines WHERE symbol = 'AGG' AND period = $1 ORDER BY open_time`,
        [period],
      )
    ).rows;
    assert.ok(got.every((k: { closed: boolean }) => k.closed), `${period}: all final`);
    assert.deepEqual(
      got.map(({ closed: _c, ...k }: { closed: boolean }) => k),
      ref,
      `${period} klines differ from SQL over the stored trades`,
    );
  }
});

test('PostgreSQL stopped for a while: add() never blocks, rows wait in memory, overflow is counted, nothing lost or duplicated', async () => {
  const log = quietLog();
  const w = new TradeWriter(db.pool, { batchRows: 50, flushIntervalMs: 20, maxQueueRows: 600, retryInitialMs: 20, retryMaxMs: 200, log });
  for (let i = 0; i < 100; i++) w.add(trade('OUT', i));
  await w.flush();
  const server = db.server!;
  await server.stop();

  // Event-loop stalls while the database is down would show as a late timer.
  let worstLagMs = 0;
  let last = Date.now();
  const probe = setInterval(() => {
    const now = Date.now();
    worstLagMs = Math.max(worstLagMs, now - last - 5);
    last = now;
  }, 5);
  let worstAddMs = 0;
  let accepted = 100;
  let refused = 0;
  for (let i = 100; i < 1000; i++) {
    const t0 = performance.now();
    const ok = w.add(trade('OUT', i));
    worstAddMs = Math.max(worstAddMs, performance.now() - t0);
    if (ok) accepted++;
    else refused++;
    if (i % 50 === 0) await new Promise((r) => setTimeout(r, 15));
  }
  await until(() => w.stats().retries >= 3, 5000, 'retries while down');
  clearInterval(probe);
  const down = w.stats();
  assert.equal(down.queued, 600);
  assert.equal(refused, 300);
  assert.equal(down.dropped, 300, 'overflow must be counted');
  assert.notEqual(down.failingSinceMs, null);
  assert.match(down.lastError ?? '', /.+/);
  assert.ok(worstAddMs < 20, `add() took ${worstAddMs.toFixed(2)} ms while PostgreSQL was down`);
  assert.ok(worstLagMs < 500, `event loop stalled ${worstLagMs} ms while PostgreSQL was down`);
  assert.ok(log.lines.some((l) => l.startsWith('warn PostgreSQL write failed')));
  assert.ok(log.lines.some((l) => l.startsWith('error writer queue full')));

  // A writer that must give up (PostgreSQL still down) says how much it could not write.
  const giveUp = new TradeWriter(db.pool, { flushIntervalMs: 10, retryMaxMs: 50 });
  giveUp.add(trade('GIVEUP', 1));
  assert.deepEqual(await giveUp.close(300), { unwritten: 1 });

  await server.start();
  await w.flush();
  const up = w.stats();
  assert.equal(up.queued, 0);
  assert.equal(up.failingSinceMs, null);
  assert.ok(log.lines.some((l) => l.startsWith('info PostgreSQL writes recovered')));
  assert.deepEqual(await count('OUT'), { rows: accepted, distinct: accepted });
  const stored = (await db.pool.query<{ id: string }>("SELECT trade_id::text AS id FROM market_trades WHERE symbol = 'OUT' ORDER BY trade_id")).rows.map((r) => Number(r.id));
  assert.deepEqual(stored, Array.from({ length: accepted }, (_, i) => i), 'exactly the accepted trades, in full');
  await w.close();
});
