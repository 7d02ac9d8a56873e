/**
 * Order entry against the real matching engine, in process: balances, locks, fees and
 * the user-data events of fills between two accounts, checked to the last digit with
 * amounts computed here independently (integers at 8 decimals).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InstrumentRegistry } from '../../../src/core/instruments/registry.js';
import { instrumentDefinition, SIM_CATALOG } from '../../../src/venues/sim/market/catalog.js';
import { binanceFormat } from '../../../src/venues/sim/market/format.js';
import { MatchingEngine } from '../../../src/venues/sim/matching/engine.js';
import { SimFaults } from '../../../src/venues/sim/faults.js';
import { AccountRegistry } from '../../../src/venues/sim/account/registry.js';
import { OrderEntryService } from '../../../src/venues/sim/orderentry/service.js';
import { readNewOrder } from '../../../src/venues/sim/orderentry/order-params.js';
import { restParams } from '../../../src/venues/sim/orderentry/params.js';
import { BinanceApiError } from '../../../src/venues/sim/orderentry/errors.js';
import type { SimLog } from '../../../src/venues/sim/server/plugin.js';
import { ManualClock } from './orderentry-helpers.js';

const E8 = 100_000_000n;
/** "1.5" → 150000000n (8 decimals), for expected values. */
function d8(text: string): bigint {
  const [i, f = ''] = text.split('.') as [string, string?];
  return BigInt(i) * E8 + BigInt((f + '00000000').slice(0, 8));
}
function s8(v: bigint): string {
  const i = v / E8;
  const f = (v % E8).toString().padStart(8, '0');
  return `${i}.${f}`;
}
const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

function setup() {
  const registry = InstrumentRegistry.from([instrumentDefinition(SIM_CATALOG.BTCUSDT!, 'spot')]);
  const instruments = registry.all();
  const engine = new MatchingEngine(instruments);
  const clock = new ManualClock(1_700_000_000_000);
  const errors: string[] = [];
  const log: SimLog = { debug() {}, info() {}, warn() {}, error: (m, f) => void errors.push(`${m} ${JSON.stringify(f)}`) };
  const accounts = new AccountRegistry(
    [
      { name: 'maker', apiKey: 'makerKey', apiSecret: 's1', balances: { BTC: '2', USDT: '1000' }, makerCommission: '0.001', takerCommission: '0.001' },
      { name: 'taker', apiKey: 'takerKey', apiSecret: 's2', balances: { USDT: '100000' }, makerCommission: '0.001', takerCommission: '0.002' },
      { name: 'odd', apiKey: 'oddKey', apiSecret: 's3', balances: { USDT: '10' }, takerCommission: '0.00075' },
    ],
    instruments,
  );
  const service = new OrderEntryService({
    engine,
    accounts,
    clock,
    format: binanceFormat('spot'),
    instrument: (s) => registry.bySymbol('sim', s),
    faults: new SimFaults(() => clock.ms),
    log,
  });
  const events = { maker: [] as Record<string, unknown>[], taker: [] as Record<string, unknown>[], odd: [] as Record<string, unknown>[] };
  for (const name of ['maker', 'taker', 'odd'] as const) service.streams.subscribe(name, { deliver: (e) => (events[name].push(e), true) });
  const place = (who: string, q: string): Record<string, unknown> => {
    const account = accounts.byOwner(who)!;
    const out = service.request(() => service.placeOrder(account, readNewOrder(restParams(q, ''), (s) => registry.bySymbol('sim', s))));
    service.flushEvents();
    return out;
  };
  const bal = (who: string, asset: string) => {
    const b = accounts.byOwner(who)!.balances.get(asset);
    return { free: s8(b.free), locked: s8(b.locked) };
  };
  return { service, accounts, place, bal, events, errors, engine };
}

