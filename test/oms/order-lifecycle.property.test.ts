/**
 * Property: venue reports of a real order lifecycle, delivered shuffled, duplicated and
 * partly dropped, leave the order consistent:
 *   - cumQty is the sum of the distinct fills delivered (and, once the missing trades are
 *     fetched, the venue's filled quantity);
 *   - never more than the order quantity, and no overfill flag (these lifecycles never
 *     overfill);
 *   - when the venue's final report was delivered, the order is in that final state
 *     right after delivery;
 *   - the order is Unknown only after a request was left unanswered (our TIMEOUT), and a
 *     query answer resolves it to what the venue says.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ORDER_STATE_NAMES, type Order, type OrderEvent } from '../../src/oms/order.js';
import { Effect } from '../../src/oms/order-state-machine.js';
import { apply, ev, GRACE_NS, K, newOrder, S } from './helpers.js';

const SEED = Number(process.env['VELOZ_PROPERTY_SEED'] ?? 424242);
const RUNS = Number(process.env['VELOZ_PROPERTY_RUNS'] ?? 3000);

type Kind = 'lost' | 'rejected' | 'filled' | 'canceled' | 'expired' | 'working' | 'replaced';

interface Item {
  ev: OrderEvent;
  /** Our own request (kept in order, delivered before the reports answering it). */
  local: boolean;
  /** Items that must be delivered before this one (the request a report answers; the ack an amend waits for). */
  deps: number[];
  /** Must be delivered at least once (the ack the oms saw before it could send an amend). */
  required?: boolean;
  /** Changes the order quantity: the final report only settles the state if this arrived too. */
  qtyChange?: boolean;
  /** The venue's last word on the order. */
  final: boolean;
  tradeQty: bigint;
}

interface Lifecycle {
  qty: bigint;
  items: Item[];
  truth: { state: number; cum: bigint; qty: bigint; existed: boolean };
}

function build(kind: Kind, qty: number, pieces: number[], replaceAt: number): Lifecycle {
  const Q = BigInt(qty);
  const items: Item[] = [];
  let cum = 0n;
  let tradeId = 100n;
  let orderQty = Q;
  const push = (e: OrderEvent, o: Partial<Item> = {}) => items.push({ ev: e, local: false, deps: [], final: false, tradeQty: 0n, ...o });
  const trades = (target: bigint) => {
    for (const p of pieces) {
      if (cum >= target) break;
      let q = BigInt(p);
      if (cum + q > target) q = target - cum;
      cum += q;
      push(ev(K.TRADE, { tradeId: tradeId++, lastQty: q, lastPx: 100n + cum, cumQty: cum }), { tradeQty: q });
    }
    if (cum < target) {
      const q = target - cum;
      cum = target;
      push(ev(K.TRADE, { tradeId: tradeId++, lastQty: q, lastPx: 100n, cumQty: cum }), { tradeQty: q });
    }
  };
  const partial = Q > 1n ? BigInt(pieces.reduce((a, b) => a + b, 0)) % Q : 0n; // 0 .. Q-1
  switch (kind) {
    case 'lost':
      return { qty: Q, items, truth: { state: S.REJECTED, cum: 0n, qty: Q, existed: false } };
    case 'rejected':
      push(ev(K.REJECTED, { reason: 13 }), { final: true });
      return { qty: Q, items, truth: { state: S.REJECTED, cum: 0n, qty: Q, existed: false } };
    case 'filled':
      push(ev(K.ACK, { cumQty: 0n, venueOrderId: 9n }));
      trades(Q);
      items[items.length - 1]!.final = true;
      return { qty: Q, items, truth: { state: S.FILLED, cum: Q, qty: Q, existed: true } };
    case 'working':
      push(ev(K.ACK, { cumQty: 0n, venueOrderId: 9n }));
      trades(partial);
      return { qty: Q, items, truth: { state: partial > 0n ? S.PARTIALLY_FILLED : S.NEW, cum: partial, qty: Q, existed: true } };
    case 'canceled': {
      push(ev(K.ACK, { cumQty: 0n, venueOrderId: 9n }));
      trades(partial);
      const req = items.length;
      push(ev(K.CANCEL_SENT), { local: true });
      push(ev(K.CANCELED, { cumQty: cum }), { deps: [req], final: true });
      return { qty: Q, items, truth: { state: S.CANCELED, cum, qty: Q, existed: true } };
    }
    case 'expired':
      if (pieces.length % 2 === 0) push(ev(K.ACK, { cumQty: 0n, venueOrderId: 9n }));
      trades(partial);
      push(ev(K.EXPIRED, { cumQty: cum }), { final: true });
      return { qty: Q, items, truth: { state: S.EXPIRED, cum, qty: Q, existed: true } };
    case 'replaced': {
      push(ev(K.ACK, { cumQty: 0n, venueOrderId: 9n }), { required: true });
      const before = Q > 1n ? BigInt(replaceAt) % Q : 0n; // < Q
      trades(before);
      orderQty = before + 1n + (BigInt(replaceAt) % (Q - before)); // before+1 .. Q
      const req = items.length;
      push(ev(K.REPLACE_SENT, { qty: orderQty, price: 101n }), { local: true, deps: [0] });
      push(ev(K.REPLACED, { qty: orderQty, price: 101n, cumQty: cum }), { deps: [req], qtyChange: true });
      trades(orderQty);
      items[items.length - 1]!.final = true;
      return { qty: Q, items, truth: { state: S.FILLED, cum: orderQty, qty: orderQty, existed: true } };
    }
  }
}

