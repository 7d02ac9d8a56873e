/**
 * Many books at once: 54 symbols over 3 connections, all valid and equal to the sim; a
 * strategy-side consumer of a small book ring that is lapped and recovers from the
 * shared books; the metrics say what happened, in Prometheus form.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { PrometheusExporter } from '../../src/core/metrics/prometheus-exporter.js';
import { syntheticSymbols } from '../../src/venues/sim/market/catalog.js';
import type { SimExchange } from '../../src/venues/sim/server/exchange.js';
import type { MarketDataPipeline } from '../../src/md/pipeline.js';
import { assertBooksEqualTruth, startPipeline, startSim, waitFor } from './pipeline-helpers.js';
import { TruthHistory } from './truth-history.js';

const COUNT = 54;
const RATE = 20;

let sim: SimExchange;
let md: MarketDataPipeline;
let truth: TruthHistory;

before(async () => {
  sim = await startSim({ seed: 44, symbols: syntheticSymbols(COUNT), rate: RATE, targetOrders: 300 });
  truth = new TruthHistory(sim);
  md = await startPipeline(sim, {
    // 2 streams per symbol, 40 per connection: 20 + 20 + 14 symbols.
    feed: { maxStreamsPerConnection: 40 },
    rings: { book: 256, md: 16384 },
    book: { windowTicks: 2048 },
  });
});

after(async () => {
  await md?.stop();
  truth?.stop();
  await sim?.stop();
});

test(`${COUNT} symbols over 3 connections: every book valid and equal to /sim/book`, { timeout: 60_000 }, async () => {
  await assertBooksEqualTruth(sim, md, RATE, 'many books');
  const c = md.counters();
  assert.equal(c.venue['plannedConnections'], 3);
  assert.equal(c.venue['liveConnections'], 3);
  assert.equal(md.books.size, COUNT);
  assert.equal(md.validCount(), COUNT);
  assert.equal(c.books.snapshots, COUNT);
  assert.equal(c.books.gaps, 0);
  for (const inst of sim.instruments.all()) assert.equal(md.bookStats(inst.id).state, 'live', inst.symbol);
});

test('a lapped book-ring consumer recovers by reading the shared books', { timeout: 30_000 }, async () => {
  const books = md.books.entries().map((e) => ({ instrumentId: e.instrumentId, buffer: e.buffer }));
  const worker = new Worker(new URL('./fixtures/lapped-consumer.worker.js', import.meta.url), {
    workerData: { books, bookRing: md.bookRingBuffer, consumerIndex: 0, stallMs: 1500 },
  });
  const report = await new Promise<{
    before: number;
    after: number;
    lapped: number;
    resyncStates: { id: number; lastUpdateId: number; top: number[] }[];
    olderThanEvent: string[];
  }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  assert.ok(report.before > 0, 'it consumed before falling behind');
  assert.ok(report.lapped >= 1, 'it was told LAPPED');
  const stats = md.bookRing.consumerStats(0);
  assert.ok(stats.lapped >= 1 && stats.lost > 0, `the ring counted the lap (${JSON.stringify(stats)})`);
  assert.ok(report.resyncStates.length >= COUNT - 2, `it re-read the books (${report.resyncStates.length} valid)`);
  for (const s of report.resyncStates) {
    const symbol = md.books.entry(s.id)!.symbol;
    const want = truth.at(symbol, s.lastUpdateId);
    assert.ok(want, `${symbol}@${s.lastUpdateId} is a state the sim had`);
    assert.deepEqual(s.top, [...want], `${symbol}@${s.lastUpdateId}: the re-read book equals the sim's`);
  }
  assert.ok(report.after > 0, 'it went on consuming after the recovery');
  assert.deepEqual(report.olderThanEvent, []);
  // The io thread folds the ring's lap count into the metrics once a second.
  await waitFor(() => md.counters().rings.bookLapped >= 1, 2000, 'lap in the ring stats');
  await new Promise((r) => setTimeout(r, 1100));
  const exporter = new PrometheusExporter(md.metrics, { sampleIntervalMs: 0, defaultMetrics: false });
  const text = await exporter.metrics();
  exporter.close();
  const value = (series: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(series + ' '));
    assert.ok(line, `${series} is exported`);
    return Number(line.split(' ')[1]);
  };
  assert.ok(value('veloz_ring_lapped_total{venue="binance",ring="book"}') >= 1);
  assert.equal(value('veloz_book_resyncs_total{venue="binance",reason="initial"}'), COUNT);
  assert.equal(value('veloz_book_snapshots_applied_total{venue="binance"}'), COUNT);
  assert.ok(value('veloz_md_messages_total{venue="binance"}') > COUNT);
  assert.equal(value('veloz_md_decode_errors_total{venue="binance",code="malformed_json"}'), 0);
  assert.ok(value('veloz_md_receive_to_book_seconds_count{venue="binance"}') > 0);
});
