/**
 * One test per row of the transition table: each starting state is reached through real
 * events, one standard event is applied, and the resulting state and effects are compared
 * with expectations written out here by hand (not read from the table). A last test
 * checks that these cases cover every row of the table.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RejectReason } from '../../src/core/schema/constants.js';
import { ORDER_EVENT_NAMES, ORDER_STATE_NAMES, type Order } from '../../src/oms/order.js';
import { Effect } from '../../src/oms/order-state-machine.js';
import { TRANSITIONS } from '../../src/oms/order-transitions.js';
import { apply, ev, GRACE_NS, K, newOrder, S } from './helpers.js';

/** A fresh order (qty 10 @ 100) driven to `state`. */
function reach(state: number): Order {
  const o = newOrder();
  const steps: Record<number, [number, object][]> = {
    [S.PENDING_NEW]: [],
    [S.NEW]: [[K.ACK, {}]],
    [S.PARTIALLY_FILLED]: [[K.ACK, {}], [K.TRADE, { tradeId: 1n, lastQty: 4n, lastPx: 100n, cumQty: 4n }]],
    [S.FILLED]: [[K.ACK, {}], [K.TRADE, { tradeId: 1n, lastQty: 10n, lastPx: 100n, cumQty: 10n }]],
    [S.CANCELED]: [[K.ACK, {}], [K.CANCELED, { cumQty: 0n }]],
    [S.EXPIRED]: [[K.ACK, {}], [K.EXPIRED, { cumQty: 0n }]],
    [S.REJECTED]: [[K.REJECTED, { reason: RejectReason.VENUE_REJECT }]],
    [S.PENDING_CANCEL]: [[K.ACK, {}], [K.CANCEL_SENT, {}]],
    [S.PENDING_REPLACE]: [[K.ACK, {}], [K.REPLACE_SENT, { price: 101n, qty: 12n }]],
    [S.UNKNOWN]: [[K.TIMEOUT, {}]],
  };
  for (const [kind, fields] of steps[state]!) apply(o, ev(kind, fields));
  assert.equal(o.state, state, `setup reached ${ORDER_STATE_NAMES[o.state]}`);
  return o;
}

/** The standard event of each kind, given the order it is applied to. */
function standard(kind: number, o: Order) {
  const known = o.venueCumQty;
  switch (kind) {
    case K.ACK:
      return ev(kind, { venueOrderId: 77n, cumQty: 0n });
    case K.TRADE:
      return ev(kind, { tradeId: 900n, lastQty: 2n, lastPx: 100n, cumQty: known + 2n });
    case K.CANCELED:
    case K.EXPIRED:
      return ev(kind, { cumQty: known });
    case K.REJECTED:
    case K.CANCEL_REJECTED:
    case K.REPLACE_REJECTED:
      return ev(kind, { reason: RejectReason.VENUE_REJECT });
    case K.REPLACED:
    case K.REPLACE_SENT:
      return ev(kind, { price: 101n, qty: 12n });
    case K.STATUS:
      return ev(kind, { status: S.NEW, cumQty: known });
    case K.NOT_FOUND:
      return ev(kind, {}, 5 * GRACE_NS);
    default:
      return ev(kind);
  }
}

type Flag = 'STALE' | 'DUPLICATE' | 'ILLEGAL' | 'FILL' | 'FINAL' | 'QUERY' | 'REVIEW' | 'LATE_FILL' | 'OVERFILL';
type Case = [from: keyof typeof S, event: keyof typeof K, to: keyof typeof S, flags?: Flag[]];

const working = (from: 'NEW' | 'PARTIALLY_FILLED'): Case[] => [
  [from, 'ACK', from, [from === 'NEW' ? 'DUPLICATE' : 'STALE']],
  [from, 'TRADE', 'PARTIALLY_FILLED', ['FILL']],
  [from, 'CANCELED', 'CANCELED', ['FINAL']],
  [from, 'EXPIRED', 'EXPIRED', ['FINAL']],
  [from, 'REJECTED', from, ['ILLEGAL']],
  [from, 'REPLACED', from, ['STALE']],
  [from, 'CANCEL_SENT', 'PENDING_CANCEL'],
  [from, 'CANCEL_REJECTED', from, ['STALE']],
  [from, 'REPLACE_SENT', 'PENDING_REPLACE'],
  [from, 'REPLACE_REJECTED', from, ['STALE']],
  [from, 'TIMEOUT', from, ['STALE']],
  [from, 'STATUS', from],
  [from, 'NOT_FOUND', from, ['REVIEW']],
];

