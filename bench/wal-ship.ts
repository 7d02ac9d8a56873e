/**
 * WAL shipping into the embedded PostgreSQL (durable settings, started inside the run):
 *
 *   - throughput: a WAL of N records (128-byte payloads) shipped from position 0 to the
 *     end, rows/s, with COPY binary vs multi-row INSERT … ON CONFLICT DO NOTHING (the
 *     ratio is the gate); each batch is one transaction with the position update;
 *   - steady-state lag: a writer (group commit) appending at a fixed rate while the
 *     shipper runs on its own thread; lag in records and in ms sampled every 10 ms.
 *
 * Run: node --expose-gc dist/bench/wal-ship.js [--ci]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LatencyHistogram } from '../src/core/metrics/histogram.js';
import { openDatabase, type Database } from '../src/store/open-database.js';
import { startShipperThread } from '../src/store/shipper/shipper-thread.js';
import { WalShipper, type ShipMode } from '../src/store/shipper/wal-shipper.js';
import { WalWriter } from '../src/wal/wal-writer.js';
import { markdownTable, writeResults, type BenchFigure } from './lib/results.js';

const ci = process.argv.includes('--ci');
const ROWS = ci ? 100_000 : 500_000;
const REPS = ci ? 1 : 3;
const PAYLOAD = 128;
const LAG_RATE = ci ? 20_000 : 50_000;
const LAG_SECONDS = ci ? 3 : 10;

async function reset(db: Database): Promise<void> {
  await db.pool.query('TRUNCATE wal_events');
  await db.pool.query('UPDATE wal_shipped SET seq = 0, record_ts = NULL, segment = NULL, segment_offset = NULL');
}

async function shipRate(db: Database, walDir: string, mode: ShipMode): Promise<number> {
  const rates: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    await reset(db);
    await db.pool.query('CHECKPOINT');
    const shipper = new WalShipper({ walDir, pool: db.pool, mode, maxBatchRows: 10_000, pollMs: 1 });
    const t0 = performance.now();
    shipper.start();
    const deadline = Date.now() + 120_000;
    while (shipper.shippedSeq < ROWS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    const s = (performance.now() - t0) / 1000;
    await shipper.stop();
    if (shipper.shippedSeq !== ROWS) throw new Error(`${mode}: shipped ${shipper.shippedSeq} of ${ROWS}`);
    const n = Number((await db.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM wal_events')).rows[0]!.n);
    if (n !== ROWS) throw new Error(`${mode}: ${n} rows stored, expected ${ROWS}`);
    rates.push(ROWS / s);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)]!;
  console.log(`${mode.padEnd(8)} ${Math.round(median).toLocaleString('en')} rows/s`);
  return median;
}

async function steadyLag(db: Database, walDir: string): Promise<{ lagMs: ReturnType<LatencyHistogram['summary']>; lagRecords: ReturnType<LatencyHistogram['summary']> }> {
  await reset(db);
  const w = await WalWriter.open({ dir: walDir, fsync: 'group' });
  const shipper = await startShipperThread({ walDir, durableSab: w.durablePosition.sab, connection: db.server!.connectionConfig(), pollMs: 5 });
  const payload = new Uint8Array(PAYLOAD).fill(3);
  const lagNs = new LatencyHistogram();
  const lagRecords = new LatencyHistogram();
  const perTick = Math.round((LAG_RATE * 5) / 1000);
  const pump = setInterval(() => {
    for (let i = 0; i < perTick; i++) w.append(1, payload);
  }, 5);
  const warmUntil = Date.now() + 500;
  const sampler = setInterval(() => {
    if (Date.now() < warmUntil) return;
    lagNs.record(shipper.stats.lagSeconds * 1e9);
    lagRecords.record(shipper.stats.lagRecords);
  }, 10);
  await new Promise((r) => setTimeout(r, LAG_SECONDS * 1000));
  clearInterval(pump);
  clearInterval(sampler);
  await w.flush();
  const deadline = Date.now() + 30_000;
  while (shipper.stats.shippedSeq < w.lastSeq && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  if (shipper.stats.shippedSeq !== w.lastSeq) throw new Error(`lag run: shipped ${shipper.stats.shippedSeq} of ${w.lastSeq}`);
  await shipper.stop();
  await w.close();
  const ns = lagNs.summary();
  const ms = { ...ns, mean: ns.mean / 1e6, p50: ns.p50 / 1e6, p90: ns.p90 / 1e6, p99: ns.p99 / 1e6, p999: ns.p999 / 1e6, max: ns.max / 1e6 };
  const rec = lagRecords.summary();
  console.log(`steady lag at ${LAG_RATE.toLocaleString('en')} records/s: p50 ${ms.p50.toFixed(1)} ms, p99 ${ms.p99.toFixed(1)} ms, max ${ms.max.toFixed(1)} ms; records p50 ${rec.p50} p99 ${rec.p99}`);
  return { lagMs: ms, lagRecords: rec };
}

const stateDir = mkdtempSync(join(tmpdir(), 'veloz-bench-walship-pg-'));
const walRoot = mkdtempSync(join(tmpdir(), 'veloz-bench-walship-'));
const tStart = performance.now();
const db = await openDatabase({ stateDir });
console.log(`embedded PostgreSQL ${db.serverVersion} ready in ${Math.round(performance.now() - tStart)} ms`);
try {
  const walDir = join(walRoot, 'bulk');
  const w = await WalWriter.open({ dir: walDir, fsync: 'none' });
  const payload = new Uint8Array(PAYLOAD);
  for (let i = 0; i < ROWS; i++) {
    payload[i % PAYLOAD] = i & 0xff;
    w.append(1 + (i % 7), payload);
  }
  await w.close();
  const insert = await shipRate(db, walDir, 'insert');
  const copy = await shipRate(db, walDir, 'copy');
  const lag = await steadyLag(db, join(walRoot, 'steady'));
  const base = { name: 'multi-row INSERT rows/s (same run)', value: Math.round(insert) };
  const figures: BenchFigure[] = [
    { metric: 'wal_ship_rows_per_s[insert]', unit: 'rows/s', value: Math.round(insert), baseline: null },
    { metric: 'wal_ship_rows_per_s[copy]', unit: 'rows/s', value: Math.round(copy), baseline: base },
    { metric: `wal_ship_steady_lag_ms_p50[${LAG_RATE}/s]`, unit: 'ms', value: Number(lag.lagMs.p50.toFixed(2)), baseline: null },
    { metric: `wal_ship_steady_lag_ms_p99[${LAG_RATE}/s]`, unit: 'ms', value: Number(lag.lagMs.p99.toFixed(2)), baseline: null },
    { metric: `wal_ship_steady_lag_ms_max[${LAG_RATE}/s]`, unit: 'ms', value: Number(lag.lagMs.max.toFixed(2)), baseline: null },
    { metric: `wal_ship_steady_lag_records_p99[${LAG_RATE}/s]`, unit: 'records', value: lag.lagRecords.p99, baseline: null },
  ];
  console.log(markdownTable(writeResults('wal-ship', figures)));
} finally {
  await db.stop();
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(walRoot, { recursive: true, force: true });
}
