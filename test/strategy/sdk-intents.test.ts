import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventType, IntentAction, IntentFlag, OrderType, RefSentinel, Sentinel, TimeInForce } from '../../src/core/schema/constants.js';
import { SimulatedClock, StrategyError } from '../../src/strategy/sdk/index.js';
import { BTC, ETH, harness } from './fixtures.js';

function code(fn: () => unknown, expected: string, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof StrategyError, String(err));
    assert.equal(err.code, expected);
    assert.match(err.message, message);
    return true;
  });
}

test('place writes a NEW OrderIntent record that a consumer reads back', () => {
  const clock = new SimulatedClock(5_000_000_000n);
  const h = harness({ clock });
  const ref = h.ctx.place({ instrument: 'BTCUSDT', side: 'buy', type: 'limit', tif: 'GTC', price: 6500001n, qty: 150000n, postOnly: true, clientTag: 'bid-0' });
  assert.equal(ref, 1);
  const [rec, ...rest] = h.drain();
  assert.equal(rest.length, 0);
  assert.deepEqual(rec, {
    type: EventType.ORDER_INTENT,
    action: IntentAction.NEW,
    flags: IntentFlag.BUY | IntentFlag.POST_ONLY,
    instrument: BTC.id,
    strategyId: 7,
    orderType: OrderType.LIMIT,
    tif: TimeInForce.GTC,
    intentId: 1n,
    clientOrderId: 1n,
    price: 6500001n,
    qty: 150000n,
    createdTimeNs: 5_000_000_000n,
    triggerRecvTimeNs: Sentinel.TIME_UNDEF,
  });
  const open = h.ctx.openOrders();
  assert.equal(open.length, 1);
  assert.deepEqual(
    { ref: open[0]!.ref, state: open[0]!.state, price: open[0]!.price, leaves: open[0]!.leavesQty, tag: open[0]!.clientTag },
    { ref: 1, state: 'PENDING_NEW', price: 6500001n, leaves: 150000n, tag: 'bid-0' },
  );
});

test('market orders, reduce-only, IOC/FOK; ids count up across every intent', () => {
  const h = harness({ firstIntentId: 100 });
  const a = h.ctx.place({ instrument: 'ETHUSDT', side: 'sell', type: 'market', qty: 5n, reduceOnly: true });
  const b = h.ctx.place({ instrument: 'ETHUSDT', side: 'buy', type: 'limit', tif: 'FOK', price: 300000n, qty: 2n });
  const c = h.ctx.cancel(b);
  assert.deepEqual([a, b, c], [100, 101, 102]);
  const [ra, rb, rc] = h.drain();
  assert.equal(ra!['orderType'], OrderType.MARKET);
  assert.equal(ra!['tif'], TimeInForce.IOC);
  assert.equal(ra!['price'], Sentinel.PRICE_UNDEF);
  assert.equal(ra!['flags'], IntentFlag.SELL | IntentFlag.REDUCE_ONLY);
  assert.equal(ra!['instrument'], ETH.id);
  assert.equal(rb!['tif'], TimeInForce.FOK);
  assert.equal(rc!['action'], IntentAction.CANCEL);
  assert.equal(rc!['intentId'], 102n);
  assert.equal(rc!['clientOrderId'], 101n, 'a cancel names its target order');
  assert.equal(rc!['instrument'], ETH.id);
  assert.equal(h.ctx.nextIntentId, 103);
});

test('cancel, amend and cancelAll records', () => {
  const h = harness();
  const ref = h.ctx.place({ instrument: 'BTCUSDT', side: 'sell', type: 'limit', tif: 'GTC', price: 6600000n, qty: 1000n });
  h.ctx.amend(ref, { price: 6610000n });
  h.ctx.amend(ref, { qty: 500n });
  h.ctx.cancel(ref);
  h.ctx.cancelAll('BTCUSDT');
  h.ctx.cancelAll();
  h.ctx.cancel(999); // not known here: still sent, the oms answers UNKNOWN_ORDER
  const recs = h.drain();
  assert.deepEqual(
    recs.map((r) => [r['action'], r['intentId'], r['clientOrderId'], r['instrument'], r['price'], r['qty'], r['flags']]),
    [
      [IntentAction.NEW, 1n, 1n, BTC.id, 6600000n, 1000n, IntentFlag.SELL],
      [IntentAction.AMEND, 2n, 1n, BTC.id, 6610000n, 1000n, IntentFlag.SELL],
      [IntentAction.AMEND, 3n, 1n, BTC.id, 6610000n, 500n, IntentFlag.SELL],
      [IntentAction.CANCEL, 4n, 1n, BTC.id, Sentinel.PRICE_UNDEF, 0n, IntentFlag.SELL],
      [IntentAction.CANCEL_ALL, 5n, 0n, BTC.id, Sentinel.PRICE_UNDEF, 0n, 0],
      [IntentAction.CANCEL_ALL, 6n, 0n, RefSentinel.INSTRUMENT_UNDEF, Sentinel.PRICE_UNDEF, 0n, 0],
      [IntentAction.CANCEL, 7n, 999n, RefSentinel.INSTRUMENT_UNDEF, Sentinel.PRICE_UNDEF, 0n, 0],
    ],
  );
  assert.equal(h.ctx.openOrders()[0]!.state, 'PENDING_CANCEL');
});