test('limit orders lock, fill at the maker price, refund the BUY difference, charge fees in the received asset', () => {
  const { place, bal, events, errors } = setup();
  const ask = place('maker', 'symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.5&price=60000&newClientOrderId=ask1');
  assert.equal(ask.status, 'NEW');
  assert.deepEqual(bal('maker', 'BTC'), { free: '1.50000000', locked: '0.50000000' });
  assert.deepEqual(
    events.maker.map((e) => e.e),
    ['executionReport', 'outboundAccountPosition'],
  );
  assert.deepEqual(events.maker[1]!.B, [{ a: 'BTC', f: '1.50000000', l: '0.50000000' }]);

  // Taker buys 0.2 with a limit above the ask: fills at 60000, limit reservation 60100 × 0.2.
  const buy = place('taker', 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.2&price=60100&newClientOrderId=bid1');
  assert.equal(buy.status, 'FILLED');
  assert.equal(buy.executedQty, '0.20000000');
  assert.equal(buy.cummulativeQuoteQty, '12000.00000000');
  const notional = d8('60000') * d8('0.2') / E8;
  const takerFee = ceilDiv(d8('0.2') * d8('0.002'), E8);
  const makerFee = ceilDiv(notional * d8('0.001'), E8);
  assert.deepEqual(buy.fills, [{ price: '60000.00000000', qty: '0.20000000', commission: s8(takerFee), commissionAsset: 'BTC', tradeId: (buy.fills as { tradeId: number }[])[0]!.tradeId }]);
  assert.deepEqual(bal('taker', 'USDT'), { free: s8(d8('100000') - notional), locked: '0.00000000' });
  assert.deepEqual(bal('taker', 'BTC'), { free: s8(d8('0.2') - takerFee), locked: '0.00000000' });
  assert.deepEqual(bal('maker', 'BTC'), { free: '1.50000000', locked: '0.30000000' });
  assert.deepEqual(bal('maker', 'USDT'), { free: s8(d8('1000') + notional - makerFee), locked: '0.00000000' });

  const makerTrade = events.maker.find((e) => e.x === 'TRADE')!;
  assert.equal(makerTrade.X, 'PARTIALLY_FILLED');
  assert.equal(makerTrade.m, true);
  assert.equal(makerTrade.l, '0.20000000');
  assert.equal(makerTrade.L, '60000.00000000');
  assert.equal(makerTrade.n, s8(makerFee));
  assert.equal(makerTrade.N, 'USDT');
  assert.equal(makerTrade.Y, '12000.00000000');
  assert.equal(makerTrade.c, 'ask1');
  const takerEvents = events.taker.map((e) => `${e.e}:${e.x ?? ''}:${e.X ?? ''}`);
  assert.deepEqual(takerEvents, ['executionReport:NEW:NEW', 'executionReport:TRADE:FILLED', 'outboundAccountPosition::']);
  const pos = events.taker[2]!.B as { a: string; f: string; l: string }[];
  assert.deepEqual(
    pos.sort((a, b) => a.a.localeCompare(b.a)),
    [
      { a: 'BTC', f: s8(d8('0.2') - takerFee), l: '0.00000000' },
      { a: 'USDT', f: s8(d8('100000') - notional), l: '0.00000000' },
    ],
  );

  // IOC for more than rests: 0.3 fills, 0.1 expires, nothing stays locked.
  const ioc = place('taker', 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=IOC&quantity=0.4&price=60000&newOrderRespType=RESULT');
  assert.equal(ioc.status, 'EXPIRED');
  assert.equal(ioc.executedQty, '0.30000000');
  assert.equal('fills' in ioc, false);
  assert.equal(bal('taker', 'USDT').locked, '0.00000000');
  assert.deepEqual(bal('maker', 'BTC'), { free: '1.50000000', locked: '0.00000000' });
  assert.deepEqual(errors, []);
});

test('commission rounds up to the balance scale; a too-small balance is -2010', () => {
  const { place, bal, errors } = setup();
  place('maker', 'symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.1&price=100');
  const r = place('odd', 'symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.05003&newOrderRespType=FULL');
  // 0.05003 × 0.00075 = 0.0000375225 BTC → 0.00003753 (rounded up).
  assert.equal((r.fills as { commission: string }[])[0]!.commission, '0.00003753');
  assert.deepEqual(bal('odd', 'BTC'), { free: '0.04999247', locked: '0.00000000' });
  assert.deepEqual(bal('odd', 'USDT'), { free: '4.99700000', locked: '0.00000000' });
  assert.throws(
    () => place('odd', 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.05&price=100'),
    (e: unknown) => e instanceof BinanceApiError && e.code === -2010 && e.message === 'Account has insufficient balance for requested action.',
  );
  assert.deepEqual(bal('odd', 'USDT'), { free: '4.99700000', locked: '0.00000000' });
  assert.deepEqual(errors, []);
});

test('cancel releases the lock and reports C = original client order id', () => {
  const { service, accounts, place, bal, events } = setup();
  place('taker', 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000&newClientOrderId=mine');
  assert.deepEqual(bal('taker', 'USDT'), { free: '99500.00000000', locked: '500.00000000' });
  const inst = service.instrument('BTCUSDT')!;
  const account = accounts.byOwner('taker')!;
  const c = service.request(() => service.cancelOrder(account, inst, { origClientOrderId: 'mine' }, 'cxl1'));
  service.flushEvents();
  assert.equal(c.status, 'CANCELED');
  assert.equal(c.origClientOrderId, 'mine');
  assert.equal(c.clientOrderId, 'cxl1');
  assert.deepEqual(bal('taker', 'USDT'), { free: '100000.00000000', locked: '0.00000000' });
  const rep = events.taker.find((e) => e.x === 'CANCELED')!;
  assert.equal(rep.c, 'cxl1');
  assert.equal(rep.C, 'mine');
  assert.throws(() => service.cancelOrder(account, inst, { origClientOrderId: 'mine' }), (e: unknown) => e instanceof BinanceApiError && e.code === -2011);
  // A finished order's id can be reused (unique among open orders only).
  place('taker', 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000&newClientOrderId=mine');
  assert.throws(
    () => place('taker', 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000&newClientOrderId=mine'),
    (e: unknown) => e instanceof BinanceApiError && e.code === -2010 && e.message === 'Duplicate order sent.',
  );
});
