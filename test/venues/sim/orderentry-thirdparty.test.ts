/**
 * Faithfulness check with a well-known third-party Binance client: ccxt (pro) 4.5.84,
 * pointed at the sim, keeps an order book over the sim's WebSocket that equals the
 * venue's own /sim/book, places a signed limit order that /sim/orders shows, cancels it,
 * takes liquidity, and reads balances that equal /sim/balances.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import ccxt from 'ccxt';
import { SimExchange } from '../../../src/venues/sim/server/exchange.js';
import { orderEntryPlugin } from '../../../src/venues/sim/orderentry/index.js';
import type { SimAccountConfig } from '../../../src/venues/sim/account/config.js';

const TP = { name: 'ccxt-user', apiKey: 'ccxtKey0000000000000000000000000', apiSecret: 'ccxtSecret', balances: { USDT: '100000', BTC: '1' } };
const accounts: SimAccountConfig[] = [TP];
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let sim: SimExchange;
let ex: InstanceType<typeof ccxt.pro.binance>;

async function getJson<T>(path: string): Promise<T> {
  const r = await fetch(`${sim.url}${path}`);
  assert.equal(r.status, 200, path);
  return (await r.json()) as T;
}

before(async () => {
  sim = await SimExchange.start({ symbols: ['BTCUSDT'], seed: 11, rate: 40, accounts, log: quiet, plugins: [orderEntryPlugin({ accounts })] });
  ex = new ccxt.pro.binance({
    apiKey: TP.apiKey,
    secret: TP.apiSecret,
    enableRateLimit: false,
    options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false, warnOnFetchOpenOrdersWithoutSymbol: false },
  });
  // Every Binance host ccxt knows is pointed at the sim, so nothing can leave 127.0.0.1.
  const api = ex.urls.api as Record<string, unknown>;
  for (const [k, v] of Object.entries(api)) if (typeof v === 'string') api[k] = v.replace(/^https:\/\/[^/]+/, sim.url);
  const ws = api.ws as Record<string, unknown>;
  // ccxt opens `<ws url>/<n>` (a connection index, not a stream name) and then SUBSCRIBEs.
  // The sim's /ws/<path> takes path segments as stream names and refuses "0", so ccxt is
  // given the combined endpoint, where "/0" lands in an ignored query parameter (ccxt
  // unwraps the {"stream","data"} envelope itself).
  for (const [k, v] of Object.entries(ws)) if (typeof v === 'string') ws[k] = `${sim.wsUrl}/stream?ccxt=`;
  // ccxt needs an http agent for plain ws:// (non-TLS) connections.
  await ex.loadHttpProxyAgent();
  ws['ws-api'] = Object.fromEntries(Object.keys(ws['ws-api'] as Record<string, string>).map((k) => [k, `${sim.wsUrl}/ws-api/v3`]));
});

after(async () => {
  await ex.close();
  await sim.stop();
});

test('ccxt keeps an order book over the sim WebSocket equal to /sim/book, places and cancels a signed order, balances agree', { timeout: 30_000 }, async () => {
  const markets = await ex.loadMarkets();
  assert.ok(markets['BTC/USDT'], 'ccxt sees BTC/USDT in exchangeInfo');

  // Sync while flow runs (snapshot + diffs), then stop the flow and compare with the venue.
  let ob = await ex.watchOrderBook('BTC/USDT');
  const syncDeadline = Date.now() + 3000;
  while (Date.now() < syncDeadline && (ob.nonce ?? 0) === 0) ob = await ex.watchOrderBook('BTC/USDT');
  // Keep watching until ccxt has applied live diffs on top of its REST snapshot.
  const synced = ob.nonce as number;
  while (Date.now() < syncDeadline + 3000 && (ob.nonce as number) <= synced) ob = await ex.watchOrderBook('BTC/USDT');
  assert.ok((ob.nonce as number) > synced, 'diffs applied after the snapshot');
  await fetch(`${sim.url}/sim/flow`, { method: 'POST', body: JSON.stringify({ rate: 0 }) });
  const truth = await getJson<{ lastUpdateId: number; bids: [string, string][]; asks: [string, string][] }>('/sim/book?symbol=BTCUSDT&depth=0');
  const deadline = Date.now() + 5000;
  while ((ob.nonce as number) < truth.lastUpdateId && Date.now() < deadline) ob = await ex.watchOrderBook('BTC/USDT');
  assert.equal(ob.nonce, truth.lastUpdateId, 'ccxt book is at the venue update id');
  const num = (levels: [string, string][]) => levels.map(([p, q]) => [Number(p), Number(q)]);
  const plain = (side: ArrayLike<ArrayLike<unknown>>) => Array.from(side, (l) => [l[0], l[1]]);
  assert.deepEqual(plain(ob.bids), num(truth.bids));
  assert.deepEqual(plain(ob.asks), num(truth.asks));
  assert.ok(truth.bids.length > 10 && truth.asks.length > 10, 'a real book');

  // A signed limit order well below the bid rests on the book.
  const bestBid = Number(truth.bids[0]![0]);
  const price = Math.floor(bestBid * 0.9);
  const order = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, price);
  assert.equal(order.status, 'open');
  const open = await getJson<{ orders: { orderId: number; owner: string; clientOrderId: string; price: string; origQty: string }[] }>(
    `/sim/orders?symbol=BTCUSDT&owner=${TP.name}&open=true`,
  );
  assert.deepEqual(
    open.orders.map((o) => [String(o.orderId), o.owner, o.clientOrderId, Number(o.price), o.origQty]),
    [[order.id, TP.name, order.clientOrderId, price, '0.00100000']],
  );
  const viaCcxt = await ex.fetchOpenOrders('BTC/USDT');
  assert.deepEqual(viaCcxt.map((o) => o.id), [order.id]);
  let bal = await ex.fetchBalance();
  let sims = await getJson<Record<string, Record<string, { free: string; locked: string }>>>('/sim/balances');
  assert.equal(bal.USDT!.used, Number(sims[TP.name]!.USDT!.locked));
  assert.equal(bal.USDT!.used, price * 0.001);

  const canceled = await ex.cancelOrder(order.id as string, 'BTC/USDT');
  assert.equal(canceled.status, 'canceled');
  const after = await getJson<{ orders: unknown[] }>(`/sim/orders?symbol=BTCUSDT&owner=${TP.name}&open=true`);
  assert.deepEqual(after.orders, []);

  // Take liquidity: a market buy fills against the book; fees and balances match the venue.
  const bought = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.002);
  assert.equal(bought.status, 'closed');
  assert.equal(bought.filled, 0.002);
  bal = await ex.fetchBalance();
  sims = await getJson<Record<string, Record<string, { free: string; locked: string }>>>('/sim/balances');
  for (const asset of ['BTC', 'USDT']) {
    assert.equal(bal[asset]!.free, Number(sims[TP.name]![asset]!.free), `${asset} free`);
    assert.equal(bal[asset]!.used, Number(sims[TP.name]![asset]!.locked), `${asset} used`);
  }
  // 0.002 BTC received minus the 0.1% taker commission, in BTC.
  assert.equal(sims[TP.name]!.BTC!.free, '1.00199800');
  const spent = 100000 - Number(sims[TP.name]!.USDT!.free);
  assert.ok(Math.abs(spent - (bought.cost as number)) < 1e-6, `spent ${spent} vs cost ${bought.cost}`);
});
