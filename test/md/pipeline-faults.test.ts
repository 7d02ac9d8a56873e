/**
 * The whole spot pipeline (feed → native decoder → md ring → book thread → shared books)
 * against the sim over real WebSockets on 127.0.0.1, through every fault the sim can
 * inject. After each one every book equals the sim's /sim/book at the same update id
 * (compared with the flow paused), and the counters say what happened. A reader thread
 * samples the books all along: every state it saw as valid equals the sim's book at
 * that update id, so no book was shown valid while stale, crossed or mid-resync.
 *
 * Each symbol gets its own connection (2 streams per connection), so a stream fault
 * aimed at one symbol's depth stream hits that book alone.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FaultSpec } from '../../src/venues/sim/faults.js';
import type { SimExchange } from '../../src/venues/sim/server/exchange.js';
import type { MarketDataPipeline } from '../../src/md/pipeline.js';
import { assertBooksEqualTruth, startPipeline, startSim, waitFor } from './pipeline-helpers.js';
import { BookSampler, TruthHistory } from './truth-history.js';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'DOGEUSDT'];
const RATE = 120;

let sim: SimExchange;
let md: MarketDataPipeline;
let truth: TruthHistory;
let sampler: BookSampler;

const idOf = (symbol: string): number => sim.instruments.bySymbol('sim', symbol)!.id;
const row = (symbol: string) => md.bookStats(idOf(symbol));
const fired = (kind: string): number => sim.faults.stats().fired[kind] ?? 0;

/** Injects `spec` and waits until the sim says it took effect. */
async function inject(spec: FaultSpec, times = 1): Promise<void> {
  const before = fired(spec.kind);
  sim.faults.inject(spec);
  await waitFor(() => fired(spec.kind) >= before + times, 8000, `${spec.kind} to fire`);
}

before(async () => {
  sim = await startSim({ seed: 41, symbols: SYMBOLS, rate: RATE });
  truth = new TruthHistory(sim);
  md = await startPipeline(sim, { feed: { maxStreamsPerConnection: 2, readDeadlineMs: 900 } });
  sampler = new BookSampler(md, 1);
  await sampler.waitReading();
});

after(async () => {
  await md?.stop();
  truth?.stop();
  await sim?.stop();
});

test('initial sync: one connection per symbol, every book equals the sim, nothing went wrong', async () => {
  await assertBooksEqualTruth(sim, md, RATE, 'initial');
  const c = md.counters();
  assert.equal(c.venue['plannedConnections'], 3);
  assert.equal(c.venue['liveConnections'], 3);
  assert.equal(c.books.gaps, 0);
  assert.equal(c.books.snapshots, SYMBOLS.length, 'one snapshot per book');
  assert.ok(c.books.resyncs >= SYMBOLS.length, 'the initial requests');
  assert.deepEqual(c.io.decodeErrors, {});
  assert.equal(c.io.droppedTimeout + c.io.droppedTooSmall, 0);
  assert.ok(c.books.changes > 0 && c.io.messages > 0);
  for (const s of SYMBOLS) assert.equal(row(s).state, 'live');
});

test('gap: the book goes invalid, publishes a gap, resyncs from a snapshot and equals the sim again', async () => {
  const b0 = row('BTCUSDT');
  await inject({ kind: 'gap', stream: 'btcusdt@depth' });
  await waitFor(() => row('BTCUSDT').gaps > b0.gaps && row('BTCUSDT').snapshots > b0.snapshots, 8000, 'gap detected and resynced');
  await assertBooksEqualTruth(sim, md, RATE, 'after gap');
  const b1 = row('BTCUSDT');
  assert.equal(b1.gaps - b0.gaps, 1);
  assert.ok(b1.resyncs > b0.resyncs);
  assert.equal(row('ETHUSDT').gaps, 0, 'the other books were not touched');
});

test('duplicate: repeated diffs are dropped as stale, no gap, no resync', async () => {
  const b0 = row('ETHUSDT');
  await inject({ kind: 'duplicate', stream: 'ethusdt@depth', count: 3 }, 3);
  await waitFor(() => row('ETHUSDT').stale >= b0.stale + 3, 5000, 'stale drops');
  await assertBooksEqualTruth(sim, md, RATE, 'after duplicate');
  const b1 = row('ETHUSDT');
  assert.equal(b1.gaps, b0.gaps);
  assert.equal(b1.resyncs, b0.resyncs);
  assert.equal(b1.stale - b0.stale, 3);
});

