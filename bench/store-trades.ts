/**
 * Trade rows per second into market_trades on the embedded PostgreSQL (durable settings:
 * fsync and synchronous_commit on, as in production), 1000-row batches, each batch one
 * transaction, every statement ON CONFLICT DO NOTHING:
 *   row-by-row     one prepared INSERT per row (the baseline)
 *   multi-values   one INSERT … VALUES (…),(…)… with 7 parameters per row
 *   unnest         one INSERT … SELECT FROM unnest(7 arrays): what TradeWriter sends
 *   TradeWriter    end to end: add() (validation, NUMERIC formatting, queueing) to close()
 *   duplicates     the unnest batch again: rows/s when every row is already stored
 * plus the caller-side cost of TradeWriter.add() in ns per trade.
 *
 * COPY is not raced here: COPY into a temp table + INSERT … SELECT ON CONFLICT (COPY
 * alone cannot skip duplicates) measured 50-52k rows/s against 59-65k for unnest at
 * 1000-row batches on this VM (pg-copy-streams 7.0.0, scratch run), so it earned no
 * dependency; it only led (52k vs 39-46k) at 5000-row batches.
 * Run: node --expose-gc dist/bench/store-trades.js [--ci]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { openDatabase } from '../src/store/open-database.js';
import { insertTrades, tradeRow, TradeWriter, type TradeRecord, type TradeRow } from '../src/store/writers/trade-writer.js';
import { markdownTable, writeResults, type BenchFigure } from './lib/results.js';

const ci = process.argv.includes('--ci');
const ROWS = ci ? 20_000 : 100_000;
const RUNS = ci ? 1 : 3;
const BATCH = 1000;
const COLS = '(venue, symbol, trade_id, ts, price, qty, aggressor)';

function trades(symbol: string, n: number): TradeRecord[] {
  const t0 = 1_709_251_200_000_000_000n;
  return Array.from({ length: n }, (_, i) => ({
    venue: 'bench',
    symbol,
    tradeId: BigInt(i),
    price: 6_500_000_000n + BigInt((i * 7919) % 100_000),
    qty: 1000n + BigInt((i * 104_729) % 50_000_000),
    priceScale: 5,
    qtyScale: 8,
    timeNs: t0 + BigInt(i) * 1_000_000n,
    aggressor: i % 3 === 0 ? 'sell' : 'buy',
  }));
}

function batches<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += BATCH) out.push(rows.slice(i, i + BATCH));
  return out;
}

const values = (r: TradeRow) => [r.venue, r.symbol, r.tradeId, r.ts, r.price, r.qty, r.aggressor];

async function inTransaction(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<void>): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await fn(c);
    await c.query('COMMIT');
  } finally {
    c.release();
  }
}

type Variant = (pool: pg.Pool, rows: TradeRow[][]) => Promise<void>;

const rowByRow: Variant = async (pool, rows) => {
  const text = `INSERT INTO market_trades ${COLS} VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`;
  for (const b of rows) {
    await inTransaction(pool, async (c) => {
      for (const r of b) await c.query({ name: 'bench-row', text, values: values(r) });
    });
  }
};

const multiValues: Variant = async (pool, rows) => {
  for (const b of rows) {
    const tuples = b.map((_, i) => `($${i * 7 + 1}, $${i * 7 + 2}, $${i * 7 + 3}, $${i * 7 + 4}, $${i * 7 + 5}, $${i * 7 + 6}, $${i * 7 + 7})`);
    await pool.query(`INSERT INTO market_trades ${COLS} VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`, b.flatMap(values));
  }
};

const unnest: Variant = async (pool, rows) => {
  for (const b of rows) await insertTrades(pool, b);
};

async function rowsPerSec(pool: pg.Pool, name: string, run: () => Promise<void>, expectRows: number): Promise<number> {
  const rates: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await pool.query('TRUNCATE market_trades');
    await pool.query('CHECKPOINT');
    globalThis.gc?.();
    const t0 = performance.now();
    await run();
    const secs = (performance.now() - t0) / 1000;
    const n = Number((await pool.query('SELECT count(*) AS n FROM market_trades')).rows[0].n);
    if (n !== expectRows) throw new Error(`${name}: ${n} rows stored, expected ${expectRows}`);
    rates.push(ROWS / secs);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)] as number;
  console.log(`${name.padEnd(14)} ${Math.round(median).toLocaleString('en')} rows/s`);
  return median;
}

const stateDir = mkdtempSync(join(tmpdir(), 'veloz-bench-store-'));
const tStart = performance.now();
const db = await openDatabase({ stateDir });
console.log(`embedded PostgreSQL ${db.serverVersion} ready in ${Math.round(performance.now() - tStart)} ms (initdb + start + migrations)`);
try {
  const records = trades('BENCH', ROWS);
  const rows = batches(records.map(tradeRow));
  const rbr = await rowsPerSec(db.pool, 'row-by-row', () => rowByRow(db.pool, rows), ROWS);
  const mv = await rowsPerSec(db.pool, 'multi-values', () => multiValues(db.pool, rows), ROWS);
  const un = await rowsPerSec(db.pool, 'unnest', () => unnest(db.pool, rows), ROWS);
  let addNs = 0;
  const tw = await rowsPerSec(
    db.pool,
    'TradeWriter',
    async () => {
      const w = new TradeWriter(db.pool, { batchRows: BATCH, maxQueueRows: ROWS });
      const a0 = process.hrtime.bigint();
      for (const t of records) w.add(t);
      addNs = Number(process.hrtime.bigint() - a0) / ROWS;
      const { unwritten } = await w.close(60_000);
      if (unwritten !== 0) throw new Error(`TradeWriter left ${unwritten} rows`);
    },
    ROWS,
  );
  await db.pool.query('TRUNCATE market_trades');
  await unnest(db.pool, rows);
  const d0 = performance.now();
  await unnest(db.pool, rows);
  const dup = ROWS / ((performance.now() - d0) / 1000);
  console.log(`${'duplicates'.padEnd(14)} ${Math.round(dup).toLocaleString('en')} rows/s (all skipped)`);
  console.log(`TradeWriter.add() ${Math.round(addNs)} ns per trade (caller side)`);

  const base = { name: 'row-by-row INSERT rows/s (same run)', value: Math.round(rbr) };
  const figures: BenchFigure[] = [
    { metric: 'trades_rows_per_s[row-by-row]', unit: 'rows/s', value: Math.round(rbr), baseline: null },
    { metric: 'trades_rows_per_s[multi-values]', unit: 'rows/s', value: Math.round(mv), baseline: base },
    { metric: 'trades_rows_per_s[unnest]', unit: 'rows/s', value: Math.round(un), baseline: base },
    { metric: 'trades_rows_per_s[TradeWriter]', unit: 'rows/s', value: Math.round(tw), baseline: base },
    { metric: 'trades_rows_per_s[duplicates skipped]', unit: 'rows/s', value: Math.round(dup), baseline: null },
    { metric: 'trade_writer_add_ns', unit: 'ns/trade', value: Math.round(addNs), baseline: null },
  ];
  console.log(markdownTable(writeResults('store-trades', figures)));
} finally {
  await db.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
