/**
 * Rate limits as the venue counts them: X-MBX-USED-WEIGHT-1M / X-MBX-ORDER-COUNT-* (REST)
 * and rateLimits arrays (WS API) tracked against the sim's own limiter; cancels going
 * first when the weight budget is tight (checked by the sim's MAX_NUM_ORDERS filter,
 * which only lets the last order in if the cancels went before it); and a new order
 * over the order-count budget refused locally under the 'reject' policy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BinanceExecAdapter, type PlaceOutcome } from '../../../src/venues/binance/exec/index.js';
import { adapterOptions, ALICE, awayFromBoundary, show, simOrders, startSim, until, wsRequests } from './exec-helpers.js';

const IP = '127.0.0.1';
const limit = (cid: string) => ({ symbol: 'BTCUSDT', side: 'BUY' as const, type: 'LIMIT' as const, clientOrderId: cid, price: 4_000_000n, quantity: 1000n });

test('weight and order counts: REST headers and WS API rateLimits are tracked as the sim counts them', async () => {
  const h = await startSim({ orderEntry: { rateLimits: { weightPerMinute: 1200, ordersPer10s: 50 } } });
  const adapters: BinanceExecAdapter[] = [];
  try {
    await awayFromBoundary(60_000, 3000);
    const venue = h.plugin.handle()!.limiter;
    const rest = await BinanceExecAdapter.start(adapterOptions(h.sim, ALICE, { wsApiUrl: null }));
    adapters.push(rest);
    await rest.place(limit('h-1'));
    await rest.place(limit('h-2'));
    await rest.queryOrder('BTCUSDT', 'h-1');
    let st = rest.rateState();
    // The sim's /api/v3/time (the 3 clock-sync requests at start) answers without a weight
    // header, so the adapter keeps its own charge of 1 each; every order-entry reply carries
    // the venue's count, which the adapter follows.
    assert.equal(st.weightUsed, venue.usedWeight(IP) + 3);
    assert.deepEqual([st.orders10s, st.ordersDay], [venue.orderCounts('alice').tenSec, venue.orderCounts('alice').day]);
    assert.equal(st.orders10s, 2);
    // Plain REST does not say the limits; the configured ones stand.
    assert.deepEqual([st.weightLimit, st.orders10sLimit], [6000, 100]);
    // exchangeInfo's rateLimits, when given, apply from the start where tighter than the options.
    const info = (await (await fetch(`${h.sim.url}/api/v3/exchangeInfo`)).json()) as { rateLimits: { rateLimitType: string; interval: string; intervalNum: number; limit: number }[] };
    const informed = await BinanceExecAdapter.start(adapterOptions(h.sim, ALICE, { wsApiUrl: null, rateLimits: { weightPerMinute: 10_000, ordersPer10s: 500, ordersPerDay: 100 }, venueRateLimits: info.rateLimits }));
    adapters.push(informed);
    const lim = informed.rateState();
    assert.deepEqual([lim.weightLimit, lim.orders10sLimit, lim.ordersDayLimit], [6000, 100, 100]);

    const ws = await BinanceExecAdapter.start(adapterOptions(h.sim, ALICE));
    adapters.push(ws);
    await ws.place(limit('h-3'));
    await ws.cancel('BTCUSDT', 'h-3');
    st = ws.rateState();
    assert.equal(st.weightUsed, venue.usedWeight(IP));
    assert.deepEqual([st.orders10s, st.ordersDay], [3, 3]);
    // The WS API names its limits; the tighter venue figures are adopted.
    assert.deepEqual([st.weightLimit, st.orders10sLimit, st.ordersDayLimit], [1200, 50, 200_000]);
    await rest.cancel('BTCUSDT', 'h-1');
    await rest.cancel('BTCUSDT', 'h-2');
  } finally {
    for (const a of adapters) await a.stop();
    await h.sim.stop();
  }
});

test('budget tight: a cancel uses the reserved weight while new orders wait; at the window turn cancels go first', async () => {
  // Venue and adapter share one clock; once both are up it is moved to ~2 s before a
  // minute boundary, so the weight window turns during the test.
  let shift = 0;
  const clock = { nowMs: () => Date.now() + shift };
  const h = await startSim({ clock, orderEntry: { rateLimits: { weightPerMinute: 1000 }, maxOpenOrdersPerSymbol: 2 } });
  const a = await BinanceExecAdapter.start(adapterOptions(h.sim, ALICE, { clock, rateLimits: { cancelReserveWeight: 1, windowGuardMs: 100 } }));
  try {
    const now = Date.now();
    shift = 60_000 - (now % 60_000) - 2000;
    const venue = h.plugin.handle()!.limiter;
    assert.equal((await a.place(limit('tight-A'))).kind, 'ack');
    assert.equal((await a.place(limit('tight-B'))).kind, 'ack');
    // The venue's limit drops to 3 above what is used; the adapter learns it from the next replies.
    venue.config.weightPerMinute = venue.usedWeight(IP) + 3;
    const sync = a.syncClock();
    await until(() => a.rateState().queued === 1, 'the third time request to wait');
    const st = a.rateState();
    assert.equal(st.weightLimit - st.weightUsed, 1, JSON.stringify(st));
    assert.ok(60_000 - (clock.nowMs() % 60_000) > 800, 'set-up ran past the window boundary; the test needs a quieter machine');

    const log: string[] = [];
    const track = (name: string, p: Promise<PlaceOutcome>) => p.then((o) => (log.push(name), o));
    const placeC = track('place C', a.place(limit('tight-C')));
    const cancelA = track('cancel A', a.cancel('BTCUSDT', 'tight-A'));
    const ca = await cancelA;
    assert.equal(ca.kind, 'ack', 'the cancel went at once on the reserve');
    assert.equal(a.rateState().queued, 2, 'time request and place C still wait');
    const placeD = track('place D', a.place(limit('tight-D')));
    const cancelB = track('cancel B', a.cancel('BTCUSDT', 'tight-B'));
    assert.equal(a.rateState().queued, 4);
    const [c, d, cb] = await Promise.all([placeC, placeD, cancelB, sync]);
    assert.equal(cb.kind, 'ack');
    // FIFO would have sent C and D before cancel B: D would meet MAX_NUM_ORDERS (B and C open).
    assert.equal(c.kind, 'ack', show(c));
    assert.equal(d.kind, 'ack', show(d));
    assert.deepEqual(log, ['cancel A', 'cancel B', 'place C', 'place D']);
    const open = (await simOrders(h.sim, { owner: 'alice', open: 'true' })).map((o) => o.clientOrderId).sort();
    assert.deepEqual(open, ['tight-C', 'tight-D']);
    assert.equal(a.counters.http429, 0);
    const lim = a.stats().limiter as { waited: number; rejectedBudget: number };
    assert.deepEqual([lim.waited, lim.rejectedBudget], [4, 0]);
  } finally {
    await a.stop();
    await h.sim.stop();
  }
});

test("order-count budget with the 'reject' policy: the order over the 10 s budget is refused locally, no frame sent", async () => {
  const h = await startSim({ orderEntry: { rateLimits: { ordersPer10s: 3 } } });
  const a = await BinanceExecAdapter.start(adapterOptions(h.sim, ALICE, { rateLimits: { orderBudgetPolicy: 'reject' } }));
  try {
    await awayFromBoundary(10_000, 1500, () => a.clock.nowMs());
    for (const cid of ['oc-1', 'oc-2', 'oc-3']) assert.equal((await a.place(limit(cid))).kind, 'ack');
    assert.equal(a.rateState().orders10sLimit, 3);
    const frames = wsRequests(h);
    const over = await a.place(limit('oc-4'));
    assert.deepEqual([over.kind, over.kind === 'rejected' && over.source === 'local' && over.reason], ['rejected', 'RATE_BUDGET']);
    assert.equal(wsRequests(h), frames);
    // Cancels are not orders: they still go.
    assert.equal((await a.cancel('BTCUSDT', 'oc-1')).kind, 'ack');
    assert.deepEqual((await simOrders(h.sim, { owner: 'alice' })).map((o) => o.clientOrderId).sort(), ['oc-1', 'oc-2', 'oc-3']);
  } finally {
    await a.stop();
    await h.sim.stop();
  }
});
