import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventBuffer } from '../../src/core/schema/event-buffer.js';
import { writeRecord } from '../../src/core/schema/record-io.js';
import { EventType, IntentAction, IntentFlag, OrderType, Sentinel, Side, TimeInForce } from '../../src/core/schema/constants.js';
import { readIntent, RiskIntent } from '../../src/risk/intent.js';

describe('reading an ORDER_INTENT slot', () => {
  const buf = new EventBuffer(new ArrayBuffer(128));
  const base = {
    type: EventType.ORDER_INTENT,
    action: IntentAction.NEW,
    flags: IntentFlag.SELL | IntentFlag.POST_ONLY,
    instrument: 3,
    strategyId: 7,
    orderType: OrderType.LIMIT,
    tif: TimeInForce.GTC,
    intentId: 12n,
    clientOrderId: 99n,
    price: 6_000_000n,
    qty: 150_000n,
    createdTimeNs: 123_456_789n,
    triggerRecvTimeNs: 0n,
  };

  it('fills every field as numbers', () => {
    writeRecord(buf, 64, 'OrderIntent', base);
    const it = readIntent(buf, 64, new RiskIntent());
    assert.deepEqual(
      [it.action, it.side, it.flags & IntentFlag.POST_ONLY, it.instrument, it.strategyId, it.orderType, it.tif, it.intentId, it.strategyOrderId, it.price, it.qty, it.createdTimeNs, it.wide],
      [IntentAction.NEW, Side.SELL, IntentFlag.POST_ONLY, 3, 7, OrderType.LIMIT, TimeInForce.GTC, 12, 99, 6_000_000, 150_000, 123_456_789, false],
    );
  });

  it('marks values at or beyond 2^53 (and negative ones below −2^53) as wide', () => {
    const it = new RiskIntent();
    writeRecord(buf, 0, 'OrderIntent', { ...base, qty: 2n ** 53n - 1n });
    assert.equal(readIntent(buf, 0, it).wide, false);
    assert.equal(it.qty, Number.MAX_SAFE_INTEGER);
    writeRecord(buf, 0, 'OrderIntent', { ...base, qty: 2n ** 53n });
    assert.equal(readIntent(buf, 0, it).wide, true);
    writeRecord(buf, 0, 'OrderIntent', { ...base, price: -(2n ** 53n) - 1n });
    assert.equal(readIntent(buf, 0, it).wide, true);
    writeRecord(buf, 0, 'OrderIntent', { ...base, clientOrderId: 2n ** 63n });
    assert.equal(readIntent(buf, 0, it).wide, true);
    writeRecord(buf, 0, 'OrderIntent', { ...base, price: -5n });
    assert.equal(readIntent(buf, 0, it).price, -5, 'negative, in range: the checks refuse it');
  });

  it('ignores the undefined price of a market order', () => {
    writeRecord(buf, 0, 'OrderIntent', { ...base, orderType: OrderType.MARKET, price: Sentinel.PRICE_UNDEF });
    const it = readIntent(buf, 0, new RiskIntent());
    assert.equal(it.wide, false);
    assert.equal(it.price, 0);
  });
});
