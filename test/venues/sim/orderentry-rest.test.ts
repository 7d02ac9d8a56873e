/**
 * Signed REST order entry over a real socket: reply shapes against the Binance fixtures,
 * every error code the venue answers with, rate-limit headers and 429/418, and the
 * REST-visible order faults.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SimExchange } from '../../../src/venues/sim/server/exchange.js';
import { orderEntryPlugin } from '../../../src/venues/sim/orderentry/index.js';
import type { SimAccountConfig } from '../../../src/venues/sim/account/config.js';
import { fixturePath, keys, ManualClock, sign, signedRest } from './orderentry-helpers.js';

const ALICE = { name: 'alice', apiKey: 'aliceKey000000000000', apiSecret: 'aliceSecret', balances: { USDT: '100000', BTC: '1' } };
const BOB = { name: 'bob', apiKey: 'bobKey00000000000000', apiSecret: 'bobSecret', balances: { USDT: '50000', BTC: '2' }, makerCommission: '0.0008', takerCommission: '0.001' };
const accounts: SimAccountConfig[] = [ALICE, BOB];

let sim: SimExchange;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

before(async () => {
  sim = await SimExchange.start({ symbols: ['BTCUSDT'], rate: 0, seedBooks: false, accounts, log: quiet, plugins: [orderEntryPlugin({ accounts })] });
});
after(async () => {
  await sim.stop();
});

const call = (who: typeof ALICE, method: 'GET' | 'POST' | 'DELETE', path: string, params: Record<string, string | number>, opts: Parameters<typeof signedRest>[6] = {}) =>
  signedRest(sim.url, method, path, who.apiKey, who.apiSecret, params, opts);

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as Record<string, unknown>;
}

test('new order replies FULL / RESULT / ACK have the documented fields and 8-decimal strings', async () => {
  const full = await call(ALICE, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '50000', newClientOrderId: 'shape-full' });
  assert.equal(full.status, 200, JSON.stringify(full.body));
  const f = full.body as Record<string, unknown>;
  assert.deepEqual(keys(f), keys(fixture('spot_rest_new_order_response_full.stripped.json')));
  assert.equal(f.price, '50000.00000000');
  assert.equal(f.origQty, '0.01000000');
  assert.equal(f.executedQty, '0.00000000');
  assert.equal(f.cummulativeQuoteQty, '0.00000000');
  assert.equal(f.status, 'NEW');
  assert.equal(f.clientOrderId, 'shape-full');
  assert.equal(f.orderListId, -1);
  assert.deepEqual(f.fills, []);
  assert.match(full.headers.get('x-mbx-used-weight-1m') ?? '', /^[0-9]+$/);
  assert.equal(full.headers.get('x-mbx-order-count-10s'), '1');
  assert.equal(full.headers.get('x-mbx-order-count-1d'), '1');

  const result = await call(ALICE, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '49999.99', newOrderRespType: 'RESULT' });
  assert.deepEqual(keys(result.body), keys(fixture('spot_rest_new_order_response_result.stripped.json')));
  assert.match((result.body as { clientOrderId: string }).clientOrderId, /^[A-Za-z0-9]{22}$/);
  const ack = await call(ALICE, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '49999.98', newOrderRespType: 'ACK' }, { inBody: true });
  assert.deepEqual(keys(ack.body), ['clientOrderId', 'orderId', 'orderListId', 'symbol', 'transactTime']);

  // Query by id and by client id, openOrders, cancel by origClientOrderId.
  const orderId = f.orderId as number;
  const q1 = await call(ALICE, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId });
  const q2 = await call(ALICE, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'shape-full' });
  assert.equal(q1.status, 200);
  assert.deepEqual(q1.body, q2.body);
  assert.deepEqual(keys(q1.body), [
    'clientOrderId', 'cummulativeQuoteQty', 'executedQty', 'icebergQty', 'isWorking', 'orderId', 'orderListId', 'origQty', 'origQuoteOrderQty',
    'price', 'selfTradePreventionMode', 'side', 'status', 'stopPrice', 'symbol', 'time', 'timeInForce', 'type', 'updateTime', 'workingTime',
  ]);
  const open = await call(ALICE, 'GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
  assert.equal((open.body as unknown[]).length, 3);
  assert.equal(open.headers.get('x-mbx-order-count-10s'), null);

  const cx = await call(ALICE, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'shape-full', newClientOrderId: 'cancel-1' });
  assert.equal(cx.status, 200, JSON.stringify(cx.body));
  const c = cx.body as Record<string, unknown>;
  assert.equal(c.status, 'CANCELED');
  assert.equal(c.origClientOrderId, 'shape-full');
  assert.equal(c.clientOrderId, 'cancel-1');
  assert.deepEqual(keys(c), [
    'clientOrderId', 'cummulativeQuoteQty', 'executedQty', 'orderId', 'orderListId', 'origClientOrderId', 'origQty', 'origQuoteOrderQty', 'price',
    'selfTradePreventionMode', 'side', 'status', 'symbol', 'timeInForce', 'transactTime', 'type',
  ]);
  const again = await call(ALICE, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId });
  assert.deepEqual([again.status, again.body], [400, { code: -2011, msg: 'Unknown order sent.' }]);
  const cancelAll = await call(ALICE, 'DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
  assert.equal((cancelAll.body as { status: string }[]).filter((o) => o.status === 'CANCELED').length, 2);
  const none = await call(ALICE, 'DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
  assert.deepEqual(none.body, { code: -2011, msg: 'Unknown order sent.' });
  const missing = await call(ALICE, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: 999999 });
  assert.deepEqual([missing.status, missing.body], [400, { code: -2013, msg: 'Order does not exist.' }]);
  // Orders of another account are invisible.
  const foreign = await call(BOB, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId });
  assert.deepEqual(foreign.body, { code: -2013, msg: 'Order does not exist.' });
});

test('a crossing order between two accounts: fills, fees, balances and myTrades agree with /sim/balances', async () => {
  const sell = await call(BOB, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.3', price: '61000.5' });
  assert.equal(sell.status, 200, JSON.stringify(sell.body));
  const buy = await call(ALICE, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.12345' });
  assert.equal(buy.status, 200, JSON.stringify(buy.body));
  const b = buy.body as { status: string; executedQty: string; cummulativeQuoteQty: string; fills: Record<string, unknown>[] };
  assert.equal(b.status, 'FILLED');
  // 0.12345 × 61000.5 = 7530.511725; taker fee 0.1% of 0.12345 BTC = 0.00012345.
  assert.equal(b.cummulativeQuoteQty, '7530.51172500');
  assert.deepEqual(b.fills.map((x) => [x.price, x.qty, x.commission, x.commissionAsset]), [['61000.50000000', '0.12345000', '0.00012345', 'BTC']]);
  const truth = (await (await fetch(`${sim.url}/sim/balances`)).json()) as Record<string, Record<string, { free: string; locked: string }>>;
  assert.deepEqual(truth.alice, { BTC: { free: '1.12332655', locked: '0.00000000' }, USDT: { free: '92469.48827500', locked: '0.00000000' } });
  // Bob (maker 0.08%): 7530.511725 × 0.0008 = 6.02440938 USDT fee; 0.17655 BTC still locked.
  assert.deepEqual(truth.bob, { BTC: { free: '1.70000000', locked: '0.17655000' }, USDT: { free: '57524.48731562', locked: '0.00000000' } });
  const acct = (await call(ALICE, 'GET', '/api/v3/account', {})).body as { balances: { asset: string; free: string; locked: string }[]; commissionRates: Record<string, string>; makerCommission: number };
  assert.deepEqual(acct.balances, [
    { asset: 'BTC', free: '1.12332655', locked: '0.00000000' },
    { asset: 'USDT', free: '92469.48827500', locked: '0.00000000' },
  ]);
  assert.equal(acct.makerCommission, 10);
  assert.equal(acct.commissionRates.maker, '0.00100000');
  const trades = (await call(BOB, 'GET', '/api/v3/myTrades', { symbol: 'BTCUSDT' })).body as Record<string, unknown>[];
  assert.equal(trades.length, 1);
  assert.deepEqual(
    { ...trades[0], id: 0, orderId: 0, time: 0 },
    { symbol: 'BTCUSDT', id: 0, orderId: 0, orderListId: -1, price: '61000.50000000', qty: '0.12345000', quoteQty: '7530.51172500', commission: '6.02440938', commissionAsset: 'USDT', time: 0, isBuyer: false, isMaker: true, isBestMatch: true },
  );
  const orders = (await (await fetch(`${sim.url}/sim/orders?symbol=BTCUSDT&open=true`)).json()) as { orders: { owner: string; executedQty: string }[] };
  assert.deepEqual(orders.orders.map((o) => [o.owner, o.executedQty]), [['bob', '0.12345000']]);
  await call(BOB, 'DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
});

test('Binance error codes and bodies', async () => {
  const order = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '50000' };
  const expect = async (p: Promise<{ status: number; body: unknown }>, status: number, code: number, msg?: string) => {
    const r = await p;
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.equal((r.body as { code: number }).code, code, JSON.stringify(r.body));
    if (msg !== undefined) assert.equal((r.body as { msg: string }).msg, msg);
  };
  const url = `${sim.url}/api/v3/order`;
  const noKey = fetch(`${url}?symbol=BTCUSDT&timestamp=${Date.now()}&signature=00`, { method: 'GET' }).then(async (r) => ({ status: r.status, body: await r.json() }));
  await expect(noKey, 401, -2014, 'API-key format invalid.');
  await expect(signedRest(sim.url, 'GET', '/api/v3/account', 'unknownKey', 'x', {}), 401, -2015, 'Invalid API-key, IP, or permissions for action.');
  await expect(call(ALICE, 'POST', '/api/v3/order', order, { signature: 'a'.repeat(64) }), 400, -1022, 'Signature for this request is not valid.');
  await expect(signedRest(sim.url, 'POST', '/api/v3/order', ALICE.apiKey, 'wrongSecret', order), 400, -1022);
  await expect(call(ALICE, 'POST', '/api/v3/order', order, { nowMs: Date.now() - 6000 }), 400, -1021, 'Timestamp for this request is outside of the recvWindow.');
  const wide = await call(ALICE, 'POST', '/api/v3/order', { ...order, recvWindow: 10000 }, { nowMs: Date.now() - 6000 });
  assert.equal(wide.status, 200, JSON.stringify(wide.body));
  await expect(call(ALICE, 'POST', '/api/v3/order', order, { nowMs: Date.now() + 5000 }), 400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
  await expect(call(ALICE, 'POST', '/api/v3/order', { ...order, recvWindow: 60001 }), 400, -1102, "'recvWindow' contains unexpected value. Cannot be greater than '60000'.");
  const noTs = fetch(`${url}?symbol=BTCUSDT&signature=${sign(ALICE.apiSecret, 'symbol=BTCUSDT')}`, { method: 'POST', headers: { 'X-MBX-APIKEY': ALICE.apiKey } }).then(async (r) => ({ status: r.status, body: await r.json() }));
  await expect(noTs, 400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
  const { symbol: _s, ...noSymbol } = order;
  await expect(call(ALICE, 'POST', '/api/v3/order', noSymbol), 400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
  await expect(call(ALICE, 'POST', '/api/v3/order', { ...order, symbol: 'btc$usdt' }), 400, -1100);
  await expect(call(ALICE, 'POST', '/api/v3/order', { ...order, symbol: 'ETHBTC' }), 400, -1121, 'Invalid symbol.');
  await expect(call(ALICE, 'POST', '/api/v3/order', { ...order, side: 'HOLD' }), 400, -1117, 'Invalid side.');
  await expect(call(ALICE, 'POST', '/api/v3/order', { ...order, type: 'ICEBERG' }), 400, -1116, 'Invalid orderType.');
  await expect(call(ALICE, 'POST', '/api/v3/order', { ...order, price: '50000.001' }), 400, -1013, 'Filter failure: PRICE_FILTER');
  await expect(call(ALICE, 'POST', '/api/v3/order', { ...order, quantity: '0.000015' }), 400, -1013, 'Filter failure: LOT_SIZE');
  await expect(call(ALICE, 'POST', '/api/v3/order', { ...order, quantity: '0.00001', price: '1000' }), 400, -1013, 'Filter failure: NOTIONAL');
  await expect(call(ALICE, 'POST', '/api/v3/order', { ...order, price: '1.123456789' }), 400, -1111, "Parameter 'price' has too much precision.");
  await expect(call(ALICE, 'POST', '/api/v3/order', { ...order, quantity: '10' }), 400, -2010, 'Account has insufficient balance for requested action.');
  await expect(call(ALICE, 'POST', '/api/v3/order', { ...order, side: 'SELL', price: '90000', quantity: '2' }), 400, -2010, 'Account has insufficient balance for requested action.');
  const { timeInForce: _t, ...noTif } = order;
  await expect(call(ALICE, 'POST', '/api/v3/order', noTif), 400, -1102);
  await expect(call(ALICE, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET' }), 400, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
  await expect(call(ALICE, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT' }), 400, -1102, "Param 'orderId' or 'origClientOrderId' must be sent, but both were empty/null!");
  await expect(call(ALICE, 'POST', '/api/v3/order', { ...order, newClientOrderId: 'bad id!' }), 400, -1100);
  const dupParam = `symbol=BTCUSDT&symbol=BTCUSDT&timestamp=${Date.now()}`;
  const dup = fetch(`${sim.url}/api/v3/openOrders?${dupParam}&signature=${sign(ALICE.apiSecret, dupParam)}`, { headers: { 'X-MBX-APIKEY': ALICE.apiKey } }).then(async (r) => ({ status: r.status, body: await r.json() }));
  await expect(dup, 400, -1101, 'Duplicate values for a parameter detected.');

  // newClientOrderId: unique among open orders; reusable once the order is finished.
  assert.equal((await call(ALICE, 'POST', '/api/v3/order', { ...order, newClientOrderId: 'dup-1' })).status, 200);
  await expect(call(ALICE, 'POST', '/api/v3/order', { ...order, newClientOrderId: 'dup-1' }), 400, -2010, 'Duplicate order sent.');
  await call(ALICE, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'dup-1' });
  const reuse = await call(ALICE, 'POST', '/api/v3/order', { ...order, newClientOrderId: 'dup-1' });
  assert.equal(reuse.status, 200);
  // LIMIT_MAKER that would cross.
  await call(BOB, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '50001' });
  await expect(call(ALICE, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT_MAKER', quantity: '0.01', price: '50001' }), 400, -2010, 'Order would immediately match and take.');
  await call(ALICE, 'DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
  await call(BOB, 'DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
  const truth = (await (await fetch(`${sim.url}/sim/balances`)).json()) as Record<string, Record<string, { locked: string }>>;
  assert.equal(truth.alice!.USDT!.locked, '0.00000000');
});

test('faults: injected reject, HTTP 429 on the order route, lost ack (order placed, no reply)', async () => {
  const order = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '40000' };
  sim.faults.inject({ kind: 'orderReject', code: -2010, msg: 'Market is closed.' });
  const rej = await call(ALICE, 'POST', '/api/v3/order', order);
  assert.deepEqual([rej.status, rej.body], [400, { code: -2010, msg: 'Market is closed.' }]);
  sim.faults.inject({ kind: 'http429', route: '/api/v3/order', retryAfterSec: 7 });
  const limited = await call(ALICE, 'POST', '/api/v3/order', order);
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '7');
  assert.equal((limited.body as { code: number }).code, -1003);

  sim.faults.inject({ kind: 'lostAck' });
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), 400);
  const lost = await call(ALICE, 'POST', '/api/v3/order', { ...order, newClientOrderId: 'lost-1' }, { signal: ctl.signal }).then(
    () => 'answered',
    (e: Error) => e.name,
  );
  clearTimeout(timer);
  assert.equal(lost, 'AbortError');
  const q = await call(ALICE, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'lost-1' });
  assert.equal((q.body as { status: string }).status, 'NEW');
  await call(ALICE, 'DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
});

test('rate limits: weight and order counts per window, 429 -1003 with Retry-After, -1015, then a 418 ban', async () => {
  // A frozen clock 20 s into a minute and at the start of a 10 s window: no window rolls over mid-test.
  const clock = new ManualClock(1_700_000_000_000);
  const strict = await SimExchange.start({
    clock,
    symbols: ['BTCUSDT'],
    rate: 0,
    seedBooks: false,
    accounts,
    log: quiet,
    plugins: [orderEntryPlugin({ accounts, rateLimits: { weightPerMinute: 35, ordersPer10s: 3, banAfter429s: 2, banMs: 60_000 } })],
  });
  try {
    const acct = () => signedRest(strict.url, 'GET', '/api/v3/account', ALICE.apiKey, ALICE.apiSecret, {}, { nowMs: clock.ms });
    const first = await acct();
    assert.equal(first.status, 200);
    const used1 = Number(first.headers.get('x-mbx-used-weight-1m'));
    assert.equal(used1, 20);
    const order = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '30000' };
    const counts: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await signedRest(strict.url, 'POST', '/api/v3/order', ALICE.apiKey, ALICE.apiSecret, order, { nowMs: clock.ms });
      counts.push(`${r.status}:${r.headers.get('x-mbx-order-count-10s')}:${(r.body as { code?: number }).code ?? ''}`);
      if (r.status === 429) {
        assert.equal(r.headers.get('retry-after'), null);
        assert.equal((r.body as { msg: string }).msg, 'Too many new orders; current limit is 3 orders per 10 SECOND.');
      }
    }
    assert.deepEqual(counts, ['200:1:', '200:2:', '200:3:', '429:4:-1015']);
    const over = await acct();
    assert.equal(over.status, 429, JSON.stringify(over.body));
    assert.equal((over.body as { code: number }).code, -1003);
    assert.match(over.headers.get('retry-after') ?? '', /^[0-9]+$/);
    await acct();
    const banned = await acct();
    assert.equal(banned.status, 418);
    assert.match((banned.body as { msg: string }).msg, /^Way too much request weight used; IP banned until [0-9]+\./);
  } finally {
    await strict.stop();
  }
});
