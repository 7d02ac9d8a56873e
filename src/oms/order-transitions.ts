/**
 * The order transition table: for every (state, event) one rule, written out below so the
 * whole behaviour can be read in one place (and each row has its own unit test).
 *
 *   PendingNew ─ack→ New ─fill→ PartiallyFilled ─fill→ Filled
 *        │  └──────── fill (before the ack) ─────────────┘
 *        ├─ reject → Rejected        New/PartiallyFilled ─cancel sent→ PendingCancel ─canceled→ Canceled
 *        ├─ canceled / expired                          ─amend sent→  PendingReplace ─replaced→ New/PartiallyFilled
 *        └─ timeout → Unknown ─status answer→ whatever the venue says
 *                             ─not found, provably never accepted→ Rejected (inferred)
 *
 * Fills are facts: a fill with a new trade id is applied in every state (positions must
 * follow the venue), before the rule decides the state. Final states are absorbing: the
 * state stays, a late fill is applied and flagged (venues do deliver fills after the
 * cancel acknowledgement). The one exception is a Rejected that we inferred ourselves
 * (NOT_FOUND): any later sign of life from the venue re-opens it as Unknown.
 */
import { OrderState } from '../core/schema/constants.js';
import { ORDER_EVENT_KINDS, OrderEventKind } from './order.js';

export const Rule = {
  /** Go to the row's `to` state. */
  TO: 1,
  /** Derive from the quantities: Filled if fully filled, else PartiallyFilled / New (PendingNew before any ack, Unknown while in doubt). */
  WORKING: 2,
  /** Stay (after noting what the event says), unless now fully filled → Filled. */
  KEEP: 3,
  /** Ignore: an older report than what we already know (counted). */
  STALE: 4,
  /** Ignore: a copy of something already applied (counted). */
  DUPLICATE: 5,
  /** Ignore: impossible in this state (counted; for our own commands, the oms must not send them). */
  ILLEGAL: 6,
  /** Take the venue's answer to a status query. */
  VENUE: 7,
  /** The venue does not know the order: Rejected only if it provably never accepted it (order-state-machine.ts). */
  NOT_FOUND: 8,
  /** The outcome of our request is unknown: → Unknown, query the venue. */
  IN_DOUBT: 9,
  /** Still Unknown and our query went unanswered: query again. */
  REQUERY: 10,
  /** The venue refused the NEW: → Rejected, unless the order was acknowledged (then ILLEGAL). */
  REJECT: 11,
  /** Final state: stays. A new fill is still applied (flagged late); a status answer is checked for missing fills. */
  ABSORB: 12,
} as const;
export type Rule = (typeof Rule)[keyof typeof Rule];

export interface TransitionRow {
  readonly from: number;
  readonly event: number;
  readonly rule: Rule;
  /** Target of Rule.TO. */
  readonly to: number;
}

const S = OrderState;
const E = OrderEventKind;
const R = Rule;

function rows(from: number, spec: [number, Rule, number?][]): TransitionRow[] {
  return spec.map(([event, rule, to]) => ({ from, event, rule, to: to ?? from }));
}

const WORKING_ROWS = (ack: Rule): [number, Rule, number?][] => [
  [E.ACK, ack],
  [E.TRADE, R.WORKING],
  [E.CANCELED, R.TO, S.CANCELED],
  [E.EXPIRED, R.TO, S.EXPIRED],
  [E.REJECTED, R.ILLEGAL],
  [E.REPLACED, R.STALE],
  [E.CANCEL_SENT, R.TO, S.PENDING_CANCEL],
  [E.CANCEL_REJECTED, R.STALE],
  [E.REPLACE_SENT, R.TO, S.PENDING_REPLACE],
  [E.REPLACE_REJECTED, R.STALE],
  [E.TIMEOUT, R.STALE],
  [E.STATUS, R.VENUE],
  [E.NOT_FOUND, R.NOT_FOUND],
];

const FINAL_ROWS = (sameReport: number): [number, Rule, number?][] => [
  [E.ACK, R.STALE],
  [E.TRADE, R.ABSORB],
  [E.CANCELED, E.CANCELED === sameReport ? R.DUPLICATE : R.STALE],
  [E.EXPIRED, E.EXPIRED === sameReport ? R.DUPLICATE : R.STALE],
  [E.REJECTED, E.REJECTED === sameReport ? R.DUPLICATE : R.STALE],
  [E.REPLACED, R.STALE],
  [E.CANCEL_SENT, R.ILLEGAL],
  [E.CANCEL_REJECTED, R.STALE],
  [E.REPLACE_SENT, R.ILLEGAL],
  [E.REPLACE_REJECTED, R.STALE],
  [E.TIMEOUT, R.STALE],
  [E.STATUS, R.ABSORB],
  [E.NOT_FOUND, R.STALE],
];

