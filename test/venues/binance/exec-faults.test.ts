/**
 * Faults injected into the real sim: a lost ack becomes an UNKNOWN outcome that
 * queryOrder resolves, with the order placed exactly once; an execution report that
 * overtakes its ack is delivered first and both are kept apart; venue rejections, 5XX,
 * 429 and 418 mean what errors.ts says, and no request reaches the venue while the
 * adapter is backing off or banned (checked against the sim's own counters).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BinanceExecAdapter, type ExecReport } from '../../../src/venues/binance/exec/index.js';
import { adapterOptions, ALICE, httpRequestCounter, show, simOrders, sleep, startSim, until, wsRequests, type SimHandle } from './exec-helpers.js';

let h: SimHandle;
const adapters: BinanceExecAdapter[] = [];

before(async () => {
  h = await startSim();
});
after(async () => {
  for (const a of adapters) await a.stop();
  await h.sim.stop();
});

async function adapter(over: Parameters<typeof adapterOptions>[2] = {}): Promise<BinanceExecAdapter> {
  const a = await BinanceExecAdapter.start(adapterOptions(h.sim, ALICE, over));
  adapters.push(a);
  return a;
}

const accepted = (): number => h.plugin.handle()!.service.counters.ordersAccepted;
const limit = (cid: string, price = 4_000_000n) => ({ symbol: 'BTCUSDT', side: 'BUY' as const, type: 'LIMIT' as const, clientOrderId: cid, price, quantity: 1000n });

test('lost ack over the WS API: UNKNOWN after the timeout, never resent; queryOrder finds the order; the sim holds it once', async () => {
  const a = await adapter({ requestTimeoutMs: 300 });
  const reports: ExecReport[] = [];
  a.onExecReport((r) => reports.push(r));
  const before = accepted();
  const framesBefore = wsRequests(h);
  h.sim.faults.inject({ kind: 'lostAck' });
  const t0 = performance.now();
  const out = await a.place(limit('lost-ws'));
  assert.ok(performance.now() - t0 >= 290);
  assert.deepEqual([out.kind, out.kind === 'unknown' && out.reason, out.transport], ['unknown', 'TIMEOUT', 'ws']);
  assert.equal(a.counters.placeUnknown, 1);
  // The report still came: the venue placed it.
  assert.ok(reports.some((r) => r.orderClientId === 'lost-ws' && r.executionType === 'NEW'));
  const q = await a.queryOrder('BTCUSDT', 'lost-ws');
  assert.deepEqual([q.kind, q.kind === 'found' && q.order.status], ['found', 'NEW']);
  assert.equal(accepted() - before, 1);
  assert.equal(wsRequests(h) - framesBefore, 2, 'one order.place and one order.status frame');
  assert.equal((await simOrders(h.sim)).filter((o) => o.clientOrderId === 'lost-ws').length, 1);
  await a.cancel('BTCUSDT', 'lost-ws');
});

test('lost ack over REST: UNKNOWN, the order exists once, queryOrder finds it', async () => {
  const a = await adapter({ wsApiUrl: null, requestTimeoutMs: 300 });
  const http = httpRequestCounter(h.sim);
  const before = accepted();
  const n0 = await http();
  h.sim.faults.inject({ kind: 'lostAck' });
  const out = await a.place(limit('lost-rest'));
  assert.deepEqual([out.kind, out.kind === 'unknown' && out.reason, out.transport], ['unknown', 'TIMEOUT', 'rest']);
  const q = await a.queryOrder('BTCUSDT', 'lost-rest');
  assert.equal(q.kind === 'found' && q.order.clientOrderId, 'lost-rest');
  assert.equal(accepted() - before, 1);
  assert.equal((await http()) - n0, 2, 'one POST and one GET');
  assert.equal((await simOrders(h.sim)).filter((o) => o.clientOrderId === 'lost-rest').length, 1);
  await a.cancel('BTCUSDT', 'lost-rest');
});

test('exec-before-ack: the report is delivered first, then the outcome; arrival seq says so; nothing is mixed up', async () => {
  const a = await adapter();
  const seen: string[] = [];
  const reports: ExecReport[] = [];
  a.onExecReport((r) => {
    reports.push(r);
    seen.push(`report:${r.orderClientId}:${r.executionType}`);
  });
  h.sim.faults.inject({ kind: 'execBeforeAck' });
  const first = await a.place(limit('eba-1'));
  seen.push(`ack:eba-1`);
  const normal = await a.place(limit('eba-2'));
  seen.push(`ack:eba-2`);
  await until(() => reports.some((r) => r.orderClientId === 'eba-2'), 'report of eba-2');
  assert.equal(first.kind, 'ack');
  assert.equal(normal.kind, 'ack');
  const r1 = reports.find((r) => r.orderClientId === 'eba-1')!;
  const r2 = reports.find((r) => r.orderClientId === 'eba-2')!;
  assert.ok(r1.seq < first.seq, `report ${r1.seq} before ack ${first.seq}`);
  assert.ok(normal.seq < r2.seq, `ack ${normal.seq} before report ${r2.seq}`);
  assert.equal(seen[0], 'report:eba-1:NEW');
  assert.equal(seen[1], 'ack:eba-1');
  assert.equal(reports.filter((r) => r.orderClientId === 'eba-1').length, 1);
  if (first.kind === 'ack') assert.equal(first.order.orderId, r1.orderId);
  if (normal.kind === 'ack') assert.equal(normal.order.orderId, r2.orderId);
  await a.cancel('BTCUSDT', 'eba-1');
  await a.cancel('BTCUSDT', 'eba-2');
});

test('venue rejection and 5XX: REJECTED with code and message, or UNKNOWN that a query resolves to not found', async () => {
  const a = await adapter({ wsApiUrl: null });
  h.sim.faults.inject({ kind: 'orderReject', code: -2010, msg: 'Account has insufficient balance for requested action.' });
  const rej = await a.place(limit('rej-1'));
  assert.ok(rej.kind === 'rejected' && rej.source === 'venue' && rej.code === -2010 && rej.httpStatus === 400 && /insufficient balance/.test(rej.msg), show(rej));
  h.sim.faults.inject({ kind: 'http500', route: '/api/v3/order', count: 1 });
  const five = await a.place(limit('five-1'));
  assert.deepEqual([five.kind, five.kind === 'unknown' && five.reason], ['unknown', 'SERVER_ERROR']);
  const q = await a.queryOrder('BTCUSDT', 'five-1');
  assert.equal(q.kind, 'notFound');
  assert.equal((await simOrders(h.sim)).filter((o) => o.clientOrderId === 'rej-1' || o.clientOrderId === 'five-1').length, 0);
});

test('429 over REST: every request pauses until Retry-After, nothing reaches the venue meanwhile, then it goes', async () => {
  const a = await adapter({ wsApiUrl: null });
  const http = httpRequestCounter(h.sim);
  h.sim.faults.inject({ kind: 'http429', route: '/api/v3/order', retryAfterSec: 1 });
  const t0 = Date.now();
  const refused = await a.place(limit('r429-1'));
  assert.ok(refused.kind === 'rejected' && refused.source === 'venue' && refused.httpStatus === 429 && refused.code === -1003, show(refused));
  assert.equal(a.counters.http429, 1);
  const paused = a.rateState().pausedUntilMs;
  assert.ok(paused - a.clock.nowMs() > 800, `paused until ${paused}`);
  const n0 = await http();
  const waiting = a.place(limit('r429-2'));
  const query = a.queryOrder('BTCUSDT', 'r429-1');
  await sleep(500);
  assert.equal(await http(), n0, 'no request during the back-off');
  assert.equal(a.rateState().queued, 2);
  const [placed, q] = await Promise.all([waiting, query]);
  assert.ok(Date.now() - t0 >= 950, `waited ${Date.now() - t0} ms`);
  assert.equal(placed.kind, 'ack');
  assert.equal(q.kind, 'notFound');
  assert.equal((await http()) - n0, 2);
  assert.equal(a.stats().limiter && (a.stats().limiter as { waited: number }).waited, 2);
  await a.cancel('BTCUSDT', 'r429-2');
});

test('418 over the WS API: banned until the stated time; requests are refused locally without a frame; after the ban they go', async () => {
  const a = await adapter({ rateLimits: { maxQueueWaitMs: 300 } });
  h.sim.faults.inject({ kind: 'http418', route: '/api/v3/order', ms: 700, retryAfterSec: 1 });
  const banned = await a.place(limit('ban-1'));
  assert.ok(banned.kind === 'rejected' && banned.source === 'venue' && banned.httpStatus === 418, show(banned));
  assert.equal(a.counters.http418, 1);
  const until418 = a.rateState().bannedUntilMs;
  assert.ok(until418 - a.clock.nowMs() > 800);
  const frames = wsRequests(h);
  const refused = await a.place(limit('ban-2'));
  assert.deepEqual([refused.kind, refused.kind === 'rejected' && refused.source === 'local' && refused.reason, refused.transport], ['rejected', 'BANNED', 'local']);
  const q = await a.queryOrder('BTCUSDT', 'ban-1');
  assert.deepEqual([q.kind, q.kind === 'failed' && q.reason], ['failed', 'BANNED']);
  await assert.rejects(a.openOrders('BTCUSDT'), (e: Error & { code?: string }) => e.code === 'BINANCE_BANNED');
  assert.equal(wsRequests(h), frames, 'no frame sent while banned');
  await sleep(Math.max(0, until418 - a.clock.nowMs()) + 20);
  const ok = await a.place(limit('ban-3'));
  assert.equal(ok.kind, 'ack');
  assert.equal(wsRequests(h), frames + 1);
  assert.deepEqual((await simOrders(h.sim)).filter((o) => o.clientOrderId.startsWith('ban-')).map((o) => o.clientOrderId), ['ban-3']);
  await a.cancel('BTCUSDT', 'ban-3');
});
