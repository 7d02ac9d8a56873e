/**
 * Every named constant of the event schema. These objects are the single source of the
 * values: native/core/schema.h is generated from them (scripts/gen-schema.mjs) and the
 * schema identity test compares the compiled C++ values with these.
 *
 * Flag words that carry a side put it in the same two bits everywhere
 * (`BUY = 1 << SIDE_SHIFT`, `SELL = 2 << SIDE_SHIFT`), so `(flags >> SIDE_SHIFT) & 3`
 * is a `Side` value whatever the record.
 */

/** Byte 0 of every record: what the slot holds. */
export const EventType = {
  LEVEL_BID: 1,
  LEVEL_ASK: 2,
  TRADE: 3,
  BBO: 4,
  BOOK_CLEAR: 5,
  SNAPSHOT_BEGIN: 6,
  SNAPSHOT_END: 7,
  GAP: 8,
  /** A depth message with no level: the book's sequence moves to seq, nothing else changes. */
  SEQ_ADVANCE: 9,
  BOOK_CHANGED: 16,
  ORDER_INTENT: 32,
  ORDER_UPDATE: 33,
  EXEC_REPORT: 34,
  CONTROL: 48,
} as const;

export const Side = {
  NONE: 0,
  BUY: 1,
  SELL: 2,
} as const;

/** Where a market-data event came from (byte 1 of md events). */
export const Source = {
  UNKNOWN: 0,
  /** Venue streaming feed (diffs, trades, bbo). */
  VENUE_STREAM: 1,
  /** Venue request/response, e.g. a REST depth snapshot. */
  VENUE_SNAPSHOT: 2,
  /** Recorded data played back (backtest, replay). */
  REPLAY: 3,
  /** Made by the engine itself, e.g. BOOK_CLEAR before a resync. */
  ENGINE: 4,
} as const;

/** Flags of market-data events. */
export const MdFlag = {
  /** Last event of one venue message: the book publishes once per batch. */
  BATCH_END: 0x0001,
  /** Part of a snapshot (between SNAPSHOT_BEGIN and SNAPSHOT_END). */
  SNAPSHOT: 0x0002,
  /** Bid side; on TRADE: the aggressor bought. */
  BUY: 0x0004,
  /** Ask side; on TRADE: the aggressor sold. */
  SELL: 0x0008,
  /** Combinations written by decoders, named so no call site builds them by hand. */
  BID_BATCH_END: 0x0005,
  ASK_BATCH_END: 0x0009,
  SNAPSHOT_BID: 0x0006,
  SNAPSHOT_ASK: 0x000a,
  SNAPSHOT_BID_BATCH_END: 0x0007,
  SNAPSHOT_ASK_BATCH_END: 0x000b,
  SIDE_MASK: 0x000c,
} as const;

/** Flags of BOOK_CHANGED notifications. */
export const BookFlag = {
  /** The book is in sync with the venue and safe to trade on. */
  VALID: 0x0001,
  /** The book is being rebuilt (gap, reconnect, checksum): do not trade on it. */
  INVALID: 0x0002,
  /** This change came from a snapshot (the book was rebuilt). */
  SNAPSHOT: 0x0010,
  /** The best bid or ask changed. */
  TOP_CHANGED: 0x0020,
} as const;

export const IntentAction = {
  NEW: 1,
  CANCEL: 2,
  AMEND: 3,
  CANCEL_ALL: 4,
} as const;

export const IntentFlag = {
  POST_ONLY: 0x0001,
  REDUCE_ONLY: 0x0002,
  BUY: 0x0004,
  SELL: 0x0008,
  SIDE_MASK: 0x000c,
} as const;

export const OrderType = {
  LIMIT: 1,
  MARKET: 2,
} as const;

export const TimeInForce = {
  GTC: 1,
  IOC: 2,
  FOK: 3,
} as const;

/**
 * Order states (design §6). 0 is UNKNOWN so zeroed memory never claims a state; the oms
 * also uses UNKNOWN for an order whose outcome is in doubt (a lost reply, a timeout, a
 * crash between send and ack) until a venue query resolves it (src/oms/order-transitions.ts).
 */
export const OrderState = {
  UNKNOWN: 0,
  PENDING_NEW: 1,
  NEW: 2,
  PARTIALLY_FILLED: 3,
  FILLED: 4,
  CANCELED: 5,
  REJECTED: 6,
  EXPIRED: 7,
  PENDING_CANCEL: 8,
  PENDING_REPLACE: 9,
} as const;

