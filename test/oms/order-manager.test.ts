import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IntentAction, OrderType, RejectReason, Side, TimeInForce } from '../../src/core/schema/constants.js';
import { OrderEvent, OrderEventKind as K } from '../../src/oms/order.js';
import { OrderManager, SubmitResult } from '../../src/oms/order-manager.js';
import { Effect } from '../../src/oms/order-state-machine.js';
import { OrderState as S } from '../../src/core/schema/constants.js';
import { RiskIntent } from '../../src/risk/intent.js';
import { BTC, rig } from '../risk/helpers.js';

function setup() {
  const r = rig();
  const om = new OrderManager({ registry: r.registry, risk: r.risk, stateMachine: { notFoundGraceNs: 1e9 } });
  const out = new SubmitResult();
  let seq = 100;
  const intent = new RiskIntent();
  const place = (side: number, price: number, qty: number, id: number, strategy = 1) => {
    intent.set(IntentAction.NEW, side, BTC, strategy, price, qty, OrderType.LIMIT, TimeInForce.GTC);
    intent.strategyOrderId = id;
    return om.submit(intent, ++seq, r.clock.nowNs(), out);
  };
  const act = (action: number, id: number, strategy = 1, price = 0, qty = 0) => {
    intent.set(action, 0, action === IntentAction.CANCEL_ALL ? 0 : BTC, strategy, price, qty);
    intent.strategyOrderId = id;
    return om.submit(intent, ++seq, r.clock.nowNs(), out);
  };
  const report = (orderSeq: number, kind: number, f: Partial<OrderEvent> = {}) => om.onEvent(orderSeq, OrderEvent.of(kind as OrderEvent['kind'], r.clock.nowNs(), f));
  return { r, om, out, place, act, report };
}