export const TRANSITIONS: readonly TransitionRow[] = [
  ...rows(S.PENDING_NEW, [
    [E.ACK, R.WORKING],
    [E.TRADE, R.WORKING],
    [E.CANCELED, R.TO, S.CANCELED],
    [E.EXPIRED, R.TO, S.EXPIRED],
    [E.REJECTED, R.REJECT],
    [E.REPLACED, R.ILLEGAL],
    [E.CANCEL_SENT, R.TO, S.PENDING_CANCEL],
    [E.CANCEL_REJECTED, R.ILLEGAL],
    [E.REPLACE_SENT, R.ILLEGAL],
    [E.REPLACE_REJECTED, R.ILLEGAL],
    [E.TIMEOUT, R.IN_DOUBT],
    [E.STATUS, R.VENUE],
    [E.NOT_FOUND, R.NOT_FOUND],
  ]),
  ...rows(S.NEW, WORKING_ROWS(R.DUPLICATE)),
  ...rows(S.PARTIALLY_FILLED, WORKING_ROWS(R.STALE)),
  ...rows(S.PENDING_CANCEL, [
    [E.ACK, R.KEEP],
    [E.TRADE, R.KEEP],
    [E.CANCELED, R.TO, S.CANCELED],
    [E.EXPIRED, R.TO, S.EXPIRED],
    [E.REJECTED, R.REJECT],
    [E.REPLACED, R.KEEP],
    [E.CANCEL_SENT, R.DUPLICATE],
    [E.CANCEL_REJECTED, R.WORKING],
    [E.REPLACE_SENT, R.ILLEGAL],
    [E.REPLACE_REJECTED, R.KEEP],
    [E.TIMEOUT, R.IN_DOUBT],
    [E.STATUS, R.VENUE],
    [E.NOT_FOUND, R.NOT_FOUND],
  ]),
  ...rows(S.PENDING_REPLACE, [
    [E.ACK, R.STALE],
    [E.TRADE, R.KEEP],
    [E.CANCELED, R.TO, S.CANCELED],
    [E.EXPIRED, R.TO, S.EXPIRED],
    [E.REJECTED, R.ILLEGAL],
    [E.REPLACED, R.WORKING],
    [E.CANCEL_SENT, R.TO, S.PENDING_CANCEL],
    [E.CANCEL_REJECTED, R.STALE],
    [E.REPLACE_SENT, R.DUPLICATE],
    [E.REPLACE_REJECTED, R.WORKING],
    [E.TIMEOUT, R.IN_DOUBT],
    [E.STATUS, R.VENUE],
    [E.NOT_FOUND, R.NOT_FOUND],
  ]),
  ...rows(S.UNKNOWN, [
    [E.ACK, R.KEEP],
    [E.TRADE, R.KEEP],
    [E.CANCELED, R.TO, S.CANCELED],
    [E.EXPIRED, R.TO, S.EXPIRED],
    [E.REJECTED, R.REJECT],
    [E.REPLACED, R.KEEP],
    [E.CANCEL_SENT, R.TO, S.PENDING_CANCEL],
    [E.CANCEL_REJECTED, R.KEEP],
    [E.REPLACE_SENT, R.ILLEGAL],
    [E.REPLACE_REJECTED, R.KEEP],
    [E.TIMEOUT, R.REQUERY],
    [E.STATUS, R.VENUE],
    [E.NOT_FOUND, R.NOT_FOUND],
  ]),
  ...rows(S.FILLED, FINAL_ROWS(0)),
  ...rows(S.CANCELED, FINAL_ROWS(E.CANCELED)),
  ...rows(S.EXPIRED, FINAL_ROWS(E.EXPIRED)),
  ...rows(S.REJECTED, FINAL_ROWS(E.REJECTED)),
];

export const ORDER_STATE_COUNT = Math.max(...Object.values(OrderState)) + 1;
const WIDTH = ORDER_EVENT_KINDS + 1;

/** Rule and target by `state * WIDTH + event`, built from TRANSITIONS (every cell must be listed once). */
export const RULE_MATRIX = new Uint8Array(ORDER_STATE_COUNT * WIDTH);
export const TARGET_MATRIX = new Uint8Array(ORDER_STATE_COUNT * WIDTH);

for (const r of TRANSITIONS) {
  const i = r.from * WIDTH + r.event;
  if (RULE_MATRIX[i] !== 0) throw new Error(`order transition (${r.from}, ${r.event}) listed twice`);
  RULE_MATRIX[i] = r.rule;
  TARGET_MATRIX[i] = r.to;
}
for (let s = 0; s < ORDER_STATE_COUNT; s++) {
  for (let e = 1; e < WIDTH; e++) {
    if (RULE_MATRIX[s * WIDTH + e] === 0) throw new Error(`order transition (${s}, ${e}) is missing`);
  }
}

export function transitionIndex(state: number, event: number): number {
  return state * WIDTH + event;
}
