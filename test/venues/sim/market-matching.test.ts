import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InstrumentRegistry } from '../../../src/core/instruments/registry.js';
import { MatchingEngine } from '../../../src/venues/sim/matching/engine.js';
import { instrumentDefinition, SIM_CATALOG } from '../../../src/venues/sim/market/catalog.js';
import { FLOW_OWNER, type Fill, type NewOrderRequest, type OrderView, type Side } from '../../../src/venues/sim/matching/types.js';

function engine(): MatchingEngine {
  const reg = InstrumentRegistry.from([instrumentDefinition(SIM_CATALOG.BTCUSDT!, 'spot')]);
  return new MatchingEngine(reg.all());
}

let seq = 0;
function order(side: Side, price: bigint, qty: bigint, extra: Partial<NewOrderRequest> = {}): NewOrderRequest {
  return { symbol: 'BTCUSDT', owner: 'alice', clientOrderId: `c${++seq}`, side, type: 'LIMIT', timeInForce: 'GTC', price, quantity: qty, timeMs: 1000 + seq, ...extra };
}

test('resting orders match in price-time priority, partial fills keep the queue position', () => {
  const e = engine();
  const a = e.submit(order('SELL', 6000000n, 100n, { owner: 'm1' })).order;
  const b = e.submit(order('SELL', 6000000n, 100n, { owner: 'm2' })).order;
  const c = e.submit(order('SELL', 5999999n, 50n, { owner: 'm3' })).order;
  // Better price first (c), then a before b at the same price.
  const r1 = e.submit(order('BUY', 6000000n, 120n, { owner: 't' }));
  assert.deepEqual(r1.fills.map((f) => [f.maker.orderId, f.price, f.quantity]), [
    [c.orderId, 5999999n, 50n],
    [a.orderId, 6000000n, 70n],
  ]);
  assert.equal(r1.order.status, 'FILLED');
  assert.equal(r1.order.executedQty, 120n);
  assert.equal(r1.order.cumQuote, 5999999n * 50n + 6000000n * 70n);
  assert.equal(e.getOrder('BTCUSDT', a.orderId)?.status, 'PARTIALLY_FILLED');
  // a keeps its place ahead of b although b is untouched.
  const r2 = e.submit(order('BUY', 6000000n, 40n, { owner: 't' }));
  assert.deepEqual(r2.fills.map((f) => [f.maker.orderId, f.quantity]), [
    [a.orderId, 30n],
    [b.orderId, 10n],
  ]);
  assert.equal(e.getOrder('BTCUSDT', a.orderId)?.status, 'FILLED');
  const snap = e.bookSnapshot('BTCUSDT', 10);
  assert.deepEqual(snap.asks.map((l) => [l.price, l.quantity]), [[6000000n, 90n]]);
  assert.deepEqual(snap.bids, []);
});

test('a GTC remainder rests; IOC remainder expires; FOK all or nothing; LIMIT_MAKER refused when crossing', () => {
  const e = engine();
  e.submit(order('SELL', 100n, 10n));
  const gtc = e.submit(order('BUY', 100n, 15n));
  assert.equal(gtc.order.status, 'PARTIALLY_FILLED');
  assert.deepEqual(e.bookSnapshot('BTCUSDT', 5).bids.map((l) => [l.price, l.quantity]), [[100n, 5n]]);

  e.submit(order('SELL', 110n, 10n));
  const ioc = e.submit(order('BUY', 110n, 25n, { timeInForce: 'IOC' }));
  assert.equal(ioc.order.status, 'EXPIRED');
  assert.equal(ioc.order.executedQty, 10n);
  assert.equal(e.bookSnapshot('BTCUSDT', 5).bids[0]?.price, 100n, 'IOC remainder must not rest');

  e.submit(order('SELL', 120n, 10n));
  const fokNo = e.submit(order('BUY', 120n, 11n, { timeInForce: 'FOK' }));
  assert.equal(fokNo.order.status, 'EXPIRED');
  assert.equal(fokNo.rejectReason, 'FOK_NOT_FILLABLE');
  assert.equal(fokNo.fills.length, 0);
  const fokYes = e.submit(order('BUY', 120n, 10n, { timeInForce: 'FOK' }));
  assert.equal(fokYes.order.status, 'FILLED');

  e.submit(order('SELL', 130n, 10n));
  const lm = e.submit(order('BUY', 130n, 1n, { type: 'LIMIT_MAKER' }));
  assert.equal(lm.rejectReason, 'WOULD_CROSS');
  assert.equal(lm.order.status, 'REJECTED');
  assert.equal(lm.order.orderId, -1);
  const lmOk = e.submit(order('BUY', 129n, 1n, { type: 'LIMIT_MAKER' }));
  assert.equal(lmOk.order.status, 'NEW');
  assert.equal(e.bookSnapshot('BTCUSDT', 1).bids[0]?.price, 129n);
});