describe('order manager', () => {
  it('NEW → ack → fills: positions, risk ledger and working quantity follow', () => {
    const { r, om, out, place, report } = setup();
    assert.equal(place(Side.BUY, 6_000_000, 100_000, 1), RejectReason.NONE);
    const o = out.order!;
    assert.equal(out.send, true);
    assert.equal(o.state, S.PENDING_NEW);
    assert.equal(o.seq, 101);
    const ix = r.risk.index;
    assert.equal(ix.openCount, 1);
    assert.equal(ix.buyLeaves[1 * ix.instruments + BTC], 100_000);
    report(101, K.ACK, { venueOrderId: 5n });
    report(101, K.TRADE, { tradeId: 1n, lastQty: 40_000n, lastPx: 5_999_000n, cumQty: 40_000n, fee: 10n ** 9n, feeAsset: 'USDT' });
    assert.equal(o.state, S.PARTIALLY_FILLED);
    assert.equal(ix.buyLeaves[1 * ix.instruments + BTC], 60_000);
    assert.equal(r.risk.ledger.pos[1 * ix.instruments + BTC], 40_000);
    const p = om.positions.get(1, BTC)!;
    assert.equal(p.qty, 40_000n);
    assert.equal(p.feesQuote, 10n ** 11n);
    const eff = report(101, K.TRADE, { tradeId: 2n, lastQty: 60_000n, lastPx: 6_000_000n, cumQty: 100_000n });
    assert.ok(eff & Effect.FINAL);
    assert.equal(o.state, S.FILLED);
    assert.equal(ix.openCount, 0);
    assert.equal(o.slot, -1);
    assert.equal(om.openOrder(1, 1), undefined);
    assert.equal(om.effectCounters[1], 2, 'two FILL effects (bit 1)');
    // The strategy may reuse its number once the order is final.
    assert.equal(place(Side.BUY, 6_000_000, 10, 1), RejectReason.NONE);
  });

  it('refuses a strategy order number that is already open', () => {
    const { r, place } = setup();
    place(Side.BUY, 6_000_000, 10, 1);
    assert.equal(place(Side.BUY, 6_000_000, 10, 1), RejectReason.INVALID_INTENT);
    assert.equal(r.risk.counters[RejectReason.INVALID_INTENT], 1);
  });

  it('CANCEL: PendingCancel, flagged in the index, closed when canceled; unknown ids refused', () => {
    const { r, out, place, act, report } = setup();
    place(Side.SELL, 6_000_000, 10, 7);
    const o = out.order!;
    report(o.seq, K.ACK);
    assert.equal(act(IntentAction.CANCEL, 7), RejectReason.NONE);
    assert.equal(out.send, true);
    assert.equal(o.state, S.PENDING_CANCEL);
    assert.equal(r.risk.index.slotCancelPending[o.slot], 1);
    act(IntentAction.CANCEL, 7);
    assert.equal(out.send, false, 'a second cancel while one is in flight sends nothing');
    report(o.seq, K.CANCELED, { cumQty: 0n });
    assert.equal(r.risk.index.openCount, 0);
    assert.equal(act(IntentAction.CANCEL, 7), RejectReason.UNKNOWN_ORDER);
    assert.equal(act(IntentAction.CANCEL, 8), RejectReason.UNKNOWN_ORDER);
  });

  it('AMEND: only when acknowledged; the index follows the new price and quantity', () => {
    const { r, out, place, act, report } = setup();
    place(Side.BUY, 5_990_000, 10, 3);
    const o = out.order!;
    assert.equal(act(IntentAction.AMEND, 3, 1, 5_995_000, 20), RejectReason.INVALID_INTENT, 'still PendingNew');
    report(o.seq, K.ACK);
    assert.equal(act(IntentAction.AMEND, 3, 1, 5_995_000, 20), RejectReason.NONE);
    assert.equal(o.state, S.PENDING_REPLACE);
    report(o.seq, K.REPLACED, { price: 5_995_000n, qty: 20n });
    assert.equal(o.state, S.NEW);
    const ix = r.risk.index;
    assert.deepEqual([ix.slotPrice[o.slot], ix.slotQty[o.slot], ix.slotLeaves[o.slot]], [5_995_000, 20, 20]);
  });

  it('CANCEL_ALL cancels the strategy’s open orders', () => {
    const { out, place, act } = setup();
    place(Side.BUY, 5_990_000, 10, 1);
    place(Side.BUY, 5_980_000, 10, 2);
    place(Side.BUY, 5_980_000, 10, 3, 2);
    act(IntentAction.CANCEL_ALL, 0);
    assert.deepEqual(out.cancels!.map((c) => c.strategyOrderId).sort(), [1, 2]);
  });

  it('a fill that breaches the daily loss trips the kill switch and queues cancels for every open order', () => {
    const { r, om, out, place, report } = setup();
    place(Side.BUY, 6_000_000, 100_000, 1);
    const filled = out.order!;
    place(Side.BUY, 5_800_000, 10, 2, 2);
    const resting = out.order!;
    r.marks.set(BTC, 5_890_000n);
    report(filled.seq, K.TRADE, { tradeId: 1n, lastQty: 100_000n, lastPx: 6_000_000n, cumQty: 100_000n });
    assert.equal(r.risk.killSwitch.tripped, true);
    const cancels = om.takeCancels()!;
    assert.deepEqual(cancels.map((c) => c.seq), [resting.seq]);
    assert.equal(resting.state, S.PENDING_CANCEL);
    assert.equal(place(Side.SELL, 5_890_000, 10, 3), RejectReason.KILL_SWITCH);
  });

  it('the kill switch command marks every open order PendingCancel', () => {
    const { r, om, out, place } = setup();
    place(Side.BUY, 5_990_000, 10, 1);
    const a = out.order!;
    place(Side.SELL, 6_010_000, 10, 2, 2);
    const b = out.order!;
    r.clock.advance(5);
    const cancels = om.tripKillSwitch(1, r.clock.nowNs());
    assert.equal(cancels.length, 2);
    assert.deepEqual([a.state, b.state], [S.PENDING_CANCEL, S.PENDING_CANCEL]);
    assert.equal(r.risk.killSwitch.trippedAtNs, r.clock.nowNs());
    assert.equal(om.tripKillSwitch(1, r.clock.nowNs()).length, 0, 'nothing left without a cancel in flight');
  });

  it('evicts final orders; later reports for them are counted, not crashed on', () => {
    const { r, om, out, place, report } = setup();
    place(Side.BUY, 5_990_000, 10, 1);
    const o = out.order!;
    report(o.seq, K.REJECTED);
    r.clock.advance(1000);
    assert.equal(om.evictFinal(r.clock.nowNs()), 1);
    assert.equal(report(o.seq, K.ACK), 0);
    assert.equal(om.unknownOrderReports, 1);
  });

  it('an inferred reject that shows up again is tracked as open again', () => {
    const { r, out, place, report } = setup();
    place(Side.BUY, 5_990_000, 10, 1);
    const o = out.order!;
    report(o.seq, K.TIMEOUT);
    r.clock.advance(2e9);
    report(o.seq, K.NOT_FOUND);
    assert.equal(o.state, S.REJECTED);
    assert.equal(r.risk.index.openCount, 0);
    const eff = report(o.seq, K.ACK);
    assert.ok(eff & Effect.QUERY);
    assert.equal(o.state, S.UNKNOWN);
    assert.equal(r.risk.index.openCount, 1);
    assert.ok(o.slot >= 0);
  });
});