const final = (from: 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED'): Case[] => [
  [from, 'ACK', from, ['STALE']],
  [from, 'TRADE', from, from === 'FILLED' ? ['FILL', 'LATE_FILL', 'OVERFILL'] : from === 'REJECTED' ? ['FILL', 'LATE_FILL', 'REVIEW'] : ['FILL', 'LATE_FILL']],
  [from, 'CANCELED', from, [from === 'CANCELED' ? 'DUPLICATE' : 'STALE']],
  [from, 'EXPIRED', from, [from === 'EXPIRED' ? 'DUPLICATE' : 'STALE']],
  [from, 'REJECTED', from, [from === 'REJECTED' ? 'DUPLICATE' : 'STALE']],
  [from, 'REPLACED', from, ['STALE']],
  [from, 'CANCEL_SENT', from, ['ILLEGAL']],
  [from, 'CANCEL_REJECTED', from, ['STALE']],
  [from, 'REPLACE_SENT', from, ['ILLEGAL']],
  [from, 'REPLACE_REJECTED', from, ['STALE']],
  [from, 'TIMEOUT', from, ['STALE']],
  [from, 'STATUS', from],
  [from, 'NOT_FOUND', from, ['STALE']],
];

const CASES: Case[] = [
  ['PENDING_NEW', 'ACK', 'NEW'],
  ['PENDING_NEW', 'TRADE', 'PARTIALLY_FILLED', ['FILL']],
  ['PENDING_NEW', 'CANCELED', 'CANCELED', ['FINAL']],
  ['PENDING_NEW', 'EXPIRED', 'EXPIRED', ['FINAL']],
  ['PENDING_NEW', 'REJECTED', 'REJECTED', ['FINAL']],
  ['PENDING_NEW', 'REPLACED', 'PENDING_NEW', ['ILLEGAL']],
  ['PENDING_NEW', 'CANCEL_SENT', 'PENDING_CANCEL'],
  ['PENDING_NEW', 'CANCEL_REJECTED', 'PENDING_NEW', ['ILLEGAL']],
  ['PENDING_NEW', 'REPLACE_SENT', 'PENDING_NEW', ['ILLEGAL']],
  ['PENDING_NEW', 'REPLACE_REJECTED', 'PENDING_NEW', ['ILLEGAL']],
  ['PENDING_NEW', 'TIMEOUT', 'UNKNOWN', ['QUERY']],
  ['PENDING_NEW', 'STATUS', 'NEW'],
  ['PENDING_NEW', 'NOT_FOUND', 'REJECTED', ['FINAL']],
  ...working('NEW'),
  ...working('PARTIALLY_FILLED'),
  ['PENDING_CANCEL', 'ACK', 'PENDING_CANCEL'],
  ['PENDING_CANCEL', 'TRADE', 'PENDING_CANCEL', ['FILL']],
  ['PENDING_CANCEL', 'CANCELED', 'CANCELED', ['FINAL']],
  ['PENDING_CANCEL', 'EXPIRED', 'EXPIRED', ['FINAL']],
  ['PENDING_CANCEL', 'REJECTED', 'PENDING_CANCEL', ['ILLEGAL']],
  ['PENDING_CANCEL', 'REPLACED', 'PENDING_CANCEL'],
  ['PENDING_CANCEL', 'CANCEL_SENT', 'PENDING_CANCEL', ['DUPLICATE']],
  ['PENDING_CANCEL', 'CANCEL_REJECTED', 'NEW'],
  ['PENDING_CANCEL', 'REPLACE_SENT', 'PENDING_CANCEL', ['ILLEGAL']],
  ['PENDING_CANCEL', 'REPLACE_REJECTED', 'PENDING_CANCEL'],
  ['PENDING_CANCEL', 'TIMEOUT', 'UNKNOWN', ['QUERY']],
  ['PENDING_CANCEL', 'STATUS', 'PENDING_CANCEL'],
  ['PENDING_CANCEL', 'NOT_FOUND', 'PENDING_CANCEL', ['REVIEW']],
  ['PENDING_REPLACE', 'ACK', 'PENDING_REPLACE', ['STALE']],
  ['PENDING_REPLACE', 'TRADE', 'PENDING_REPLACE', ['FILL']],
  ['PENDING_REPLACE', 'CANCELED', 'CANCELED', ['FINAL']],
  ['PENDING_REPLACE', 'EXPIRED', 'EXPIRED', ['FINAL']],
  ['PENDING_REPLACE', 'REJECTED', 'PENDING_REPLACE', ['ILLEGAL']],
  ['PENDING_REPLACE', 'REPLACED', 'NEW'],
  ['PENDING_REPLACE', 'CANCEL_SENT', 'PENDING_CANCEL'],
  ['PENDING_REPLACE', 'CANCEL_REJECTED', 'PENDING_REPLACE', ['STALE']],
  ['PENDING_REPLACE', 'REPLACE_SENT', 'PENDING_REPLACE', ['DUPLICATE']],
  ['PENDING_REPLACE', 'REPLACE_REJECTED', 'NEW'],
  ['PENDING_REPLACE', 'TIMEOUT', 'UNKNOWN', ['QUERY']],
  ['PENDING_REPLACE', 'STATUS', 'PENDING_REPLACE'],
  ['PENDING_REPLACE', 'NOT_FOUND', 'PENDING_REPLACE', ['REVIEW']],
  ['UNKNOWN', 'ACK', 'UNKNOWN'],
  ['UNKNOWN', 'TRADE', 'UNKNOWN', ['FILL']],
  ['UNKNOWN', 'CANCELED', 'CANCELED', ['FINAL']],
  ['UNKNOWN', 'EXPIRED', 'EXPIRED', ['FINAL']],
  ['UNKNOWN', 'REJECTED', 'REJECTED', ['FINAL']],
  ['UNKNOWN', 'REPLACED', 'UNKNOWN'],
  ['UNKNOWN', 'CANCEL_SENT', 'PENDING_CANCEL'],
  ['UNKNOWN', 'CANCEL_REJECTED', 'UNKNOWN'],
  ['UNKNOWN', 'REPLACE_SENT', 'UNKNOWN', ['ILLEGAL']],
  ['UNKNOWN', 'REPLACE_REJECTED', 'UNKNOWN'],
  ['UNKNOWN', 'TIMEOUT', 'UNKNOWN', ['QUERY']],
  ['UNKNOWN', 'STATUS', 'NEW'],
  ['UNKNOWN', 'NOT_FOUND', 'REJECTED', ['FINAL']],
  ...final('FILLED'),
  ...final('CANCELED'),
  ...final('EXPIRED'),
  ...final('REJECTED'),
];