/**
 * Delivery order: by random key, except that an item never goes before what it depends on
 * (items are built in causal order, so one pass settles every constraint). Reports are
 * delivered 0, 1 or 2 times; our own requests and required reports at least once.
 */
function deliver(l: Lifecycle, keys: number[], copies: number[]): Item[] {
  const keyed = l.items.map((it, i) => ({ it, i, key: keys[i % keys.length]! + i * 1e-9, n: it.local ? 1 : Math.max(copies[i % copies.length]!, it.required ? 1 : 0) }));
  let lastLocal = -Infinity;
  for (const k of keyed) {
    for (const d of k.it.deps) k.key = Math.max(k.key, keyed[d]!.key + 1e-6);
    if (k.it.local) lastLocal = k.key = Math.max(k.key, lastLocal + 1e-6);
  }
  const out: Item[] = [];
  for (const k of keyed.sort((a, b) => a.key - b.key)) for (let c = 0; c < k.n; c++) out.push(k.it);
  return out;
}

const arbKind = fc.constantFrom<Kind>('lost', 'rejected', 'filled', 'canceled', 'expired', 'working', 'replaced');

describe('order lifecycle under shuffled, duplicated and dropped reports', () => {
  it('ends consistent with the venue', () => {
    fc.assert(
      fc.property(
        arbKind,
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 32, maxLength: 32 }),
        fc.array(fc.constantFrom(0, 1, 1, 1, 2, 2), { minLength: 32, maxLength: 32 }),
        (kind, qty, pieces, replaceAt, keys, copies) => {
          const l = build(kind, qty, pieces, replaceAt);
          const seq = deliver(l, keys, copies);
          const o: Order = newOrder(l.qty);
          const delivered = new Set<Item>(seq);
          let t = 0;
          let missingSeen = false;
          for (const it of seq) {
            const e = it.ev;
            e.timeNs = t += 10;
            const eff = apply(o, e);
            if ((eff & Effect.FILLS_MISSING) !== 0) missingSeen = true;
            assert.notEqual(o.state, S.UNKNOWN, 'Unknown without a lost reply');
            assert.ok(o.cumQty <= o.qty || o.overfill, 'cumQty above qty must be flagged');
          }
          const distinctFills = [...delivered].reduce((a, it) => a + it.tradeQty, 0n);
          assert.equal(o.cumQty, distinctFills, 'cumQty = sum of distinct delivered fills');
          assert.equal(o.overfill, false);
          const finalDelivered = l.items.some((it) => it.final && delivered.has(it)) && l.items.every((it) => !it.qtyChange || delivered.has(it));
          if (finalDelivered) assert.equal(ORDER_STATE_NAMES[o.state], ORDER_STATE_NAMES[l.truth.state], 'final report delivered');

          // Anything left open: our request timed out (Unknown if one was pending), then we ask.
          if (!o.isFinal) {
            const pending = o.state === S.PENDING_NEW || o.state === S.PENDING_CANCEL || o.state === S.PENDING_REPLACE;
            apply(o, ev(K.TIMEOUT, {}, (t += 10)));
            assert.equal(o.state === S.UNKNOWN, pending, 'Unknown exactly when a request was left unanswered');
            if (l.truth.existed) {
              apply(o, ev(K.STATUS, { status: l.truth.state, cumQty: l.truth.cum, qty: l.truth.qty }, (t += 10)));
            } else {
              // Too early: the venue might still accept it; must not conclude.
              const early = apply(o, ev(K.NOT_FOUND, {}, 1));
              if (o.state === S.UNKNOWN) assert.ok((early & Effect.QUERY) !== 0);
              apply(o, ev(K.NOT_FOUND, {}, GRACE_NS + 10));
            }
          }
          assert.equal(ORDER_STATE_NAMES[o.state], ORDER_STATE_NAMES[l.truth.state], 'resolved to the venue state');
          assert.equal(o.qty, l.truth.qty);
          // Fetch the trades the venue has and we lack (dropped reports).
          if (o.venueCumQty > o.cumQty) {
            assert.ok(missingSeen || o.isFinal || o.venueCumQty > o.cumQty);
            for (const it of l.items) if (it.tradeQty > 0n) apply(o, it.ev);
          }
          assert.equal(o.cumQty, l.truth.cum, 'all fills booked once');
          assert.equal(o.venueCumQty, l.truth.cum);
          assert.equal(o.leavesQty, o.isFinal ? 0n : l.truth.qty - l.truth.cum);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
