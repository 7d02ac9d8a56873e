/**
 * The pipeline on USD-M futures (the sim's usdm mode: /fapi paths, /public routed
 * streams, update ids that skip, only `pu` continuity): initial sync and the stream
 * faults, each followed by a comparison with /sim/book at the same update id, and a
 * reader thread checking every valid state against the sim's history.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FaultSpec } from '../../src/venues/sim/faults.js';
import type { SimExchange } from '../../src/venues/sim/server/exchange.js';
import type { MarketDataPipeline } from '../../src/md/pipeline.js';
import { assertBooksEqualTruth, startPipeline, startSim, waitFor } from './pipeline-helpers.js';
import { BookSampler, TruthHistory } from './truth-history.js';

const SYMBOLS = ['BTCUSDT', 'SOLUSDT'];
const RATE = 150;

let sim: SimExchange;
let md: MarketDataPipeline;
let truth: TruthHistory;
let sampler: BookSampler;

const row = (symbol: string) => md.bookStats(sim.instruments.bySymbol('sim', symbol)!.id);
const fired = (kind: string): number => sim.faults.stats().fired[kind] ?? 0;

async function inject(spec: FaultSpec, times = 1): Promise<void> {
  const before = fired(spec.kind);
  sim.faults.inject(spec);
  await waitFor(() => fired(spec.kind) >= before + times, 8000, `${spec.kind} to fire`);
}

before(async () => {
  sim = await startSim({ market: 'usdm', seed: 43, symbols: SYMBOLS, rate: RATE });
  truth = new TruthHistory(sim);
  md = await startPipeline(sim, { feed: { maxStreamsPerConnection: 2 } });
  sampler = new BookSampler(md, 0);
  await sampler.waitReading();
});

after(async () => {
  await md?.stop();
  truth?.stop();
  await sim?.stop();
});

test('USD-M: the books sync over /public and equal the sim, although update ids skip', async () => {
  await assertBooksEqualTruth(sim, md, RATE, 'initial');
  const c = md.counters();
  assert.equal(c.books.gaps, 0, 'skipped ids are not gaps on futures (pu continuity)');
  assert.equal(c.books.snapshots, SYMBOLS.length);
  assert.match(String(md.io.venue.decoderImplementation), /^native/);
  assert.equal(md.io.venue.syncKind, 'binance-usdm');
});

test('USD-M gap: pu breaks, the book resyncs', async () => {
  const b0 = row('BTCUSDT');
  await inject({ kind: 'gap', stream: 'btcusdt@depth' });
  await waitFor(() => row('BTCUSDT').gaps > b0.gaps && row('BTCUSDT').snapshots > b0.snapshots, 8000, 'gap and resync');
  await assertBooksEqualTruth(sim, md, RATE, 'after gap');
});

test('USD-M duplicate: a repeated diff breaks pu continuity too (the docs give no ignore rule); resync', async () => {
  const b0 = row('SOLUSDT');
  await inject({ kind: 'duplicate', stream: 'solusdt@depth' });
  await waitFor(() => row('SOLUSDT').snapshots > b0.snapshots, 8000, 'resync');
  await assertBooksEqualTruth(sim, md, RATE, 'after duplicate');
  assert.ok(row('SOLUSDT').gaps > b0.gaps);
});

test('USD-M reorder and drop', async () => {
  const b0 = row('BTCUSDT');
  await inject({ kind: 'reorder', stream: 'btcusdt@depth' });
  await waitFor(() => row('BTCUSDT').snapshots > b0.snapshots, 8000, 'resync after reorder');
  await assertBooksEqualTruth(sim, md, RATE, 'after reorder');
  const b1 = row('SOLUSDT');
  const c0 = md.counters();
  await inject({ kind: 'drop', stream: 'solusdt@depth' });
  await waitFor(() => row('SOLUSDT').snapshots > b1.snapshots, 8000, 'resync after drop');
  await assertBooksEqualTruth(sim, md, RATE, 'after drop');
  assert.equal(md.counters().io.interruptions - c0.io.interruptions, 1);
});

test('USD-M: a failing snapshot on /fapi/v1/depth is retried', async () => {
  const b0 = row('BTCUSDT');
  const c0 = md.counters();
  sim.faults.inject({ kind: 'snapshotError', count: 3 });
  await inject({ kind: 'gap', stream: 'btcusdt@depth' });
  await waitFor(() => row('BTCUSDT').snapshots > b0.snapshots, 10_000, 'resync');
  await assertBooksEqualTruth(sim, md, RATE, 'after snapshot errors');
  assert.equal(md.counters().io.snapshotFailures - c0.io.snapshotFailures, 1);
});

test('USD-M: every valid state a reader saw equals the sim at its update id', async () => {
  const r = await sampler.stop(md, truth);
  assert.ok(r.samples > 100, `${r.samples} valid states`);
  assert.deepEqual(r.unknownIds.slice(0, 5), []);
  assert.deepEqual(r.mismatches.slice(0, 5), []);
  assert.deepEqual(r.violations, []);
});