const IGNORED: Flag[] = ['STALE', 'DUPLICATE', 'ILLEGAL'];

describe('order transition table', () => {
  for (const [from, event, to, flags = []] of CASES) {
    it(`${from} + ${event} → ${to}${flags.length ? ` [${flags.join(', ')}]` : ''}`, () => {
      const o = reach(S[from]);
      const before = { cum: o.cumQty, qty: o.qty, price: o.price };
      const eff = apply(o, standard(K[event], o));
      assert.equal(ORDER_STATE_NAMES[o.state], to);
      for (const f of flags) assert.ok((eff & Effect[f]) !== 0, `effect ${f} expected, got 0x${eff.toString(16)}`);
      for (const f of IGNORED) {
        if (!flags.includes(f)) assert.equal(eff & Effect[f], 0, `effect ${f} not expected`);
      }
      if (IGNORED.some((f) => flags.includes(f))) {
        // An ignored event changes nothing about the order.
        assert.deepEqual({ cum: o.cumQty, qty: o.qty, price: o.price }, before);
      }
      if (flags.includes('FILL')) assert.equal(o.cumQty, before.cum + 2n);
      if (event === 'REPLACED' && !IGNORED.some((f) => flags.includes(f))) assert.deepEqual([o.qty, o.price], [12n, 101n]);
    });
  }

  it('has exactly one case per table row', () => {
    const covered = new Set(CASES.map(([f, e]) => `${S[f]}:${K[e]}`));
    assert.equal(covered.size, CASES.length, 'a case is listed twice');
    const rows = new Set(TRANSITIONS.map((r) => `${r.from}:${r.event}`));
    const missing = [...rows].filter((r) => !covered.has(r)).map((r) => {
      const [s, e] = r.split(':').map(Number);
      return `${ORDER_STATE_NAMES[s!]}+${ORDER_EVENT_NAMES[e!]}`;
    });
    assert.deepEqual(missing, []);
    assert.equal(rows.size, covered.size);
  });
});
