import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { formatDecimal, INT64_MAX, INT64_MIN } from '../../src/core/fixed/decimal.js';
import { dbStatus } from '../../src/store/db-status.js';
import { StoreError } from '../../src/store/errors.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { migrate } from '../../src/store/migrations/runner.js';
import { formatNumeric, parseNumeric, parseNumericInt64, timestamptzFromNs } from '../../src/store/numeric.js';
import { openDatabase, type Database } from '../../src/store/open-database.js';
import { listFills, listKlines, listOrders, listPositions, pnlByDay } from '../../src/store/queries.js';
import { KlineWriter } from '../../src/store/writers/kline-writer.js';
import { TradeWriter } from '../../src/store/writers/trade-writer.js';
import { WalReader, WalWriter } from '../../src/wal/index.js';
import { serverProcesses, waitGone } from './helpers/pg-procs.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const stateDir = mkdtempSync(join(tmpdir(), 'veloz-pg-schema-'));
let db: Database;

before(async () => {
  db = await openDatabase({ stateDir, embedded: { fsync: false } });
});

after(async () => {
  await db?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

function isStoreError(code: string, includes?: string) {
  return (e: unknown) => e instanceof StoreError && e.code === code && (includes === undefined || e.message.includes(includes));
}

async function withDatabase<T>(name: string, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  await db.pool.query(`DROP DATABASE IF EXISTS ${name}`);
  await db.pool.query(`CREATE DATABASE ${name}`);
  const pool = new pg.Pool({ ...db.server!.connectionConfig(name), max: 4 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
    await db.pool.query(`DROP DATABASE IF EXISTS ${name}`);
  }
}

test('migrations from empty create every table with NUMERIC money and timestamptz times; a re-run applies nothing', async () => {
  assert.deepEqual(
    db.migrations?.applied.map((a) => a.version),
    [1, 2, 3, 4, 5],
  );
  assert.equal(db.migrations?.version, 5);
  assert.equal(db.migrations?.timescaledb, false);
  const tables = (await db.pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.t);
  assert.deepEqual(tables, ['fills', 'market_klines', 'market_trades', 'orders', 'positions', 'schema_migrations', 'wal_events', 'wal_shipped']);
  const cols = (
    await db.pool.query<{ t: string; c: string; type: string }>(
      "SELECT table_name AS t, column_name AS c, data_type AS type FROM information_schema.columns WHERE table_schema = 'public'",
    )
  ).rows;
  assert.deepEqual(cols.filter((c) => c.type === 'real' || c.type === 'double precision'), [], 'no float column anywhere');
  for (const [t, c] of [
    ['orders', 'price'],
    ['fills', 'qty'],
    ['positions', 'realized_pnl'],
    ['market_trades', 'price'],
    ['market_klines', 'quote_volume'],
  ]) {
    assert.equal(cols.find((x) => x.t === t && x.c === c)?.type, 'numeric', `${t}.${c}`);
  }
  assert.ok(cols.filter((c) => /(_at|^ts|_time)$/.test(c.c) && c.t !== 'schema_migrations').every((c) => c.type === 'timestamp with time zone'));
  const idx = (await db.pool.query<{ def: string }>("SELECT indexdef AS def FROM pg_indexes WHERE indexname IN ('market_trades_symbol_ts', 'market_klines_symbol_time') ORDER BY 1")).rows;
  assert.match(idx[0]?.def ?? '', /\(symbol, open_time DESC\)/);
  assert.match(idx[1]?.def ?? '', /\(symbol, ts DESC\)/);
  assert.deepEqual((await db.pool.query('SELECT seq::text AS seq FROM wal_shipped')).rows, [{ seq: '0' }]);

  const again = await migrate(db.pool);
  assert.deepEqual(again.applied, []);
  assert.equal(again.version, 5);
});

test('a changed applied migration is an error naming it, and the database is left alone', async () => {
  const changed = MIGRATIONS.map((m) => (m.version === 3 ? { ...m, sql: m.sql + '\n-- edited' } : m));
  await assert.rejects(migrate(db.pool, { migrations: changed }), isStoreError('MIGRATION_CHECKSUM', '0003-market-data'));
  await assert.rejects(migrate(db.pool, { migrations: MIGRATIONS.slice(0, 3) }), isStoreError('MIGRATION_UNKNOWN_VERSION', '0004-timescaledb'));
  assert.deepEqual((await migrate(db.pool)).applied, [], 'the shipped list still matches');
  const locks = await db.pool.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory'");
  assert.equal(locks.rowCount, 0, 'a failed run must not keep the migration lock');
});

test('two engines migrating one database at once: the advisory lock lets one apply, the other finds it done', async () => {
  await withDatabase('veloz_race', async (pool) => {
    const other = new pg.Pool({ ...db.server!.connectionConfig('veloz_race'), max: 2 });
    try {
      const [a, b] = await Promise.all([migrate(pool), migrate(other)]);
      assert.deepEqual([a.applied.length, b.applied.length].sort(), [0, 5]);
      assert.deepEqual(
        (await pool.query('SELECT version FROM schema_migrations ORDER BY 1')).rows.map((r: { version: number }) => r.version),
        [1, 2, 3, 4, 5],
      );
      // A failing migration rolls back entirely and names itself.
      const bad = [...MIGRATIONS, { version: 5, name: 'broken', sql: 'CREATE TABLE half_done (a int); SELECT 1 / 0;' }];
      await assert.rejects(migrate(pool, { migrations: bad }), isStoreError('MIGRATION_FAILED', '0005-broken'));
      assert.equal((await pool.query("SELECT to_regclass('half_done') AS t")).rows[0].t, null);
      assert.equal((await pool.query('SELECT max(version) AS v FROM schema_migrations')).rows[0].v, 5);
    } finally {
      await other.end();
    }
  });
});

test('NUMERIC round trip of extreme fixed-point values is exact', async () => {
  const extremes: [bigint, number][] = [
    [INT64_MAX, 18],
    [INT64_MAX, 8],
    [INT64_MAX, 0],
    [1n, 18],
    [123456789012345678n, 18],
    [10n ** 18n, 18],
  ];
  const w = new TradeWriter(db.pool, { flushIntervalMs: 10 });
  extremes.forEach(([m, scale], i) =>
    assert.ok(w.add({ venue: 'x', symbol: 'EXT', tradeId: BigInt(i), price: m, qty: m, priceScale: scale, qtyScale: scale, timeNs: 1_700_000_000_000_000_000n })),
  );
  await w.close();
  const rows = (await db.pool.query<{ id: string; price: string; qty: string }>("SELECT trade_id::text AS id, price::text, qty::text FROM market_trades WHERE symbol = 'EXT' ORDER BY trade_id")).rows;
  assert.equal(rows.length, extremes.length);
  rows.forEach((r, i) => {
    const [m, scale] = extremes[i]!;
    assert.equal(parseNumericInt64(r.price, scale), m, `price ${r.price}`);
    assert.equal(parseNumericInt64(r.qty, scale), m);
  });
  assert.equal(rows[0]?.price, '9.223372036854775807');
  assert.equal(rows[3]?.price, '0.000000000000000001');

  // Negative int64 extremes (positions are signed) and a sum past int64 at scale 36.
  const wide = 2n * INT64_MAX * INT64_MAX;
  await db.pool.query('INSERT INTO positions (strategy, venue, symbol, qty, realized_pnl, updated_at, last_wal_seq) VALUES ($1, $2, $3, $4, $5, now(), 1)', [
    'ext',
    'x',
    'EXT',
    formatDecimal(INT64_MIN, 18),
    formatNumeric(-wide, 36),
  ]);
  const [pos] = await listPositions(db.pool, { strategy: 'ext' });
  assert.equal(parseNumericInt64(pos!.qty, 18), INT64_MIN);
  assert.equal(parseNumeric(pos!.realizedPnl, 36), -wide);
  await db.pool.query("DELETE FROM positions WHERE strategy = 'ext'");
});

test('queries: orders, fills, positions, PnL by UTC day (exact sums), klines for a range', async () => {
  const day1 = Date.UTC(2024, 2, 1, 23, 59, 59);
  const day2 = Date.UTC(2024, 2, 2, 0, 0, 1);
  const iso = (ms: number) => new Date(ms).toISOString();
  const order = (id: string, strategy: string, status: string, createdMs: number) =>
    db.pool.query(
      `INSERT INTO orders (client_order_id, strategy, venue, symbol, side, order_type, price, qty, status, created_at, updated_at, last_wal_seq)
       VALUES ($1, $2, 'sim', 'BTCUSDT', 'buy', 'limit', '65000.10', '0.5', $3, $4, $4, 7)`,
      [id, strategy, status, iso(createdMs)],
    );
  await order('a-1', 'alpha', 'filled', day1);
  await order('a-2', 'alpha', 'new', day2);
  await order('b-1', 'beta', 'partially_filled', day2 + 1);
  const fill = (tradeId: number, coid: string, strategy: string, ms: number, pnl: string, fee: string, asset: string | null) =>
    db.pool.query(
      `INSERT INTO fills (venue, symbol, trade_id, client_order_id, strategy, side, price, qty, fee, fee_asset, liquidity, realized_pnl, ts, wal_seq)
       VALUES ('sim', 'BTCUSDT', $1, $2, $3, 'buy', '65000.1', '0.1', $4, $5, 'taker', $6, $7, 9)`,
      [tradeId, coid, strategy, fee, asset, pnl, iso(ms)],
    );
  await fill(1, 'a-1', 'alpha', day1, '0.1', '0.01', 'USDT');
  await fill(2, 'a-1', 'alpha', day1 - 1000, '0.2', '0.02', 'USDT');
  await fill(3, 'a-2', 'alpha', day2, '-1.5', '0.0001', 'BNB');
  await fill(4, 'b-1', 'beta', day2, '3', '0', null);

  const alpha = await listOrders(db.pool, { strategy: 'alpha' });
  assert.deepEqual(
    alpha.map((o) => [o.clientOrderId, o.status, o.price, o.qty, o.filledQty]),
    [
      ['a-2', 'new', '65000.10', '0.5', '0'],
      ['a-1', 'filled', '65000.10', '0.5', '0'],
    ],
  );
  assert.equal(alpha[1]?.createdAt, '2024-03-01T23:59:59.000000Z');
  assert.deepEqual(
    (await listOrders(db.pool, { openOnly: true })).map((o) => o.clientOrderId),
    ['b-1', 'a-2'],
  );
  assert.deepEqual(
    (await listOrders(db.pool, { fromMs: day2, toMs: day2 + 1 })).map((o) => o.clientOrderId),
    ['a-2'],
  );
  assert.deepEqual(
    (await listFills(db.pool, { clientOrderId: 'a-1' })).map((f) => [f.tradeId, f.realizedPnl, f.liquidity]),
    [
      ['1', '0.1', 'taker'],
      ['2', '0.2', 'taker'],
    ],
  );
  assert.equal((await listFills(db.pool, { limit: 1 })).length, 1);

  const pnl = await pnlByDay(db.pool);
  assert.deepEqual(pnl, [
    // 0.1 + 0.2 is exactly 0.3 (a float sum would be 0.30000000000000004).
    { day: '2024-03-01', strategy: 'alpha', realizedPnl: '0.3', fees: { USDT: '0.03' }, fills: 2 },
    { day: '2024-03-02', strategy: 'alpha', realizedPnl: '-1.5', fees: { BNB: '0.0001' }, fills: 1 },
    { day: '2024-03-02', strategy: 'beta', realizedPnl: '3', fees: {}, fills: 1 },
  ]);
  assert.deepEqual(await pnlByDay(db.pool, { strategy: 'beta', fromMs: day2 }), [pnl[2]]);

  const kw = new KlineWriter(db.pool, { flushIntervalMs: 10 });
  const m0 = Date.UTC(2024, 2, 1, 10, 0);
  for (let i = 0; i < 5; i++) {
    kw.add({
      venue: 'sim',
      symbol: 'BTCUSDT',
      period: '1m',
      openTimeMs: m0 + i * 60_000,
      closeTimeMs: m0 + (i + 1) * 60_000,
      open: 100n + BigInt(i),
      high: 110n,
      low: 90n,
      close: 105n,
      volume: 5n,
      quoteVolume: 525n,
      trades: 2,
      priceScale: 1,
      qtyScale: 2,
      closed: true,
    });
  }
  await kw.close();
  const ks = await listKlines(db.pool, { symbol: 'BTCUSDT', period: '1m', fromMs: m0 + 60_000, toMs: m0 + 4 * 60_000 });
  assert.deepEqual(
    ks.map((k) => [k.openTimeMs, k.closeTimeMs, k.open, k.volume, k.quoteVolume, k.trades, k.closed]),
    [1, 2, 3].map((i) => [m0 + i * 60_000, m0 + (i + 1) * 60_000, `10.${i}`, '0.05', '0.525', 2, true]),
  );

  await assert.rejects(listKlines(db.pool, { symbol: 'BTCUSDT', period: '2m', fromMs: 0, toMs: 1 }), isStoreError('QUERY_INVALID', '2m'));
  await assert.rejects(listKlines(db.pool, { symbol: 'BTCUSDT', period: '1m', fromMs: 5, toMs: 5 }), isStoreError('QUERY_INVALID'));
  await assert.rejects(listOrders(db.pool, { limit: 0 }), isStoreError('QUERY_INVALID', 'limit'));
  await assert.rejects(listFills(db.pool, { fromMs: -1 }), isStoreError('QUERY_INVALID', 'fromMs'));
});

function cli(args: string[], env: Record<string, string> = {}): { status: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, 'db', 'status', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    timeout: 30_000,
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('veloz db status --json attaches to the running embedded server and reports schema, WAL head and lag', async () => {
  const walDir = join(stateDir, 'wal');
  const empty = cli(['--state-dir', stateDir, '--json']);
  assert.equal(empty.status, 0, empty.err);
  assert.deepEqual(JSON.parse(empty.out).wal, {
    dir: walDir,
    shippedSeq: '0',
    shippedRecordTs: null,
    shippedAt: JSON.parse(empty.out).wal.shippedAt,
    headSeq: '0',
    lagRecords: '0',
    lagSeconds: 0,
    lagUnknownReason: null,
  });

  const w = await WalWriter.open({ dir: walDir, fsync: 'none', flusher: 'inline' });
  for (let i = 1; i <= 50; i++) w.append(1, new Uint8Array([i]));
  await w.close();
  const times = new Map<number, bigint>();
  const reader = WalReader.open({ dir: walDir });
  for (let r = reader.next(); r !== null; r = reader.next()) times.set(r.seq, r.tsNs);
  reader.close();
  const shippedTs = times.get(42)!;
  await db.pool.query('UPDATE wal_shipped SET seq = 42, record_ts = $1, updated_at = now()', [timestamptzFromNs(shippedTs)]);

  const r = cli(['--state-dir', stateDir, '--json']);
  assert.equal(r.status, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.database.embedded, true);
  assert.equal(s.database.server, 'attached');
  assert.equal(s.database.url, db.url);
  assert.equal(s.database.serverVersion, db.serverVersion);
  assert.deepEqual(s.schema, { version: 5, latest: 5, pending: [], problem: null });
  assert.equal(s.wal.dir, walDir);
  assert.equal(s.wal.shippedSeq, '42');
  assert.equal(s.wal.shippedRecordTs, timestamptzFromNs(shippedTs));
  assert.equal(s.wal.headSeq, '50');
  assert.equal(s.wal.lagRecords, '8');
  assert.equal(s.wal.lagSeconds, Number(times.get(50)! / 1000n - shippedTs / 1000n) / 1e6);
  assert.equal(s.wal.lagUnknownReason, null);

  // A WAL that cannot be read is reported as unknown, with the reason.
  const st = await dbStatus({ stateDir, walDir, readHead: async () => ({ known: false, reason: 'test: unreadable' }) });
  assert.deepEqual([st.wal.headSeq, st.wal.lagRecords, st.wal.lagUnknownReason], [null, null, 'test: unreadable']);
  // Shipped past the local head: not a negative lag.
  const behind = await dbStatus({ stateDir, walDir, readHead: async () => ({ known: true, seq: 10n, tsNs: null }) });
  assert.equal(behind.wal.lagRecords, null);
  assert.match(behind.wal.lagUnknownReason ?? '', /past the local WAL head 10/);

  const text = cli(['--state-dir', stateDir]);
  assert.equal(text.status, 0, text.err);
  assert.match(text.out, /schema {4}version 5 of 5 \(up to date\)/);
  assert.match(text.out, /shipped {3}seq 42/);
  assert.match(text.out, /lag {7}8 records, [0-9.]+ s/);
});

test('veloz db status with DATABASE_URL reports the external server without its password', () => {
  const url = `postgresql://veloz:hunter2@localhost/veloz?host=${encodeURIComponent(db.server!.socketDir)}`;
  const r = cli(['--json'], { DATABASE_URL: url });
  assert.equal(r.status, 0, r.err);
  assert.doesNotMatch(r.out, /hunter2/);
  const s = JSON.parse(r.out);
  assert.equal(s.database.server, 'external');
  assert.equal(s.database.embedded, false);
  assert.match(s.database.url, /^postgresql:\/\/veloz@localhost\/veloz\?host=/);
  const bad = cli(['--bogus']);
  assert.equal(bad.status, 2);
});

test('veloz db status with no engine running starts the embedded server for the command and stops it', async () => {
  await db.stop();
  const dataDir = join(stateDir, 'pg');
  assert.deepEqual(serverProcesses(dataDir), []);
  const r = cli(['--state-dir', stateDir, '--json']);
  assert.equal(r.status, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.database.server, 'started');
  assert.equal(s.wal.shippedSeq, '42');
  assert.deepEqual(await waitGone(serverProcesses(dataDir), 5000), []);
  assert.deepEqual(serverProcesses(dataDir), [], 'db status left a server running');

  const none = mkdtempSync(join(tmpdir(), 'veloz-pg-none-'));
  try {
    const missing = cli(['--state-dir', none, '--json']);
    assert.equal(missing.status, 1);
    assert.equal(JSON.parse(missing.out).error.code, 'PG_NOT_INITIALISED');
  } finally {
    rmSync(none, { recursive: true, force: true });
  }
});