test('reorder: a swapped pair is a gap on spot; the book resyncs and equals the sim', async () => {
  const b0 = row('ETHUSDT');
  await inject({ kind: 'reorder', stream: 'ethusdt@depth' });
  await waitFor(() => row('ETHUSDT').gaps > b0.gaps && row('ETHUSDT').snapshots > b0.snapshots, 8000, 'gap on the swap, resynced');
  await assertBooksEqualTruth(sim, md, RATE, 'after reorder');
});

test('malformed and truncated frames: counted as decode errors and dropped; the books never notice', async () => {
  const c0 = md.counters();
  const b0 = row('DOGEUSDT');
  await inject({ kind: 'malformed', stream: 'dogeusdt@depth', count: 2 }, 2);
  await inject({ kind: 'truncated', stream: 'dogeusdt@depth', count: 2 }, 2);
  await waitFor(() => (md.counters().io.decodeErrors['MALFORMED_JSON'] ?? 0) >= (c0.io.decodeErrors['MALFORMED_JSON'] ?? 0) + 4, 5000, 'decode errors');
  await assertBooksEqualTruth(sim, md, RATE, 'after malformed/truncated');
  const c1 = md.counters();
  assert.equal((c1.io.decodeErrors['MALFORMED_JSON'] ?? 0) - (c0.io.decodeErrors['MALFORMED_JSON'] ?? 0), 4);
  assert.equal(row('DOGEUSDT').gaps, b0.gaps);
  assert.equal(row('DOGEUSDT').resyncs, b0.resyncs);
});

test('short stall (under the read deadline): frames arrive late, the book stays in sequence', async () => {
  const b0 = row('BTCUSDT');
  const c0 = md.counters();
  await inject({ kind: 'stall', stream: 'btcusdt@depth', ms: 300 });
  await new Promise((r) => setTimeout(r, 500));
  await assertBooksEqualTruth(sim, md, RATE, 'after short stall');
  assert.equal(row('BTCUSDT').gaps, b0.gaps);
  assert.equal(md.counters().io.interruptions, c0.io.interruptions);
});

test('long stall: the read deadline drops the silent connection; the book is cleared and rebuilt after the reconnect', async () => {
  const b0 = row('DOGEUSDT');
  const c0 = md.counters();
  await inject({ kind: 'stall', stream: 'dogeusdt@depth', ms: 3000 });
  await waitFor(() => md.counters().io.interruptions > c0.io.interruptions, 5000, 'interruption');
  await waitFor(() => row('DOGEUSDT').snapshots > b0.snapshots, 8000, 'resynced after the reconnect');
  await assertBooksEqualTruth(sim, md, RATE, 'after long stall');
  const c1 = md.counters();
  assert.equal(c1.io.interruptions - c0.io.interruptions, 1, 'one book cleared');
  assert.equal(c1.venue['feed.reconnects.readDeadline']! - c0.venue['feed.reconnects.readDeadline']!, 1);
});

test('drop: the connection is cut; the book is cleared, resubscribed and rebuilt', async () => {
  const b0 = row('BTCUSDT');
  const c0 = md.counters();
  await inject({ kind: 'drop', stream: 'btcusdt@depth' });
  await waitFor(() => row('BTCUSDT').snapshots > b0.snapshots, 8000, 'resynced after the reconnect');
  await assertBooksEqualTruth(sim, md, RATE, 'after drop');
  const c1 = md.counters();
  assert.equal(c1.io.interruptions - c0.io.interruptions, 1);
  assert.equal(c1.venue['feed.reconnects.remoteClose']! - c0.venue['feed.reconnects.remoteClose']!, 1);
});

test('429 on the snapshot: the REST gate waits out Retry-After, the resync completes', async () => {
  const b0 = row('ETHUSDT');
  const c0 = md.counters();
  sim.faults.inject({ kind: 'http429', route: '/api/v3/depth', count: 1, retryAfterSec: 1 });
  await inject({ kind: 'gap', stream: 'ethusdt@depth' });
  await waitFor(() => row('ETHUSDT').snapshots > b0.snapshots, 10_000, 'resynced after the 429');
  await assertBooksEqualTruth(sim, md, RATE, 'after 429');
  const c1 = md.counters();
  assert.equal(c1.venue['rest.http429']! - c0.venue['rest.http429']!, 1);
  assert.ok(c1.venue['rest.waitedMs']! - c0.venue['rest.waitedMs']! >= 800, 'waited the Retry-After');
});

