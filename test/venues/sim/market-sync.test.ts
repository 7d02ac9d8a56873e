/**
 * The documented Binance local-book procedures, run by a client over real sockets against
 * live generated flow, must end with exactly the book the sim reports at /sim/book.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimExchange } from '../../../src/venues/sim/server/exchange.js';
import { bookOf, getJson, postJson, RecordingClient, sleep, startSim, syncSpot, syncUsdm, type LocalBook } from './market-helpers.js';

async function runSync(sim: SimExchange, symbol: string, stream: string, snapshotPath: string, sync: (snap: any, evs: any[]) => LocalBook): Promise<{ book: LocalBook; events: any[] }> {
  const c = await RecordingClient.open(`${sim.wsUrl}/stream?streams=${symbol.toLowerCase()}${stream}`);
  // Buffer first, then take the snapshot (refetch while it is older than the first buffered event).
  await c.waitFor(() => c.messages().length >= 3, 5000, 'buffered diffs');
  let snap: any;
  for (let i = 0; i < 10; i++) {
    snap = (await getJson(`${sim.url}${snapshotPath}?symbol=${symbol}&limit=1000`)).body;
    if (snap.lastUpdateId >= c.messages()[0].data.U) break;
    await sleep(20);
  }
  await sleep(700); // let the flow run on top of the snapshot
  await postJson(`${sim.url}/sim/flow`, { rate: 0 });
  const truth = (await getJson(`${sim.url}/sim/book?symbol=${symbol}&depth=0`)).body;
  assert.ok(truth.levels.bids < 1000 && truth.levels.asks < 1000, 'the snapshot covers the whole book');
  await c.waitFor(() => c.messages().some((m) => m.data.u >= truth.lastUpdateId), 5000, 'the last diff');
  const events = c.messages().map((m) => m.data);
  const book = sync(snap, events);
  assert.equal(book.id, truth.lastUpdateId);
  const expected = bookOf(truth);
  assert.deepEqual([...book.bids.entries()].sort(), [...expected.bids.entries()].sort(), 'bids');
  assert.deepEqual([...book.asks.entries()].sort(), [...expected.asks.entries()].sort(), 'asks');
  assert.ok(expected.bids.size > 10 && expected.asks.size > 10, 'a real book');
  c.close();
  return { book, events };
}

test('spot: buffer, snapshot, drop u <= lastUpdateId, U == prev u + 1 reconstructs /sim/book exactly (immediate diffs)', async () => {
  const sim = await startSim({ seed: 21, symbols: ['BTCUSDT', 'DOGEUSDT'], rate: 3000 });
  try {
    const { events } = await runSync(sim, 'DOGEUSDT', '@depth', '/api/v3/depth', syncSpot);
    assert.ok(events.length > 500, `enough flow (${events.length} events)`);
    assert.ok(events.some((e) => e.b.length + e.a.length > 1), 'some events change several levels (trades)');
  } finally {
    await sim.stop();
  }
});

test('spot: the same holds for 100 ms aggregated diffs', async () => {
  const sim = await startSim({ seed: 22, symbols: ['ETHUSDT'], rate: 4000, depthInterval: 'binance' });
  try {
    const { events } = await runSync(sim, 'ETHUSDT', '@depth@100ms', '/api/v3/depth', syncSpot);
    assert.ok(events.some((e) => e.u - e.U > 10), 'events cover ranges of updates');
  } finally {
    await sim.stop();
  }
});

test('USD-M: drop u < lastUpdateId, first U <= id <= u, then pu == prev u reconstructs /sim/book exactly', async () => {
  const sim = await startSim({ market: 'usdm', seed: 23, symbols: ['BTCUSDT'], rate: 3000 });
  try {
    const { book } = await runSync(sim, 'BTCUSDT', '@depth', '/fapi/v1/depth', syncUsdm);
    assert.ok((book as any).contiguousBreaks > 0, 'futures ids skip: only pu continuity holds');
  } finally {
    await sim.stop();
  }
});

test('USD-M with 100 ms aggregation', async () => {
  const sim = await startSim({ market: 'usdm', seed: 24, symbols: ['BTCUSDT'], rate: 3000, depthInterval: 'binance' });
  try {
    await runSync(sim, 'BTCUSDT', '@depth@100ms', '/fapi/v1/depth', syncUsdm);
  } finally {
    await sim.stop();
  }
});
