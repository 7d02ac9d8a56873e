/**
 * The WebSocket API over a real socket: the documented signed order.place examples
 * verbatim, user-data events wrapped with subscriptionId, partial fills against another
 * account, the order faults seen on one connection, and the rateLimits array.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SimExchange } from '../../../src/venues/sim/server/exchange.js';
import { orderEntryPlugin } from '../../../src/venues/sim/orderentry/index.js';
import type { SimAccountConfig } from '../../../src/venues/sim/account/config.js';
import { fixturePath, keys, ManualClock, WsApiClient } from './orderentry-helpers.js';

const vectors = JSON.parse(readFileSync(fixturePath('hmac_sha256_vectors.json'), 'utf8')) as { apiKey: string; secretKey: string };
/** The docs' example request time: the sim's clock is frozen there so the verbatim requests pass. */
const DOC_TIME = 1645423376532;
const DOC = { name: 'doc', apiKey: vectors.apiKey, apiSecret: vectors.secretKey, balances: { BTC: '1', USDT: '10000' } };
const CAROL = { name: 'carol', apiKey: 'carolKey', apiSecret: 'carolSecret', balances: { USDT: '100000' }, takerCommission: '0.001' };
const accounts: SimAccountConfig[] = [DOC, CAROL];

let sim: SimExchange;
let clock: ManualClock;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

before(async () => {
  clock = new ManualClock(DOC_TIME);
  sim = await SimExchange.start({ clock, symbols: ['BTCUSDT'], rate: 0, seedBooks: false, accounts, log: quiet, plugins: [orderEntryPlugin({ accounts })] });
});
after(async () => {
  await sim.stop();
});

const wsUrl = () => `${sim.wsUrl}/ws-api/v3`;

test('the documented signed order.place requests, sent verbatim, are accepted (and the non-ASCII one fails only on the symbol)', async () => {
  const c = await WsApiClient.connect(wsUrl());
  try {
    const sub = await c.signed('userDataStream.subscribe.signature', DOC.apiKey, DOC.apiSecret, {}, clock.ms);
    assert.deepEqual(sub.result, { subscriptionId: 0 });
    assert.equal(sub.status, 200);
    const doc = JSON.parse(readFileSync(fixturePath('spot_wsapi_order_place_signed_ascii.doc.json'), 'utf8')) as { id: string; method: string; params: Record<string, unknown> };
    c.ws.send(JSON.stringify(doc));
    await c.waitEvents((evs) => evs.some((e) => e.e === 'outboundAccountPosition'));
    const reply = c.frames.find((f) => f.id === doc.id)!;
    assert.equal(reply.status, 200, JSON.stringify(reply));
    const r = reply.result as Record<string, unknown>;
    assert.equal(r.symbol, 'BTCUSDT');
    assert.equal(r.side, 'SELL');
    assert.equal(r.price, '52000.00000000');
    assert.equal(r.origQty, '0.01000000');
    assert.equal(r.status, 'NEW');
    assert.deepEqual(reply.rateLimits, [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, count: (reply.rateLimits as { count: number }[])[0]!.count },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100, count: 1 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000, count: 1 },
    ]);
    // Reply first, then the events, each wrapped with the subscription id.
    const order = c.frames.findIndex((f) => f.id === doc.id);
    const firstEvent = c.frames.findIndex((f) => 'event' in f);
    assert.ok(order < firstEvent);
    const [rep, pos] = c.events;
    assert.equal(rep!.subscriptionId, 0);
    const fx = JSON.parse(readFileSync(fixturePath('spot_user_executionReport.stripped.json'), 'utf8')) as { event: Record<string, unknown> };
    // `v` (prevented match id) is only present after self-trade prevention; the sim has none.
    assert.deepEqual(keys(rep!.event), keys(fx.event).filter((k) => k !== 'v'));
    assert.equal(rep!.event.x, 'NEW');
    assert.equal(rep!.event.q, '0.01000000');
    assert.equal(rep!.event.p, '52000.00000000');
    assert.equal(rep!.event.n, '0');
    assert.equal(rep!.event.N, null);
    assert.equal(rep!.event.w, true);
    const posFx = JSON.parse(readFileSync(fixturePath('spot_wsapi_user_event_outboundAccountPosition.stripped.json'), 'utf8')) as { event: Record<string, unknown> };
    assert.deepEqual(keys(pos!.event), keys(posFx.event));
    assert.deepEqual(pos!.event.B, [{ a: 'BTC', f: '0.99000000', l: '0.01000000' }]);

    const nonAscii = JSON.parse(readFileSync(fixturePath('spot_wsapi_order_place_signed_nonascii.doc.json'), 'utf8')) as { params: Record<string, unknown> };
    const r2 = await c.request('order.place', nonAscii.params);
    assert.deepEqual((r2.error as { code: number }).code, -1100, JSON.stringify(r2));
    // The same request with one altered param fails the signature.
    const r3 = await c.request('order.place', { ...nonAscii.params, quantity: '2.00000000' });
    assert.deepEqual(r3.error, { code: -1022, msg: 'Signature for this request is not valid.' });
    const cx = await c.signed('openOrders.cancelAll', DOC.apiKey, DOC.apiSecret, { symbol: 'BTCUSDT' }, clock.ms);
    assert.equal(cx.status, 200);
  } finally {
    c.close();
  }
});

