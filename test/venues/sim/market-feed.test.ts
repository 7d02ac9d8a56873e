import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimExchange } from '../../../src/venues/sim/server/exchange.js';
import { fixture, getJson, RecordingClient, sleep, startSim } from './market-helpers.js';

const SPOT_DEC = /^\d+\.\d{8}$/;

function keys(o: object): string[] {
  return Object.keys(o).sort();
}

function assertSameShape(actual: any, expected: any, where: string): void {
  assert.deepEqual(keys(actual), keys(expected), `${where}: key set`);
  for (const k of Object.keys(expected)) {
    const e = expected[k];
    const a = actual[k];
    if (Array.isArray(e)) {
      assert.ok(Array.isArray(a), `${where}.${k} is an array`);
      for (const level of a) {
        assert.ok(Array.isArray(level) && level.length === 2 && level.every((x: unknown) => typeof x === 'string'), `${where}.${k} levels are [string, string]`);
      }
    } else if (e !== null && typeof e === 'object') {
      assertSameShape(a, e, `${where}.${k}`);
    } else {
      assert.equal(typeof a, typeof e, `${where}.${k} type`);
    }
  }
}

describe('sim market data, spot', () => {
  let sim: SimExchange;
  before(async () => {
    sim = await startSim({ seed: 11, symbols: ['BTCUSDT', 'ETHUSDT', 'DOGEUSDT'] });
  });
  after(() => sim.stop());

  test('REST depth, ping, time and exchangeInfo have Binance shapes and formats', async () => {
    const depth = await getJson(`${sim.url}/api/v3/depth?symbol=BTCUSDT&limit=5`);
    assert.equal(depth.status, 200);
    assertSameShape(depth.body, fixture('spot_rest_depth_response'), 'depth');
    assert.equal(depth.body.bids.length, 5);
    for (const [p, q] of [...depth.body.bids, ...depth.body.asks]) {
      assert.match(p, SPOT_DEC);
      assert.match(q, SPOT_DEC);
    }
    assert.ok(depth.body.bids[0][0] < depth.body.asks[0][0], 'best bid below best ask');
    assert.deepEqual((await getJson(`${sim.url}/api/v3/ping`)).body, {});
    const t = (await getJson(`${sim.url}/api/v3/time`)).body;
    assert.ok(Math.abs(t.serverTime - Date.now()) < 5000);

    const info = (await getJson(`${sim.url}/api/v3/exchangeInfo?symbol=DOGEUSDT`)).body;
    assert.equal(info.symbols.length, 1);
    const doge = info.symbols[0];
    const f = Object.fromEntries(doge.filters.map((x: any) => [x.filterType, x]));
    assert.equal(f.PRICE_FILTER.tickSize, '0.00001000');
    assert.equal(f.LOT_SIZE.stepSize, '1.00000000');
    assert.equal(f.NOTIONAL.minNotional, '1.00000000');
    const all = (await getJson(`${sim.url}/api/v3/exchangeInfo`)).body;
    assert.deepEqual(all.symbols.map((s: any) => s.symbol), ['BTCUSDT', 'ETHUSDT', 'DOGEUSDT']);
    const btc = Object.fromEntries(all.symbols[0].filters.map((x: any) => [x.filterType, x]));
    assert.equal(btc.PRICE_FILTER.tickSize, '0.01000000');
    assert.equal(btc.LOT_SIZE.stepSize, '0.00001000');
  });

  test('REST input validation answers Binance errors with HTTP 400', async () => {
    const cases: [string, number][] = [
      ['/api/v3/depth?symbol=NOPE', -1121],
      ['/api/v3/depth', -1102],
      ['/api/v3/depth?symbol=BTCUSDT&limit=abc', -1100],
      ['/api/v3/depth?symbol=BTCUSDT&limit=0', -1130],
      ['/api/v3/depth?symbol=BTCUSDT&limit=5&foo=1', -1104],
      ['/api/v3/depth?symbol=BTCUSDT&symbol=ETHUSDT', -1101],
      ['/api/v3/exchangeInfo?symbols=notjson', -1130],
      ['/api/v3/exchangeInfo?symbols=["BTCUSDT","NOPE"]', -1121],
      ['/sim/book?symbol=nope', -1121],
      ['/sim/orders?open=maybe', -1130],
    ];
    for (const [path, code] of cases) {
      const r = await getJson(sim.url + path);
      assert.equal(r.status, 400, path);
      assert.equal(r.body.code, code, `${path}: ${JSON.stringify(r.body)}`);
      assert.equal(typeof r.body.msg, 'string');
    }
    const big = await getJson(`${sim.url}/api/v3/depth?symbol=BTCUSDT&limit=99999`);
    assert.equal(big.status, 200, 'limits over 5000 are truncated, as on Binance');
    const nf = await getJson(`${sim.url}/api/v3/nothing`);
    assert.equal(nf.status, 404);
  });

  test('SUBSCRIBE on /ws is answered before any data; every stream has the fixture shape', async () => {
    const c = await RecordingClient.open(`${sim.wsUrl}/ws`);
    const streams = ['btcusdt@depth', 'btcusdt@depth@100ms', 'btcusdt@trade', 'btcusdt@aggTrade', 'btcusdt@bookTicker'];
    c.send({ method: 'SUBSCRIBE', params: streams, id: 1 });
    await c.waitFor(() => c.frames.length >= 1, 3000, 'SUBSCRIBE reply');
    sim.generator.step(400);
    await c.waitFor(() => {
      const m = c.messages();
      return ['depthUpdate', 'trade', 'aggTrade'].every((e) => m.some((x) => x.e === e)) && m.some((x) => x.u && !x.e);
    }, 5000, 'all stream kinds');
    assert.deepEqual(JSON.parse(c.frames[0]!), { result: null, id: 1 }, 'the reply is the first frame');
    const msgs = c.messages().slice(1);
    const depth = msgs.find((m) => m.e === 'depthUpdate');
    assertSameShape(depth, fixture('spot_ws_diff_depth_depthUpdate'), 'depthUpdate');
    assert.equal(depth.s, 'BTCUSDT');
    for (const [p, q] of [...depth.b, ...depth.a]) {
      assert.match(p, SPOT_DEC);
      assert.match(q, SPOT_DEC);
    }
    const trade = msgs.find((m) => m.e === 'trade');
    assertSameShape(trade, fixture('spot_ws_trade'), 'trade');
    assert.match(trade.p, SPOT_DEC);
    const agg = msgs.find((m) => m.e === 'aggTrade');
    assertSameShape(agg, fixture('spot_ws_aggTrade'), 'aggTrade');
    assert.ok(agg.l >= agg.f);
    const ticker = msgs.find((m) => m.u !== undefined && m.e === undefined);
    assertSameShape(ticker, fixture('spot_ws_bookTicker'), 'bookTicker');
    assert.ok(ticker.b < ticker.a);

    c.send({ method: 'LIST_SUBSCRIPTIONS', id: 'list-1' });
    await c.waitFor(() => c.messages().some((m) => m.id === 'list-1'), 3000, 'LIST_SUBSCRIPTIONS reply');
    assert.deepEqual(c.messages().find((m) => m.id === 'list-1').result.sort(), [...streams].sort());
    c.send({ method: 'UNSUBSCRIBE', params: ['btcusdt@trade'], id: 2 });
    c.send({ method: 'SUBSCRIBE', params: ['btcusdt@nonsense'], id: 3 });
    c.send({ method: 'FLY', id: 4 });
    c.ws.send('{not json');
    await c.waitFor(() => c.messages().filter((m) => m.error).length >= 3, 3000, 'error replies');
    const errs = c.messages().filter((m) => m.error);
    assert.equal(errs.find((m) => m.id === 3).error.code, 2);
    assert.equal(errs.find((m) => m.id === 4).error.code, 2);
    assert.equal(errs.find((m) => m.id === undefined).error.code, 3);
    assert.ok(c.messages().some((m) => m.id === 2 && m.result === null));
    c.close();
  });

  test('with live flow running, the SUBSCRIBE reply still precedes the stream data', async () => {
    const live = await startSim({ seed: 4, symbols: ['BTCUSDT'], rate: 5000 });
    try {
      for (let round = 0; round < 3; round++) {
        const c = await RecordingClient.open(`${live.wsUrl}/ws`);
        c.send({ method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms', 'btcusdt@bookTicker'], id: 77 + round });
        await c.waitFor(() => c.frames.length >= 5, 3000, 'reply and data');
        assert.deepEqual(JSON.parse(c.frames[0]!), { result: null, id: 77 + round });
        assert.ok(c.messages().slice(1).every((m) => m.id === undefined));
        c.close();
      }
    } finally {
      await live.stop();
    }
  });

  test('combined /stream wraps payloads as {"stream","data"}; a raw /ws/<stream> path carries data unwrapped', async () => {
    const comb = await RecordingClient.open(`${sim.wsUrl}/stream?streams=ethusdt@depth/dogeusdt@depth@100ms`);
    const raw = await RecordingClient.open(`${sim.wsUrl}/ws/ethusdt@depth`);
    sim.generator.step(50);
    await comb.waitFor(() => new Set(comb.messages().map((m) => m.stream)).size === 2, 3000, 'both streams');
    await raw.waitFor(() => raw.messages().length > 3, 3000, 'raw frames');
    for (const m of comb.messages()) {
      assert.deepEqual(keys(m), ['data', 'stream']);
      assert.equal(m.data.e, 'depthUpdate');
      assert.equal(m.data.s, m.stream.split('@')[0].toUpperCase());
    }
    assert.ok(raw.messages().every((m) => m.e === 'depthUpdate' && m.s === 'ETHUSDT'));
    comb.close();
    raw.close();
    const bad = new RecordingClient(`${sim.wsUrl}/stream?streams=btcusdt@nope`);
    await bad.waitFor(() => bad.closed !== null, 3000, 'refused upgrade');
    // ccxt connects to /ws/<connection index> and subscribes afterwards.
    const ccxtLike = await RecordingClient.open(`${sim.wsUrl}/ws/0`);
    ccxtLike.send({ method: 'SUBSCRIBE', params: ['ethusdt@depth'], id: 9 });
    await ccxtLike.waitFor(() => ccxtLike.frames.length >= 1, 3000, 'reply');
    sim.generator.step(5);
    await ccxtLike.waitFor(() => ccxtLike.messages().some((m) => m.e === 'depthUpdate'), 3000, 'data after SUBSCRIBE');
    assert.deepEqual(ccxtLike.messages()[0], { result: null, id: 9 });
    ccxtLike.close();
  });

  test('partial depth streams and serverShutdown have the fixture shapes', async () => {
    const s2 = await startSim({ seed: 3, symbols: ['BTCUSDT'], partialDepthIntervalMs: 20 });
    try {
      const c = await RecordingClient.open(`${s2.wsUrl}/ws/btcusdt@depth5@100ms`);
      await c.waitFor(() => c.messages().length >= 2, 3000, 'partial depth');
      const p = c.messages()[0];
      assertSameShape(p, fixture('spot_ws_partial_depth'), 'partial depth');
      assert.equal(p.bids.length, 5);
      const comb = await RecordingClient.open(`${s2.wsUrl}/stream?streams=btcusdt@trade`);
      await s2.stop({ announce: true });
      await comb.waitFor(() => comb.closed !== null, 3000, 'close after shutdown');
      const shutdown = comb.messages().find((m) => m.stream === '!serverShutdown');
      assertSameShape(shutdown, fixture('spot_ws_serverShutdown_combined'), 'serverShutdown');
      assert.ok(c.messages().some((m) => m.e === 'serverShutdown'), 'raw connections get the bare event');
    } finally {
      await s2.stop();
    }
  });

  test('depthInterval aggregates diffs per interval with one U..u range per event', async () => {
    const s2 = await startSim({ seed: 5, symbols: ['BTCUSDT'], depthInterval: 100 });
    try {
      const c = await RecordingClient.open(`${s2.wsUrl}/ws/btcusdt@depth`);
      for (let i = 0; i < 4; i++) {
        s2.generator.step(60);
        await sleep(120);
      }
      await c.waitFor(() => c.messages().length >= 3, 3000, 'aggregated events');
      const evs = c.messages();
      assert.ok(evs.length <= 6, `about one event per 100 ms window, got ${evs.length}`);
      assert.ok(evs.some((e) => e.u - e.U > 5), 'an event covers many updates');
      for (let i = 1; i < evs.length; i++) assert.equal(evs[i].U, evs[i - 1].u + 1);
      for (const e of evs) {
        const prices = e.b.map((l: string[]) => l[0]);
        assert.equal(new Set(prices).size, prices.length, 'one entry per price per event');
      }
    } finally {
      await s2.stop();
    }
  });

  test('/sim/book, /sim/orders and /sim/stats report the venue state', async () => {
    const book = (await getJson(`${sim.url}/sim/book?symbol=BTCUSDT&depth=3`)).body;
    assert.equal(book.bids.length, 3);
    assert.equal(typeof book.lastUpdateId, 'number');
    const orders = (await getJson(`${sim.url}/sim/orders?symbol=BTCUSDT&open=true`)).body.orders;
    assert.ok(orders.length > 10);
    assert.ok(orders.every((o: any) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'));
    const stats = (await getJson(`${sim.url}/sim/stats`)).body;
    assert.ok(stats.messagesByStream['btcusdt@depth'] > 0);
    assert.equal(typeof stats.connections.open, 'number');
  });
});

describe('sim market data, USD-M', () => {
  test('USD-M depth carries T and pu; REST snapshot has E and T; routed /public paths work', async () => {
    const sim = await startSim({ market: 'usdm', seed: 9, symbols: ['BTCUSDT'] });
    try {
      const c = await RecordingClient.open(`${sim.wsUrl}/public/ws/btcusdt@depth@100ms`);
      sim.generator.step(100);
      await c.waitFor(() => c.messages().length >= 20, 3000, 'usdm diffs');
      const ev = c.messages()[0];
      assertSameShape(ev, fixture('usdm_ws_diff_depth_depthUpdate'), 'usdm depthUpdate');
      assert.match(ev.b.concat(ev.a)[0][0], /^\d+\.\d{2}$/, 'USD-M prices at the symbol precision');
      const evs = c.messages();
      for (let i = 1; i < evs.length; i++) assert.equal(evs[i].pu, evs[i - 1].u);
      assert.ok(evs.some((e, i) => i > 0 && e.U !== evs[i - 1].u + 1), 'U is not always prev u + 1 on futures');
      const snap = await getJson(`${sim.url}/fapi/v1/depth?symbol=BTCUSDT&limit=5`);
      assertSameShape(snap.body, fixture('usdm_rest_depth_response'), 'usdm depth');
      assert.equal((await getJson(`${sim.url}/fapi/v1/depth?symbol=BTCUSDT&limit=7`)).body.code, -1130);
      const info = (await getJson(`${sim.url}/fapi/v1/exchangeInfo`)).body;
      assert.ok(info.symbols[0].filters.some((f: any) => f.filterType === 'MIN_NOTIONAL' && typeof f.notional === 'string'));
      assert.equal((await getJson(`${sim.url}/api/v3/depth?symbol=BTCUSDT`)).status, 404, 'spot paths are not served in USD-M mode');
      c.close();
    } finally {
      await sim.stop();
    }
  });
});
