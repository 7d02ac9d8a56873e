import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IntentAction, RejectReason, Side } from '../../src/core/schema/constants.js';
import { RiskIntent } from '../../src/risk/intent.js';
import { TripReason } from '../../src/risk/kill-switch.js';
import { BTC, ETH, limit, rig } from './helpers.js';

function openSome(r: ReturnType<typeof rig>) {
  const ix = r.risk.index;
  ix.open(2, BTC, Side.BUY, true, 5_900_000, 10, 12, 1);
  ix.open(1, BTC, Side.SELL, true, 6_100_000, 10, 11, 1);
  ix.open(1, ETH, Side.BUY, true, 290_000, 10, 10, 2);
  const s = ix.open(3, ETH, Side.BUY, true, 290_000, 10, 13, 1);
  ix.setCancelPending(s, true);
}

describe('kill switch', () => {
  it('trip returns a cancel for every open order, by strategy, and records reason and time', () => {
    const r = rig();
    openSome(r);
    r.clock.set(5_000);
    const cancels = r.risk.killSwitch.command();
    assert.deepEqual(
      cancels.map((c) => [c.strategyId, c.seq, c.instrument, c.strategyOrderId]),
      [
        [1, 10, ETH, 2],
        [1, 11, BTC, 1],
        [2, 12, BTC, 1],
      ],
      'the order with a cancel already in flight is not cancelled twice',
    );
    const ks = r.risk.killSwitch;
    assert.equal(ks.tripped, true);
    assert.equal(ks.reason, TripReason.COMMAND);
    assert.equal(ks.trippedAtNs, 5_000);
    assert.equal(ks.trips, 1);
  });

  it('is cancel-only until an operator resumes', () => {
    const r = rig();
    const ks = r.risk.killSwitch;
    ks.command(1);
    assert.equal(r.risk.check(limit(Side.BUY, BTC, 6_000_000, 10)), RejectReason.KILL_SWITCH);
    assert.equal(r.risk.check(new RiskIntent().set(IntentAction.CANCEL, Side.BUY, BTC, 1, 0, 0)), RejectReason.NONE);
    assert.equal(r.risk.check(new RiskIntent().set(IntentAction.CANCEL_ALL, 0, 0, 1, 0, 0)), RejectReason.NONE);
    assert.throws(() => ks.resume(''), { code: 'KILL_SWITCH_OPERATOR' });
    assert.equal(ks.tripped, true);
    ks.resume('alice');
    assert.equal(ks.tripped, false);
    assert.equal(ks.trippedAtNs, 0);
    assert.equal(ks.lastResumedBy, 'alice');
    assert.equal(r.risk.check(limit(Side.BUY, BTC, 6_000_000, 10)), RejectReason.NONE);
  });

  it('a second trip keeps the first reason and time and re-lists what is still open', () => {
    const r = rig();
    openSome(r);
    const ks = r.risk.killSwitch;
    ks.command(100);
    const again = ks.onDailyLossBreach(200);
    assert.equal(ks.reason, TripReason.COMMAND);
    assert.equal(ks.trippedAtNs, 100);
    assert.equal(ks.trips, 1);
    assert.equal(again.length, 3);
  });

  it('feed and reconciliation failures trip only when configured', () => {
    const off = rig();
    openSome(off);
    assert.deepEqual(off.risk.killSwitch.onFeedFailure(1), []);
    assert.equal(off.risk.killSwitch.tripped, false);
    const on = rig({}, { tripOnFeedFailure: true, tripOnReconciliationFailure: true });
    openSome(on);
    assert.equal(on.risk.killSwitch.onFeedFailure(1).length, 3);
    assert.equal(on.risk.killSwitch.reason, TripReason.FEED);
    const rec = rig({}, { tripOnReconciliationFailure: true });
    rec.risk.killSwitch.onReconciliationFailure([1], 7);
    assert.equal(rec.risk.killSwitch.reason, TripReason.RECONCILIATION);
    const daily = rig({}, { tripOnDailyLoss: false });
    assert.deepEqual(daily.risk.killSwitch.onDailyLossBreach(1), []);
    assert.equal(daily.risk.killSwitch.tripped, false);
  });

  it('a reconciliation failure halts only the affected strategies unless configured to trip', () => {
    const r = rig();
    openSome(r);
    const ks = r.risk.killSwitch;
    const cancels = ks.onReconciliationFailure([1]);
    assert.deepEqual(cancels.map((c) => c.seq), [10, 11]);
    assert.equal(ks.tripped, false);
    assert.equal(ks.isHalted(1), true);
    assert.equal(r.risk.check(limit(Side.BUY, BTC, 6_000_000, 10, 1)), RejectReason.KILL_SWITCH);
    assert.equal(r.risk.check(limit(Side.BUY, BTC, 6_000_000, 10, 4)), RejectReason.NONE);
    ks.resume('bob');
    assert.equal(ks.isHalted(1), false);
  });
});