test('partial fill and fill against a second account: executionReports and balances on both sides', async () => {
  const maker = await WsApiClient.connect(wsUrl());
  const taker = await WsApiClient.connect(wsUrl());
  try {
    await maker.signed('userDataStream.subscribe.signature', DOC.apiKey, DOC.apiSecret, {}, clock.ms);
    await taker.signed('userDataStream.subscribe.signature', CAROL.apiKey, CAROL.apiSecret, {}, clock.ms);
    const ask = await maker.signed('order.place', DOC.apiKey, DOC.apiSecret, { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.5', price: '60000', newClientOrderId: 'ask-1' }, clock.ms);
    assert.equal(ask.status, 200, JSON.stringify(ask));
    const t1 = await taker.signed('order.place', CAROL.apiKey, CAROL.apiSecret, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.2', price: '60000' }, clock.ms);
    assert.equal((t1.result as { status: string }).status, 'FILLED');
    const t2 = await taker.signed('order.place', CAROL.apiKey, CAROL.apiSecret, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.3' }, clock.ms);
    assert.equal((t2.result as { status: string }).status, 'FILLED');
    const mEvents = await maker.waitEvents((evs) => evs.filter((e) => e.x === 'TRADE').length === 2 && evs[evs.length - 1]!.e === 'outboundAccountPosition');
    const trades = mEvents.filter((e) => e.x === 'TRADE');
    assert.deepEqual(
      trades.map((e) => [e.X, e.l, e.z, e.L, e.m, e.n, e.N, e.c, e.w]),
      [
        ['PARTIALLY_FILLED', '0.20000000', '0.20000000', '60000.00000000', true, '12.00000000', 'USDT', 'ask-1', true],
        ['FILLED', '0.30000000', '0.50000000', '60000.00000000', true, '18.00000000', 'USDT', 'ask-1', false],
      ],
    );
    assert.equal(trades[1]!.Z, '30000.00000000');
    const tEvents = await taker.waitEvents((evs) => evs.filter((e) => e.x === 'TRADE').length === 2 && evs[evs.length - 1]!.e === 'outboundAccountPosition');
    assert.deepEqual(
      tEvents.filter((e) => e.e === 'executionReport').map((e) => `${e.x}/${e.X}/${e.m}`),
      ['NEW/NEW/false', 'TRADE/FILLED/false', 'NEW/NEW/false', 'TRADE/FILLED/false'],
    );
    const truth = (await (await fetch(`${sim.url}/sim/balances`)).json()) as Record<string, Record<string, { free: string; locked: string }>>;
    // carol: 100000 − 30000 USDT; 0.5 BTC − 0.1% = 0.4995.
    assert.deepEqual(truth.carol, { BTC: { free: '0.49950000', locked: '0.00000000' }, USDT: { free: '70000.00000000', locked: '0.00000000' } });
    // doc: 1 − 0.5 BTC; 10000 + 30000 − 30 USDT.
    assert.deepEqual(truth.doc, { BTC: { free: '0.50000000', locked: '0.00000000' }, USDT: { free: '39970.00000000', locked: '0.00000000' } });
    const acct = await taker.signed('account.status', CAROL.apiKey, CAROL.apiSecret, {}, clock.ms);
    assert.deepEqual((acct.result as { balances: unknown }).balances, [
      { asset: 'BTC', free: '0.49950000', locked: '0.00000000' },
      { asset: 'USDT', free: '70000.00000000', locked: '0.00000000' },
    ]);
    const st = await maker.signed('order.status', DOC.apiKey, DOC.apiSecret, { symbol: 'BTCUSDT', origClientOrderId: 'ask-1' }, clock.ms);
    assert.equal((st.result as { status: string; executedQty: string }).executedQty, '0.50000000');
  } finally {
    maker.close();
    taker.close();
  }
});

test('cancel, unsubscribe, and the order faults on one connection: exec-before-ack, lost ack', async () => {
  const c = await WsApiClient.connect(wsUrl());
  try {
    const sub = await c.signed('userDataStream.subscribe.signature', CAROL.apiKey, CAROL.apiSecret, {}, clock.ms);
    const sid = (sub.result as { subscriptionId: number }).subscriptionId;
    const place = (cid: string, timeoutMs?: number) =>
      c.signed('order.place', CAROL.apiKey, CAROL.apiSecret, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '55000', newClientOrderId: cid }, clock.ms, timeoutMs);
    sim.faults.inject({ kind: 'execBeforeAck' });
    const r = await place('eba-1');
    assert.equal(r.status, 200);
    const replyAt = c.frames.indexOf(r);
    const reportAt = c.frames.findIndex((f) => (f.event as { c?: string } | undefined)?.c === 'eba-1');
    assert.ok(reportAt >= 0 && reportAt < replyAt, `report ${reportAt} before reply ${replyAt}`);

    sim.faults.inject({ kind: 'lostAck' });
    await assert.rejects(place('lost-1', 400).then(() => undefined), /no reply/);
    // The order exists, and its NEW report was delivered even though the reply was not.
    assert.ok(c.events.some((e) => e.event.c === 'lost-1' && e.event.x === 'NEW'));
    const st = await c.signed('order.status', CAROL.apiKey, CAROL.apiSecret, { symbol: 'BTCUSDT', origClientOrderId: 'lost-1' }, clock.ms);
    assert.equal((st.result as { status: string }).status, 'NEW');

    const cx = await c.signed('order.cancel', CAROL.apiKey, CAROL.apiSecret, { symbol: 'BTCUSDT', origClientOrderId: 'lost-1', newClientOrderId: 'cx-lost' }, clock.ms);
    assert.equal((cx.result as { status: string }).status, 'CANCELED');
    const evs = await c.waitEvents((e) => e.some((x) => x.x === 'CANCELED'));
    const canceled = evs.find((x) => x.x === 'CANCELED')!;
    assert.deepEqual([canceled.c, canceled.C, canceled.X], ['cx-lost', 'lost-1', 'CANCELED']);
    const open = await c.signed('openOrders.status', CAROL.apiKey, CAROL.apiSecret, { symbol: 'BTCUSDT' }, clock.ms);
    assert.deepEqual((open.result as { clientOrderId: string }[]).map((o) => o.clientOrderId), ['eba-1']);

    const un = await c.request('userDataStream.unsubscribe', { subscriptionId: sid });
    assert.deepEqual(un.result, {});
    const before = c.events.length;
    await c.signed('openOrders.cancelAll', CAROL.apiKey, CAROL.apiSecret, { symbol: 'BTCUSDT' }, clock.ms);
    await c.request('ping');
    assert.equal(c.events.length, before);
  } finally {
    c.close();
  }
});

test('WebSocket API errors: keys, signature, timestamp, unknown method, malformed frame', async () => {
  const c = await WsApiClient.connect(wsUrl());
  try {
    const noKey = await c.request('account.status', { timestamp: clock.ms, signature: 'ab'.repeat(32) });
    assert.deepEqual([noKey.status, noKey.error], [401, { code: -2014, msg: 'API-key format invalid.' }]);
    const unknown = await c.signed('account.status', 'nobody', 'x', {}, clock.ms);
    assert.deepEqual([unknown.status, unknown.error], [401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' }]);
    const bad = await c.signed('account.status', CAROL.apiKey, 'wrong', {}, clock.ms);
    assert.deepEqual(bad.error, { code: -1022, msg: 'Signature for this request is not valid.' });
    const stale = await c.signed('account.status', CAROL.apiKey, CAROL.apiSecret, {}, clock.ms - 5001);
    assert.deepEqual(stale.error, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' });
    const late = await c.signed('account.status', CAROL.apiKey, CAROL.apiSecret, { recvWindow: 60000 }, clock.ms - 59_000);
    assert.equal(late.status, 200);
    const method = await c.request('session.logon', { apiKey: CAROL.apiKey });
    assert.equal((method.error as { code: number }).code, -1020);
    c.ws.send('{not json');
    await new Promise((r) => setTimeout(r, 50));
    const malformed = c.frames.find((f) => f.id === null && f.status === 400);
    assert.deepEqual(malformed?.error, { code: -1135, msg: 'Invalid JSON Request' });
    const time = await c.request('time');
    assert.deepEqual(time.result, { serverTime: clock.ms });
  } finally {
    c.close();
  }
});