test('MARKET by quantity and by quote amount; MARKET into an empty side expires', () => {
  const e = engine();
  const empty = e.submit(order('BUY', 0n, 5n, { type: 'MARKET' }));
  assert.equal(empty.order.status, 'EXPIRED');
  assert.equal(empty.rejectReason, 'NO_LIQUIDITY');
  e.submit(order('SELL', 1000n, 10n));
  e.submit(order('SELL', 1001n, 10n));
  const m = e.submit(order('BUY', 0n, 15n, { type: 'MARKET' }));
  assert.equal(m.order.status, 'FILLED');
  assert.equal(m.order.cumQuote, 1000n * 10n + 1001n * 5n);
  // 3002 quote at 1001 buys 2 whole steps; the rest stays unspent.
  const q = e.submit(order('BUY', 0n, 0n, { type: 'MARKET', quoteOrderQty: 3002n }));
  assert.equal(q.order.executedQty, 2n);
  assert.equal(q.order.status, 'FILLED');
  assert.equal(q.order.cumQuote, 2002n);
});

test('cancel removes the order and the level, reports CANCELED; lookups by id and client id', () => {
  const e = engine();
  const updates: OrderView[] = [];
  e.addListener({ onOrderUpdate: (o) => updates.push(o) });
  const r = e.submit(order('BUY', 500n, 3n, { clientOrderId: 'mine' }));
  assert.equal(e.getOrderByClientId('BTCUSDT', 'alice', 'mine')?.orderId, r.order.orderId);
  assert.equal(e.openOrders('alice').length, 1);
  const c = e.cancel('BTCUSDT', r.order.orderId, 5000);
  assert.equal(c?.status, 'CANCELED');
  assert.equal(e.cancel('BTCUSDT', r.order.orderId, 5001), undefined, 'second cancel finds nothing');
  assert.equal(e.getOrder('BTCUSDT', r.order.orderId)?.status, 'CANCELED', 'finished non-flow orders stay queryable');
  assert.equal(e.openOrders('alice').length, 0);
  assert.deepEqual(e.bookSnapshot('BTCUSDT', 5).bids, []);
  assert.deepEqual(updates.map((u) => u.status), ['NEW', 'CANCELED']);
});

test('listeners see NEW then fills then EXPIRED, level changes, one batch end per mutation; ignoreFlowOrders filters', () => {
  const e = engine();
  const log: string[] = [];
  const fills: Fill[] = [];
  e.addListener({
    onOrderUpdate: (o, f) => log.push(`${o.owner}:${o.status}${f ? `@${f.quantity}` : ''}`),
    onTrade: (f) => fills.push(f),
    onLevelChange: (s, c) => log.push(`L${c.side}${c.price}=${c.quantity}`),
    onBatchEnd: () => log.push('|'),
  });
  const quiet: string[] = [];
  e.addListener({ ignoreFlowOrders: true, onOrderUpdate: (o) => quiet.push(`${o.owner}:${o.status}`) });
  e.submit(order('SELL', 200n, 4n, { owner: FLOW_OWNER }));
  e.submit(order('BUY', 200n, 6n, { owner: 'bob', timeInForce: 'IOC' }));
  assert.deepEqual(log, [
    `${FLOW_OWNER}:NEW`, 'LSELL200=4', '|',
    'bob:NEW', `${FLOW_OWNER}:FILLED@4`, 'bob:PARTIALLY_FILLED@4', 'LSELL200=0', 'bob:EXPIRED', '|',
  ]);
  assert.deepEqual(quiet, ['bob:NEW', 'bob:PARTIALLY_FILLED', 'bob:EXPIRED']);
  assert.equal(fills.length, 1);
  assert.equal(fills[0]?.takerSide, 'BUY');
  assert.equal(fills[0]?.maker.owner, FLOW_OWNER);
});