test('failing snapshots: the fetch fails, the io thread retries with backoff, the book recovers', async () => {
  const b0 = row('BTCUSDT');
  const c0 = md.counters();
  // Three attempts per fetch: the first fetch fails whole, the retry's second attempt succeeds.
  sim.faults.inject({ kind: 'snapshotError', count: 4 });
  await inject({ kind: 'gap', stream: 'btcusdt@depth' });
  await waitFor(() => row('BTCUSDT').snapshots > b0.snapshots, 10_000, 'resynced after failed snapshots');
  await assertBooksEqualTruth(sim, md, RATE, 'after failing snapshots');
  const c1 = md.counters();
  assert.equal(c1.io.snapshotFailures - c0.io.snapshotFailures, 1);
  assert.equal(c1.venue['rest.http5xx']! - c0.venue['rest.http5xx']!, 4);
  assert.equal(fired('snapshotError'), 4);
});

test('a slow snapshot keeps the book invalid meanwhile, and readers see it invalid', async () => {
  const b0 = row('DOGEUSDT');
  const invalid0 = sampler.invalidReads;
  sim.faults.inject({ kind: 'snapshotDelay', ms: 400, count: 1 });
  await inject({ kind: 'gap', stream: 'dogeusdt@depth' });
  await waitFor(() => row('DOGEUSDT').snapshots > b0.snapshots, 10_000, 'resynced after the delay');
  assert.ok(sampler.invalidReads > invalid0, 'the reader thread saw the book invalid during the resync');
  await assertBooksEqualTruth(sim, md, RATE, 'after slow snapshot');
});

test('serverShutdown with grace: make-before-break, no interruption, no gap', async () => {
  const c0 = md.counters();
  const b0 = row('ETHUSDT');
  await inject({ kind: 'serverShutdown', stream: 'ethusdt@depth', ms: 3000 });
  await waitFor(() => md.counters().venue['feed.handoversShutdown']! > c0.venue['feed.handoversShutdown']!, 6000, 'handover');
  await assertBooksEqualTruth(sim, md, RATE, 'after serverShutdown (grace)');
  const c1 = md.counters();
  assert.equal(c1.io.interruptions, c0.io.interruptions);
  assert.equal(row('ETHUSDT').gaps, b0.gaps);
  assert.equal(row('ETHUSDT').snapshots, b0.snapshots, 'no resync needed');
});

test('serverShutdown with an immediate close: interrupted, cleared, rebuilt', async () => {
  const c0 = md.counters();
  const b0 = row('BTCUSDT');
  await inject({ kind: 'serverShutdown', stream: 'btcusdt@depth', ms: 0 });
  await waitFor(() => row('BTCUSDT').snapshots > b0.snapshots || md.counters().venue['feed.handoversShutdown']! > c0.venue['feed.handoversShutdown']!, 8000, 'reconnect');
  await assertBooksEqualTruth(sim, md, RATE, 'after serverShutdown (immediate)');
  const c1 = md.counters();
  // Either the replacement was live before the close (a handover), or the book was rebuilt.
  const handover = c1.venue['feed.handoversShutdown']! > c0.venue['feed.handoversShutdown']!;
  if (!handover) assert.equal(c1.io.interruptions - c0.io.interruptions, 1);
});

test('the reader thread never saw a valid book that differed from the sim at its update id', async () => {
  const r = await sampler.stop(md, truth);
  assert.ok(r.samples > 200, `sampled (${r.samples} valid states, ${r.reads} reads)`);
  assert.equal(r.dropped, 0);
  assert.deepEqual(r.unknownIds.slice(0, 5), [], 'every valid update id is one the sim had');
  assert.deepEqual(r.mismatches.slice(0, 5), []);
  assert.deepEqual(r.violations, [], 'no valid read below a gap; after a GAP the book turned INVALID (or was rebuilt)');
  assert.equal(r.gaps, md.counters().books.gaps, 'the reader consumed every GAP from the book ring');
  assert.equal(r.lapped, 0);
  assert.ok(r.invalidReads > 0, 'invalid states were observed during the faults');
  const lat = md.latency();
  assert.ok(lat.count > 100, 'receive → book latency recorded');
  assert.ok(lat.p50 > 0 && lat.p50 < 100_000_000, `p50 ${lat.p50} ns`);
  assert.equal(md.counters().io.droppedTimeout, 0);
});