/** Flags of order updates and exec reports. */
export const OrderFlag = {
  /** The record carries a fill (lastPx/lastQty are set). */
  FILL: 0x0001,
  /** The order reached a terminal state. */
  FINAL: 0x0002,
  BUY: 0x0004,
  SELL: 0x0008,
  /** The fill was on the passive side. */
  MAKER: 0x0010,
  /** The client order id was ours and its numeric part was parsed. */
  OURS: 0x0020,
  SIDE_MASK: 0x000c,
} as const;

/** What a venue report says happened (exec reports). */
export const ExecType = {
  NEW: 1,
  CANCELED: 2,
  REPLACED: 3,
  REJECTED: 4,
  TRADE: 5,
  EXPIRED: 6,
  /** A status answer (reconciliation query), not an event. */
  STATUS: 7,
} as const;

/** Why an order or intent was refused: pre-trade risk checks, then venue outcomes. */
export const RejectReason = {
  NONE: 0,
  MAX_QTY: 1,
  MAX_NOTIONAL: 2,
  POSITION: 3,
  PRICE_BAND: 4,
  RATE: 5,
  OPEN_ORDERS: 6,
  DAILY_LOSS: 7,
  SELF_TRADE: 8,
  TICK: 9,
  STEP: 10,
  MIN_NOTIONAL: 11,
  KILL_SWITCH: 12,
  VENUE_REJECT: 13,
  UNKNOWN_INSTRUMENT: 14,
  UNKNOWN_ORDER: 15,
  /** The intent itself is malformed (zero qty, no side, bad action). */
  INVALID_INTENT: 16,
  /** No valid mark (mid) for the instrument, so the price band or a market order's notional cannot be checked. */
  NO_MARK: 17,
} as const;

/** Why a book was cleared or a snapshot taken (BOOK_CLEAR / SNAPSHOT_* `reason`). */
export const ClearReason = {
  NONE: 0,
  INITIAL: 1,
  GAP: 2,
  RECONNECT: 3,
  CHECKSUM: 4,
  STALE: 5,
  OPERATOR: 6,
} as const;

export const ControlKind = {
  STOP: 1,
  /** Hot swap: the old worker handles events up to `atSeq`, the new one from atSeq + 1. */
  SWAP_AT_SEQ: 2,
  KILL_SWITCH: 3,
  RESUME: 4,
  /** Change one risk limit: `code` is a RiskLimit, `value` the new mantissa. */
  RISK_LIMIT: 5,
  CANCEL_ALL: 6,
  HEARTBEAT: 7,
  /** Reply to `requestId`; `code` is 0 or a RejectReason. */
  ACK: 8,
  /** Ask the io thread for a fresh snapshot of `instrument` (`code` is a ClearReason). */
  SNAPSHOT_REQUEST: 9,
} as const;

export const RiskLimit = {
  MAX_ORDER_QTY: 1,
  MAX_ORDER_NOTIONAL: 2,
  MAX_POSITION: 3,
  MAX_TOTAL_POSITION: 4,
  PRICE_BAND_BPS: 5,
  ORDER_RATE: 6,
  MAX_OPEN_ORDERS: 7,
  DAILY_LOSS: 8,
} as const;

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** "No value" for int64 prices, quantities and times. */
export const Sentinel = {
  PRICE_UNDEF: INT64_MIN,
  QTY_UNDEF: INT64_MIN,
  TIME_UNDEF: INT64_MIN,
} as const;

/** "No value" for 64-bit identifiers. Venue ids may be 0, so theirs is all ones. */
export const IdSentinel = {
  SEQ_UNDEF: UINT64_MAX,
  TRADE_ID_UNDEF: UINT64_MAX,
  VENUE_ORDER_ID_UNDEF: UINT64_MAX,
  /** veloz never assigns client order number 0. */
  CLIENT_ORDER_ID_UNDEF: 0n,
} as const;

/** "No value" for interned references; id 0 is never assigned. */
export const RefSentinel = {
  INSTRUMENT_UNDEF: 0,
  STRATEGY_UNDEF: 0,
  ASSET_UNDEF: 0,
} as const;

export const SchemaLimits = {
  SCHEMA_VERSION: 1,
  /** Slot of market-data events and most records: one cache line. */
  SLOT_BYTES: 64,
  /** Slot of exec reports (two cache lines). */
  WIDE_SLOT_BYTES: 128,
  SIDE_SHIFT: 2,
  /** Decimal places of every `fee` mantissa, whatever the fee asset. */
  FEE_SCALE: 10,
  CLIENT_ORDER_ID_TEXT_BYTES: 24,
} as const;

export type EventType = (typeof EventType)[keyof typeof EventType];
export type Side = (typeof Side)[keyof typeof Side];
export type OrderState = (typeof OrderState)[keyof typeof OrderState];
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];