test('update ids: one per level change, contiguous in spot mode, with hidden gaps in USD-M mode', () => {
  const ids: number[][] = [];
  for (const hidden of [0, 2]) {
    const reg = InstrumentRegistry.from([instrumentDefinition(SIM_CATALOG.BTCUSDT!, 'spot')]);
    const e = new MatchingEngine(reg.all(), { hiddenUpdatesEvery: hidden });
    const got: number[] = [];
    e.addSink({ orderUpdated() {}, trade() {}, levelChanged: (_b, _s, _p, _q, id) => got.push(id), batchEnd() {} });
    for (let i = 0; i < 4; i++) e.submit(order('BUY', 100n + BigInt(i), 1n));
    ids.push(got);
    assert.equal(e.bookSnapshot('BTCUSDT', 1).lastUpdateId, got[got.length - 1]);
  }
  assert.deepEqual(ids[0], [1, 2, 3, 4]);
  assert.deepEqual(ids[1], [1, 4, 5, 8]);
});

test('property: the aggregated book equals the sum of resting orders and is never crossed', () => {
  const op = fc.oneof(
    fc.record({ k: fc.constant('add' as const), buy: fc.boolean(), px: fc.integer({ min: 90, max: 110 }), qty: fc.integer({ min: 1, max: 20 }), tif: fc.constantFrom('GTC', 'IOC', 'FOK') as fc.Arbitrary<'GTC' | 'IOC' | 'FOK'>, maker: fc.boolean(), market: fc.boolean() }),
    fc.record({ k: fc.constant('cancel' as const), pick: fc.nat() }),
  );
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 120 }), (ops) => {
      const e = engine();
      const ids: number[] = [];
      let t = 0;
      for (const o of ops) {
        if (o.k === 'add') {
          const type = o.market ? 'MARKET' : o.maker ? 'LIMIT_MAKER' : 'LIMIT';
          const r = e.submit(order(o.buy ? 'BUY' : 'SELL', BigInt(o.px), BigInt(o.qty), { type, timeInForce: o.tif, owner: o.px % 2 ? FLOW_OWNER : 'x', timeMs: ++t }));
          if (r.order.orderId > 0) ids.push(r.order.orderId);
          // Conservation: the taker's fills equal its executed quantity.
          assert.equal(r.fills.reduce((s, f) => s + f.quantity, 0n), r.order.executedQty);
        } else if (ids.length > 0) {
          e.cancel('BTCUSDT', ids[o.pick % ids.length] as number, ++t);
        }
        const snap = e.bookSnapshot('BTCUSDT', 1000);
        const open = e.orders({ symbol: 'BTCUSDT', openOnly: true });
        for (const [levels, side] of [[snap.bids, 'BUY'], [snap.asks, 'SELL']] as const) {
          const sums = new Map<bigint, bigint>();
          for (const v of open) if (v.side === side) sums.set(v.price, (sums.get(v.price) ?? 0n) + v.origQty - v.executedQty);
          assert.deepEqual(levels.map((l) => [l.price, l.quantity]), [...sums.entries()].sort((a, b) => (side === 'BUY' ? Number(b[0] - a[0]) : Number(a[0] - b[0]))));
        }
        const bb = snap.bids[0]?.price;
        const ba = snap.asks[0]?.price;
        if (bb !== undefined && ba !== undefined) assert.ok(bb < ba, `crossed book ${bb} >= ${ba}`);
      }
    }),
    { numRuns: 150, seed: 42 },
  );
});
