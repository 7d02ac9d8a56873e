import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IdSentinel, RejectReason } from '../../src/core/schema/constants.js';
import { Effect, TransitionResult } from '../../src/oms/order-state-machine.js';
import { apply, ev, GRACE_NS, K, newOrder, S } from './helpers.js';

const trade = (id: bigint | null, lastQty: bigint, cumQty: bigint, lastPx = 100n) =>
  ev(K.TRADE, { tradeId: id ?? IdSentinel.TRADE_ID_UNDEF, lastQty, lastPx, cumQty, fee: 3n, feeAsset: 'USDT' });

describe('order state machine', () => {
  it('fills before the ack move PendingNew straight to PartiallyFilled / Filled; the late ack is stale', () => {
    const o = newOrder(10n);
    const out = new TransitionResult();
    const e1 = apply(o, trade(1n, 4n, 4n, 99n), out);
    assert.equal(o.state, S.PARTIALLY_FILLED);
    assert.ok(e1 & Effect.FILL && e1 & Effect.UPDATE && e1 & Effect.OPEN_CHANGED);
    assert.deepEqual([out.fillQty, out.fillPx, out.fee, out.feeAsset], [4n, 99n, 3n, 'USDT']);
    apply(o, trade(2n, 6n, 10n));
    assert.equal(o.state, S.FILLED);
    assert.equal(o.leavesQty, 0n);
    assert.ok(apply(o, ev(K.ACK, { cumQty: 0n })) & Effect.STALE);
    assert.equal(o.cumNotional, 4n * 99n + 6n * 100n);
  });

  it('applies a trade id once and counts the copies', () => {
    const o = newOrder(10n);
    apply(o, ev(K.ACK));
    apply(o, trade(7n, 3n, 3n));
    const eff = apply(o, trade(7n, 3n, 3n));
    assert.equal(eff & Effect.FILL, 0);
    assert.ok(eff & Effect.DUPLICATE);
    assert.equal(o.cumQty, 3n);
    assert.equal(o.duplicateReports, 1);
  });

  it('applies a reordered fill with a new trade id even though its cumQty is lower', () => {
    const o = newOrder(10n);
    apply(o, trade(2n, 3n, 5n));
    assert.equal(o.venueCumQty, 5n);
    assert.equal(o.cumQty, 3n);
    assert.ok(apply(o, trade(1n, 2n, 2n)) & Effect.FILL);
    assert.equal(o.cumQty, 5n);
  });

  it('orders fills without a trade id by cumQty: a lower or equal one is stale', () => {
    const o = newOrder(10n);
    apply(o, trade(null, 3n, 3n));
    const eff = apply(o, trade(null, 3n, 3n));
    assert.ok(eff & Effect.STALE);
    assert.equal(o.cumQty, 3n);
    assert.equal(o.staleReports, 1);
    apply(o, trade(null, 2n, 5n));
    assert.equal(o.cumQty, 5n);
  });

  it('a status answer older than what we know is stale', () => {
    const o = newOrder(10n);
    apply(o, ev(K.ACK));
    apply(o, trade(1n, 6n, 6n));
    const eff = apply(o, ev(K.STATUS, { status: S.NEW, cumQty: 0n }));
    assert.ok(eff & Effect.STALE);
    assert.equal(o.state, S.PARTIALLY_FILLED);
  });

  it('flags an overfill once and still books the fill', () => {
    const o = newOrder(10n);
    apply(o, trade(1n, 8n, 8n));
    const e1 = apply(o, trade(2n, 4n, 12n));
    assert.ok(e1 & Effect.OVERFILL && e1 & Effect.REVIEW && e1 & Effect.FILL);
    assert.equal(o.cumQty, 12n);
    assert.equal(o.overfill, true);
    assert.equal(o.state, S.FILLED);
    const e2 = apply(o, trade(3n, 1n, 13n));
    assert.equal(e2 & Effect.OVERFILL, 0, 'flagged once');
    assert.ok(e2 & Effect.LATE_FILL);
    assert.equal(o.cumQty, 13n);
  });

  it('applies and flags a fill that arrives after the cancel confirmation', () => {
    const o = newOrder(10n);
    apply(o, ev(K.ACK));
    apply(o, ev(K.CANCEL_SENT));
    const c = apply(o, ev(K.CANCELED, { cumQty: 2n }));
    assert.equal(o.state, S.CANCELED);
    assert.ok(c & Effect.FINAL && c & Effect.FILLS_MISSING, 'the venue says 2 filled; we have no fill yet');
    const f = apply(o, trade(5n, 2n, 2n));
    assert.ok(f & Effect.FILL && f & Effect.LATE_FILL);
    assert.equal(f & Effect.FILLS_MISSING, 0);
    assert.equal(o.state, S.CANCELED);
    assert.equal(o.cumQty, 2n);
    assert.equal(o.lateFills, 1);
  });

  it('a lost reply: Unknown, query; not found before the grace keeps asking, after it is an inferred reject', () => {
    const o = newOrder(10n);
    assert.ok(apply(o, ev(K.TIMEOUT, {}, 100)) & Effect.QUERY);
    assert.equal(o.state, S.UNKNOWN);
    const early = apply(o, ev(K.NOT_FOUND, {}, GRACE_NS - 1));
    assert.ok(early & Effect.QUERY);
    assert.equal(o.state, S.UNKNOWN);
    const late = apply(o, ev(K.NOT_FOUND, {}, GRACE_NS));
    assert.ok(late & Effect.FINAL);
    assert.equal(o.state, S.REJECTED);
    assert.equal(o.reason, RejectReason.UNKNOWN_ORDER);
    assert.equal(o.inferred, true);
  });

  it('re-opens an inferred reject when the venue shows the order after all', () => {
    const o = newOrder(10n);
    apply(o, ev(K.TIMEOUT));
    apply(o, ev(K.NOT_FOUND, {}, GRACE_NS));
    const eff = apply(o, trade(1n, 3n, 3n));
    assert.ok(eff & Effect.QUERY && eff & Effect.REVIEW && eff & Effect.FILL);
    assert.equal(o.state, S.UNKNOWN);
    assert.equal(o.inferred, false);
    apply(o, ev(K.STATUS, { status: S.PARTIALLY_FILLED, cumQty: 3n }));
    assert.equal(o.state, S.PARTIALLY_FILLED);
    assert.equal(o.inDoubt, false);
  });

  it('never declares an order the venue has shown us non-existent', () => {
    const o = newOrder(10n);
    apply(o, ev(K.ACK));
    apply(o, ev(K.CANCEL_SENT));
    apply(o, ev(K.TIMEOUT));
    assert.equal(o.state, S.UNKNOWN);
    const eff = apply(o, ev(K.NOT_FOUND, {}, 10 * GRACE_NS));
    assert.ok(eff & Effect.REVIEW);
    assert.equal(o.state, S.UNKNOWN);
  });

  it('a cancel sent while in doubt falls back to Unknown when refused', () => {
    const o = newOrder(10n);
    apply(o, ev(K.TIMEOUT));
    apply(o, ev(K.CANCEL_SENT));
    assert.equal(o.state, S.PENDING_CANCEL);
    apply(o, ev(K.CANCEL_REJECTED, { reason: RejectReason.UNKNOWN_ORDER }));
    assert.equal(o.state, S.UNKNOWN);
  });

  it('a cancel refused as unknown order restores the working state and asks the venue', () => {
    const o = newOrder(10n);
    apply(o, ev(K.ACK));
    apply(o, trade(1n, 4n, 4n));
    apply(o, ev(K.CANCEL_SENT));
    const eff = apply(o, ev(K.CANCEL_REJECTED, { reason: RejectReason.UNKNOWN_ORDER }));
    assert.equal(o.state, S.PARTIALLY_FILLED);
    assert.ok(eff & Effect.QUERY);
    assert.equal(o.reason, RejectReason.UNKNOWN_ORDER);
  });

  it('an amend to a quantity already filled completes the order', () => {
    const o = newOrder(10n);
    apply(o, ev(K.ACK));
    apply(o, trade(1n, 6n, 6n));
    apply(o, ev(K.REPLACE_SENT, { qty: 6n, price: 100n }));
    assert.deepEqual([o.pendingQty, o.state], [6n, S.PENDING_REPLACE]);
    const eff = apply(o, ev(K.REPLACED, {}));
    assert.equal(o.qty, 6n, 'takes the pending values when the report carries none');
    assert.equal(o.state, S.FILLED);
    assert.ok(eff & Effect.FINAL);
  });

  it('a cancel sent during an amend keeps the amend result when it lands', () => {
    const o = newOrder(10n);
    apply(o, ev(K.ACK));
    apply(o, ev(K.REPLACE_SENT, { qty: 8n, price: 101n }));
    apply(o, ev(K.CANCEL_SENT));
    apply(o, ev(K.REPLACED, { qty: 8n, price: 101n }));
    assert.deepEqual([o.state, o.qty, o.price], [S.PENDING_CANCEL, 8n, 101n]);
  });

  it('keeps the venue order id from reports, not from ignored ones', () => {
    const o = newOrder(10n);
    apply(o, ev(K.ACK, { venueOrderId: 5n }));
    apply(o, ev(K.ACK, { venueOrderId: 6n }));
    assert.equal(o.venueOrderId, 5n);
  });

  it('refuses malformed fills', () => {
    const o = newOrder(10n);
    assert.ok(apply(o, trade(1n, 0n, 0n)) & Effect.ILLEGAL);
    assert.ok(apply(o, ev(K.TRADE, { tradeId: 2n, lastQty: 1n })) & Effect.ILLEGAL, 'no price');
    assert.equal(o.cumQty, 0n);
  });

  it('a pending-cancel order that fills completely is Filled', () => {
    const o = newOrder(10n);
    apply(o, ev(K.ACK));
    apply(o, ev(K.CANCEL_SENT));
    apply(o, trade(1n, 10n, 10n));
    assert.equal(o.state, S.FILLED);
    assert.ok(apply(o, ev(K.CANCEL_REJECTED, { reason: RejectReason.UNKNOWN_ORDER })) & Effect.STALE);
  });
});
