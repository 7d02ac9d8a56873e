/**
 * The execution adapter against a real sim over 127.0.0.1: place / cancel / query via
 * the WebSocket API and via the REST fallback, agreeing with the sim's /sim/orders;
 * execution reports and balance updates from the user-data subscription for a fill
 * against a second account; the WS session dropping (REST meanwhile) and coming back
 * resubscribed; -1021 with a skewed local clock.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { BinanceExecAdapter, type BalanceUpdate, type ExecReport, type ExecSessionEvent } from '../../../src/venues/binance/exec/index.js';
import { adapterOptions, ALICE, BOB, show, simBalances, simOrders, startSim, until, type SimHandle } from './exec-helpers.js';

let h: SimHandle;
const adapters: BinanceExecAdapter[] = [];

before(async () => {
  h = await startSim();
});
after(async () => {
  for (const a of adapters) await a.stop();
  await h.sim.stop();
});

async function adapter(account = ALICE, over: Parameters<typeof adapterOptions>[2] = {}): Promise<BinanceExecAdapter> {
  const a = await BinanceExecAdapter.start(adapterOptions(h.sim, account, over));
  adapters.push(a);
  return a;
}

function collect(a: BinanceExecAdapter): { reports: ExecReport[]; balances: BalanceUpdate[]; sessions: ExecSessionEvent[] } {
  const out = { reports: [] as ExecReport[], balances: [] as BalanceUpdate[], sessions: [] as ExecSessionEvent[] };
  a.onExecReport((r) => out.reports.push(r));
  a.onBalance((b) => out.balances.push(b));
  a.onSessionState((s) => out.sessions.push(s));
  return out;
}

test('WS API: place, query, cancel; the sim holds exactly what the adapter reports; NEW and CANCELED reports arrive', async () => {
  const a = await adapter();
  const ev = collect(a);
  assert.equal(a.activeTransport, 'ws');
  assert.equal(a.userDataLive, true);
  const placed = await a.place({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: 'ws-1', price: 5_000_000n, quantity: 1000n });
  assert.equal(placed.kind, 'ack', show(placed));
  assert.equal(placed.transport, 'ws');
  if (placed.kind !== 'ack') return;
  assert.equal(placed.order.status, 'NEW');
  assert.equal(placed.order.price, 5_000_000n);
  assert.equal(placed.order.origQty, 1000n);
  assert.equal(placed.order.clientOrderId, 'ws-1');
  const truth = (await simOrders(h.sim, { owner: 'alice' })).filter((o) => o.clientOrderId === 'ws-1');
  assert.equal(truth.length, 1);
  assert.deepEqual([truth[0]!.orderId, truth[0]!.status, truth[0]!.price, truth[0]!.origQty], [placed.order.orderId, 'NEW', '50000.00000000', '0.01000000']);

  const q = await a.queryOrder('BTCUSDT', 'ws-1');
  assert.equal(q.kind, 'found');
  if (q.kind === 'found') assert.deepEqual([q.order.orderId, q.order.status, q.order.executedQty], [placed.order.orderId, 'NEW', 0n]);
  await until(() => ev.reports.some((r) => r.orderClientId === 'ws-1' && r.executionType === 'NEW'), 'NEW report');

  const cx = await a.cancel('BTCUSDT', 'ws-1', { cancelClientOrderId: 'cx-ws-1' });
  assert.equal(cx.kind, 'ack');
  if (cx.kind === 'ack') assert.deepEqual([cx.order.status, cx.order.origClientOrderId, cx.order.clientOrderId], ['CANCELED', 'ws-1', 'cx-ws-1']);
  await until(() => ev.reports.some((r) => r.executionType === 'CANCELED'), 'CANCELED report');
  const canceled = ev.reports.find((r) => r.executionType === 'CANCELED')!;
  assert.deepEqual([canceled.orderClientId, canceled.clientOrderId, canceled.origClientOrderId, canceled.orderStatus], ['ws-1', 'cx-ws-1', 'ws-1', 'CANCELED']);
  assert.equal((await simOrders(h.sim, { owner: 'alice' })).find((o) => o.clientOrderId === 'ws-1')!.status, 'CANCELED');

  const q2 = await a.queryOrder('BTCUSDT', 'ws-1');
  assert.equal(q2.kind === 'found' && q2.order.status, 'CANCELED');
  const missing = await a.queryOrder('BTCUSDT', 'never-placed');
  assert.deepEqual([missing.kind, missing.kind === 'notFound' && missing.code], ['notFound', -2013]);
  const again = await a.cancel('BTCUSDT', 'ws-1');
  assert.deepEqual([again.kind, again.kind === 'rejected' && again.source === 'venue' && again.code], ['rejected', -2011]);
  assert.equal(a.counters.viaRest, 0);

  const bad = await a.place({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: 'bad id!', price: 1n, quantity: 1n });
  assert.deepEqual([bad.kind, bad.kind === 'rejected' && bad.source === 'local' && bad.reason], ['rejected', 'INVALID_ORDER']);
  const unknownSymbol = await a.place({ symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', clientOrderId: 'x', quantity: 1n });
  assert.equal(unknownSymbol.kind === 'rejected' && unknownSymbol.source === 'local' && unknownSymbol.reason, 'INVALID_ORDER');
});

test('a fill against a second account: execution reports with fixed-point fields, balance updates, account() and openOrders() agree with the sim', async () => {
  const alice = await adapter(ALICE);
  const bob = await adapter(BOB);
  const ea = collect(alice);
  const eb = collect(bob);
  const ask = await alice.place({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', clientOrderId: 'ask-1', price: 6_000_000n, quantity: 50_000n });
  assert.equal(ask.kind === 'ack' && ask.order.status, 'NEW');
  const take = await bob.place({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', clientOrderId: 'mkt-1', quantity: 20_000n });
  assert.equal(take.kind, 'ack');
  if (take.kind === 'ack') assert.deepEqual([take.order.status, take.order.executedQty, take.order.cumQuote], ['FILLED', 20_000n, 120_000_000_000n]);

  await until(() => ea.reports.some((r) => r.executionType === 'TRADE') && eb.reports.some((r) => r.executionType === 'TRADE'), 'trade reports');
  const makerFill = ea.reports.find((r) => r.executionType === 'TRADE')!;
  // 0.2 BTC at 60000.00: qty at scale 5, price at scale 2, quote at scale 7, commission 12 USDT at scale 8.
  assert.equal(makerFill.orderClientId, 'ask-1');
  assert.equal(makerFill.orderStatus, 'PARTIALLY_FILLED');
  assert.equal(makerFill.lastQty, 20_000n);
  assert.equal(makerFill.cumQty, 20_000n);
  assert.equal(makerFill.lastPrice, 6_000_000n);
  assert.equal(makerFill.lastQuote, 120_000_000_000n);
  assert.equal(makerFill.commission, 1_200_000_000n);
  assert.equal(makerFill.commissionAsset, 'USDT');
  assert.equal(makerFill.isMaker, true);
  assert.ok(makerFill.tradeId > 0 && makerFill.seq > 0);
  const takerFill = eb.reports.find((r) => r.executionType === 'TRADE')!;
  assert.deepEqual([takerFill.orderClientId, takerFill.orderStatus, takerFill.isMaker, takerFill.tradeId], ['mkt-1', 'FILLED', false, makerFill.tradeId]);

  await until(() => ea.balances.length > 0 && eb.balances.length > 0, 'balance updates');
  const truth = await simBalances(h.sim);
  const acct = await alice.account();
  for (const b of acct.balances) {
    const t = truth.alice![b.asset]!;
    assert.equal(b.scale, 8);
    assert.equal(b.free, BigInt(t.free.replace('.', '')), `${b.asset} free`);
    assert.equal(b.locked, BigInt(t.locked.replace('.', '')), `${b.asset} locked`);
  }
  // The last balance update names the same figures as the account.
  const lastBtc = ea.balances.flatMap((u) => u.balances).filter((b) => b.asset === 'BTC').pop()!;
  assert.deepEqual([lastBtc.free, lastBtc.locked], [acct.balances.find((b) => b.asset === 'BTC')!.free, acct.balances.find((b) => b.asset === 'BTC')!.locked]);
  const open = await alice.openOrders('BTCUSDT');
  assert.deepEqual(
    open.map((o) => [o.clientOrderId, o.status, o.executedQty]),
    [['ask-1', 'PARTIALLY_FILLED', 20_000n]],
  );
  assert.equal((await bob.openOrders()).length, 0);
  await alice.cancel('BTCUSDT', 'ask-1');
});

test('REST fallback: with the WS API unreachable every request goes over signed REST; the sim agrees', async () => {
  const dead = net.createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
  const port = (dead.address() as net.AddressInfo).port;
  await new Promise<void>((r) => dead.close(() => r()));
  const a = await adapter(ALICE, { wsApiUrl: `ws://127.0.0.1:${port}/ws-api/v3`, reconnect: { initialMs: 5000, maxMs: 5000 } });
  assert.equal(a.activeTransport, 'rest');
  assert.equal(a.clock.synced, true);
  const placed = await a.place({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: 'rest-1', price: 4_000_000n, quantity: 1500n });
  assert.equal(placed.kind, 'ack');
  assert.equal(placed.transport, 'rest');
  if (placed.kind !== 'ack') return;
  const truth = (await simOrders(h.sim, { owner: 'alice' })).filter((o) => o.clientOrderId === 'rest-1');
  assert.deepEqual(truth.map((o) => [o.orderId, o.status, o.price, o.origQty]), [[placed.order.orderId, 'NEW', '40000.00000000', '0.01500000']]);
  const q = await a.queryOrder('BTCUSDT', 'rest-1');
  assert.deepEqual([q.kind, q.transport], ['found', 'rest']);
  assert.deepEqual((await a.openOrders('BTCUSDT')).map((o) => o.clientOrderId), ['rest-1']);
  const cx = await a.cancel('BTCUSDT', 'rest-1');
  assert.equal(cx.kind === 'ack' && cx.order.status, 'CANCELED');
  assert.equal((await simOrders(h.sim, { owner: 'alice' })).find((o) => o.clientOrderId === 'rest-1')!.status, 'CANCELED');
  assert.equal(a.counters.viaWs, 0);
  // The REST reply headers were read: the place counted one order.
  const st = a.rateState();
  assert.ok(st.orders10s >= 1 && st.weightUsed > 0, JSON.stringify(st));
});

test('the WS session drops with a place in flight (UNKNOWN, resolved by a REST query); requests go over REST meanwhile; it reconnects, resubscribes and reports flow again', async () => {
  // A TCP relay in front of the sim, so the test can cut the adapter's socket.
  const sockets = new Set<net.Socket>();
  let accepting = true;
  const relay = net.createServer((c) => {
    if (!accepting) return c.destroy();
    const up = net.connect(h.sim.port, '127.0.0.1');
    sockets.add(c).add(up);
    c.pipe(up).pipe(c);
    const drop = (): void => {
      c.destroy();
      up.destroy();
    };
    c.on('error', drop).on('close', drop);
    up.on('error', drop).on('close', drop);
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (relay.address() as net.AddressInfo).port;
    const a = await adapter(ALICE, { wsApiUrl: `ws://127.0.0.1:${port}/ws-api/v3` });
    const ev = collect(a);
    assert.equal(a.activeTransport, 'ws');
    // The connection dies between send and ack: the order is in the book, its reply never came.
    h.sim.faults.inject({ kind: 'lostAck' });
    const inFlight = a.place({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: 'drop-0', price: 4_100_000n, quantity: 1000n });
    await until(() => ev.reports.some((r) => r.orderClientId === 'drop-0'), 'the venue to take drop-0');
    accepting = false;
    for (const s of sockets) s.destroy();
    const lost = await inFlight;
    assert.deepEqual([lost.kind, lost.kind === 'unknown' && lost.reason, lost.transport], ['unknown', 'DISCONNECTED', 'ws']);
    await until(() => ev.sessions.some((s) => s.status === 'down'), 'session down');
    assert.equal(a.activeTransport, 'rest');
    const resolved = await a.queryOrder('BTCUSDT', 'drop-0');
    assert.deepEqual([resolved.kind, resolved.transport, resolved.kind === 'found' && resolved.order.status], ['found', 'rest', 'NEW']);
    const during = await a.place({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: 'drop-1', price: 4_100_000n, quantity: 1000n });
    assert.deepEqual([during.kind, during.transport], ['ack', 'rest']);
    accepting = true;
    await until(() => ev.sessions.some((s) => s.status === 'up'), 'session up again');
    const up = ev.sessions.find((s) => s.status === 'up')!;
    assert.ok(up.status === 'up' && up.connects === 2 && up.subscriptionId !== null, JSON.stringify(up));
    assert.equal(a.userDataLive, true);
    const afterPlace = await a.place({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: 'drop-2', price: 4_100_000n, quantity: 1000n });
    assert.deepEqual([afterPlace.kind, afterPlace.transport], ['ack', 'ws']);
    await until(() => ev.reports.some((r) => r.orderClientId === 'drop-2' && r.executionType === 'NEW'), 'report after resubscribe');
    const mine = (await simOrders(h.sim, { owner: 'alice', open: 'true' })).filter((o) => o.clientOrderId.startsWith('drop-'));
    assert.deepEqual(mine.map((o) => o.clientOrderId).sort(), ['drop-0', 'drop-1', 'drop-2']);
    await a.cancel('BTCUSDT', 'drop-0');
    await a.cancel('BTCUSDT', 'drop-1');
    await a.cancel('BTCUSDT', 'drop-2');
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => relay.close(() => r()));
  }
});

test('timestamps follow the venue clock: a skewed local clock is corrected at start; a later skew gets -1021, a resync, and no order', async () => {
  let skewMs = -30_000;
  const a = await adapter(ALICE, { clock: { nowMs: () => Date.now() + skewMs } });
  assert.ok(Math.abs(a.clock.offsetMs - 30_000) < 50, `offset ${a.clock.offsetMs}`);
  const first = await a.place({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: 'skew-1', price: 4_200_000n, quantity: 1000n });
  assert.equal(first.kind, 'ack');
  // The local clock jumps 10 s back after the sync: the next timestamp is 10 s old.
  skewMs -= 10_000;
  const syncsBefore = a.counters.clockSyncs;
  const stale = await a.place({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: 'skew-2', price: 4_200_000n, quantity: 1000n });
  assert.equal(stale.kind, 'rejected');
  assert.ok(stale.kind === 'rejected' && stale.source === 'venue' && stale.code === -1021, show(stale));
  assert.equal(a.counters.timestampRejects, 1);
  await until(() => a.counters.clockSyncs > syncsBefore, 'clock resync');
  assert.ok(Math.abs(a.clock.offsetMs - 40_000) < 50, `offset ${a.clock.offsetMs}`);
  assert.equal((await simOrders(h.sim, { owner: 'alice' })).filter((o) => o.clientOrderId === 'skew-2').length, 0);
  const retried = await a.place({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: 'skew-2', price: 4_200_000n, quantity: 1000n });
  assert.equal(retried.kind, 'ack');
  assert.equal((await simOrders(h.sim, { owner: 'alice' })).filter((o) => o.clientOrderId === 'skew-2').length, 1);
  await a.cancel('BTCUSDT', 'skew-1');
  await a.cancel('BTCUSDT', 'skew-2');
});