test('malformed orders throw INTENT_INVALID naming the field, and write nothing', () => {
  const h = harness();
  const place = (o: unknown) => () => h.ctx.place(o as never);
  code(place({ instrument: 'BTCUSDT', side: 'long', type: 'limit', tif: 'GTC', price: 1n, qty: 1n }), 'INTENT_INVALID', /side must be 'buy' or 'sell', got "long"/);
  code(place({ instrument: 'BTCUSDT', side: 'buy', type: 'stop', tif: 'GTC', price: 1n, qty: 1n }), 'INTENT_INVALID', /type must be 'limit' or 'market'/);
  code(place({ instrument: 'BTCUSDT', side: 'buy', type: 'limit', tif: 'DAY', price: 1n, qty: 1n }), 'INTENT_INVALID', /tif must be GTC, IOC or FOK, got "DAY"/);
  code(place({ instrument: 'BTCUSDT', side: 'buy', type: 'limit', price: 1n, qty: 1n }), 'INTENT_INVALID', /tif must be/);
  code(place({ instrument: 'BTCUSDT', side: 'buy', type: 'limit', tif: 'GTC', price: 65000.5, qty: 1n }), 'INTENT_INVALID', /price must be a bigint mantissa .* got the number 65000\.5/);
  code(place({ instrument: 'BTCUSDT', side: 'buy', type: 'limit', tif: 'GTC', price: 1n, qty: 0n }), 'INTENT_INVALID', /qty must be in 1\.\.2\^63-1, got 0/);
  code(place({ instrument: 'BTCUSDT', side: 'buy', type: 'limit', tif: 'GTC', price: 2n ** 63n, qty: 1n }), 'INTENT_INVALID', /price must be in 1\.\.2\^63-1/);
  code(place({ instrument: 'BTCUSDT', side: 'buy', type: 'market', tif: 'GTC', qty: 1n }), 'INTENT_INVALID', /market order cannot rest/);
  code(place({ instrument: 'BTCUSDT', side: 'buy', type: 'market', price: 5n, qty: 1n }), 'INTENT_INVALID', /market order takes no price/);
  code(place({ instrument: 'BTCUSDT', side: 'buy', type: 'limit', tif: 'IOC', price: 1n, qty: 1n, postOnly: true }), 'INTENT_INVALID', /postOnly needs a GTC limit/);
  code(place({ instrument: 'BTCUSDT', side: 'buy', type: 'limit', tif: 'GTC', price: 1n, qty: 1n, clientTag: 'x'.repeat(33) }), 'INTENT_INVALID', /clientTag/);
  code(place({ instrument: 'SOLUSDT', side: 'buy', type: 'limit', tif: 'GTC', price: 1n, qty: 1n }), 'STRATEGY_UNKNOWN_INSTRUMENT', /"SOLUSDT" is not an instrument of venue sim/);
  code(() => h.ctx.cancel(0), 'INTENT_INVALID', /order ref must be an id returned by place, got 0/);
  code(() => h.ctx.amend(5, { price: 1n }), 'STRATEGY_UNKNOWN_ORDER', /amend 5: order is not open/);
  code(() => h.ctx.amend(5, {}), 'INTENT_INVALID', /give a new price, a new qty, or both/);
  code(() => h.ctx.cancelAll('XRPUSDT'), 'STRATEGY_UNKNOWN_INSTRUMENT', /cancelAll/);
  assert.deepEqual(h.drain(), []);
  assert.equal(h.ctx.nextIntentId, 1);
  assert.equal(h.ctx.stats().invalid, 16);
});

test('a full intent ring that nobody drains throws INTENT_RING_FULL after its time limit; a closed one INTENT_RING_CLOSED', () => {
  const h = harness({ capacity: 2, ringTimeoutMs: 20 });
  const order = { instrument: 'BTCUSDT', side: 'buy', type: 'limit', tif: 'GTC', price: 1n, qty: 1n } as const;
  h.ctx.place(order);
  h.ctx.place(order);
  const t0 = performance.now();
  code(() => h.ctx.place(order), 'INTENT_RING_FULL', /stayed full for 20 ms/);
  assert.ok(performance.now() - t0 >= 15);
  assert.equal(h.ctx.openOrders().length, 2, 'the failed place is not tracked');
  assert.equal(h.drain().length, 2);
  assert.equal(h.ctx.place(order), 3, 'space again after the consumer drained');
  h.ring.close();
  h.ctx.place(order);
  code(() => h.ctx.place(order), 'INTENT_RING_CLOSED', /closed/);
});
