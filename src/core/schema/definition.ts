/**
 * The event schema, defined once, as data. Offsets are not written here: layout.ts
 * computes them (natural alignment, fields in the order listed), the C++ header is
 * generated from the result, and its static_asserts make the compiler agree.
 *
 * Every record starts with the same 8 bytes, so any consumer can dispatch on byte 0:
 *
 *   0      1        2        4                8
 *   +------+--------+--------+----------------+
 *   | type | (kind) | flags  |  instrument    |   kind byte: source / action / state / execType
 *   +------+--------+--------+----------------+
 *
 * Market-data events then share a 32-byte header (seq, exchange time, receive time) and
 * use the second half of the cache line for their payload.
 */
import {
  BookFlag,
  ClearReason,
  ControlKind,
  EventType,
  ExecType,
  IdSentinel,
  IntentAction,
  IntentFlag,
  MdFlag,
  OrderFlag,
  OrderState,
  OrderType,
  RefSentinel,
  RejectReason,
  RiskLimit,
  SchemaLimits,
  Sentinel,
  Side,
  Source,
  TimeInForce,
} from './constants.js';

/** Integer field types; `ascii` is a fixed-size NUL-padded byte string. No floats. */
export type FieldType = 'u8' | 'u16' | 'u32' | 'i32' | 'u64' | 'i64' | 'ascii';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** Bytes of an `ascii` field. */
  readonly length?: number;
  readonly doc: string;
}

export interface RecordSpec<F extends readonly FieldSpec[] = readonly FieldSpec[]> {
  readonly name: string;
  /** Slot size: 64, or 128 where a record cannot fit one cache line (justified in doc). */
  readonly slotBytes: 64 | 128;
  /** EventType names a record of this shape carries in byte 0. */
  readonly types: readonly (keyof typeof EventType)[];
  readonly doc: string;
  readonly fields: F;
}

function record<const F extends readonly FieldSpec[]>(spec: RecordSpec<F>): RecordSpec<F> {
  return spec;
}

/**
 * What a book needs to check a depth message's place in the venue sequence, repeated on
 * every event of the message (seq holds the last update id). Same offsets (48, 56) in
 * MdLevel and MdMarker, so a sequencer reads them without looking at the type.
 */
const MD_SEQ_RANGE = [
  { name: 'firstSeq', type: 'u64', doc: 'first venue update id of the message (Binance U); SEQ_UNDEF if none' },
  { name: 'prevSeq', type: 'u64', doc: 'last update id of the previous message (Binance futures pu); SEQ_UNDEF if none' },
] as const;

const MD_HEADER = [
  { name: 'type', type: 'u8', doc: 'EventType' },
  { name: 'source', type: 'u8', doc: 'Source' },
  { name: 'flags', type: 'u16', doc: 'MdFlag bits' },
  { name: 'instrument', type: 'u32', doc: 'interned instrument id' },
  { name: 'seq', type: 'u64', doc: 'venue sequence (update id); SEQ_UNDEF when the venue sends none' },
  { name: 'exchTimeNs', type: 'i64', doc: 'venue event time, ns since the Unix epoch; TIME_UNDEF if absent' },
  { name: 'recvTimeNs', type: 'i64', doc: 'CLOCK_MONOTONIC ns when the bytes arrived, stamped by native code' },
] as const;

export const MdLevel = record({
  name: 'MdLevel',
  slotBytes: 64,
  types: ['LEVEL_BID', 'LEVEL_ASK'],
  doc: 'One price level set to a quantity; a venue depth message becomes one event per level, the last flagged BATCH_END.',
  fields: [
    ...MD_HEADER,
    { name: 'price', type: 'i64', doc: 'price mantissa at the instrument priceScale' },
    { name: 'qty', type: 'i64', doc: 'quantity mantissa at qtyScale; 0 removes the level' },
    ...MD_SEQ_RANGE,
  ],
});

export const MdTrade = record({
  name: 'MdTrade',
  slotBytes: 64,
  types: ['TRADE'],
  doc: 'A public trade; the aggressor side is the BUY/SELL flag.',
  fields: [
    ...MD_HEADER,
    { name: 'price', type: 'i64', doc: 'price mantissa' },
    { name: 'qty', type: 'i64', doc: 'quantity mantissa' },
    { name: 'tradeId', type: 'u64', doc: 'venue trade id; TRADE_ID_UNDEF if absent' },
  ],
});

export const MdBbo = record({
  name: 'MdBbo',
  slotBytes: 64,
  types: ['BBO'],
  doc: 'Best bid and offer from a venue top-of-book stream.',
  fields: [
    ...MD_HEADER,
    { name: 'bidPrice', type: 'i64', doc: 'PRICE_UNDEF when the side is empty' },
    { name: 'bidQty', type: 'i64', doc: 'quantity mantissa' },
    { name: 'askPrice', type: 'i64', doc: 'PRICE_UNDEF when the side is empty' },
    { name: 'askQty', type: 'i64', doc: 'quantity mantissa' },
  ],
});

export const MdMarker = record({
  name: 'MdMarker',
  slotBytes: 64,
  types: ['BOOK_CLEAR', 'SNAPSHOT_BEGIN', 'SNAPSHOT_END', 'SEQ_ADVANCE'],
  doc:
    'Book markers: clear both sides, bracket the level events of a snapshot, or advance the ' +
    'sequence for a depth message that changed no level.',
  fields: [
    ...MD_HEADER,
    { name: 'levelCount', type: 'u32', doc: 'SNAPSHOT_BEGIN/END: level events between them (0 if unknown)' },
    { name: 'reason', type: 'u16', doc: 'ClearReason' },
    { name: 'bidCount', type: 'u32', doc: 'SNAPSHOT_BEGIN/END: how many of levelCount are bids (they come first)' },
    ...MD_SEQ_RANGE,
  ],
});

export const MdGap = record({
  name: 'MdGap',
  slotBytes: 64,
  types: ['GAP'],
  doc: 'The venue sequence jumped: the book is invalid until a snapshot arrives.',
  fields: [
    ...MD_HEADER,
    { name: 'expectedSeq', type: 'u64', doc: 'sequence the feed expected next' },
    { name: 'receivedSeq', type: 'u64', doc: 'first sequence of the message that arrived instead' },
  ],
});

export const BookChanged = record({
  name: 'BookChanged',
  slotBytes: 64,
  types: ['BOOK_CHANGED'],
  doc: 'Broadcast by the book worker after it applied a batch; the book itself is read from shared memory.',
  fields: [
    { name: 'type', type: 'u8', doc: 'EventType.BOOK_CHANGED' },
    { name: 'source', type: 'u8', doc: 'Source of the batch that changed the book' },
    { name: 'flags', type: 'u16', doc: 'BookFlag bits' },
    { name: 'instrument', type: 'u32', doc: 'interned instrument id' },
    { name: 'bookVersion', type: 'u64', doc: 'seqlock version of the shared book after this change' },
    { name: 'seq', type: 'u64', doc: 'venue sequence of the last applied event' },
    { name: 'exchTimeNs', type: 'i64', doc: 'venue time of the last applied event' },
    { name: 'recvTimeNs', type: 'i64', doc: 'receive stamp of the venue message (end-to-end latency starts here)' },
    { name: 'publishTimeNs', type: 'i64', doc: 'CLOCK_MONOTONIC ns when the book worker published' },
    { name: 'bidPrice', type: 'i64', doc: 'best bid after the change; PRICE_UNDEF if none' },
    { name: 'askPrice', type: 'i64', doc: 'best ask after the change; PRICE_UNDEF if none' },
  ],
});

export const OrderIntent = record({
  name: 'OrderIntent',
  slotBytes: 64,
  types: ['ORDER_INTENT'],
  doc: 'What a strategy wants done, sent to the oms which checks and executes it.',
  fields: [
    { name: 'type', type: 'u8', doc: 'EventType.ORDER_INTENT' },
    { name: 'action', type: 'u8', doc: 'IntentAction' },
    { name: 'flags', type: 'u16', doc: 'IntentFlag bits (side, post-only, reduce-only)' },
    { name: 'instrument', type: 'u32', doc: 'interned instrument id (CANCEL_ALL: INSTRUMENT_UNDEF = all)' },
    { name: 'strategyId', type: 'u32', doc: 'interned strategy name' },
    { name: 'orderType', type: 'u8', doc: 'OrderType' },
    { name: 'tif', type: 'u8', doc: 'TimeInForce' },
    { name: 'intentId', type: 'u64', doc: 'per-strategy increasing id, echoed in rejects' },
    { name: 'clientOrderId', type: 'u64', doc: 'numeric part of the client order id (NEW: assigned by the strategy SDK)' },
    { name: 'price', type: 'i64', doc: 'limit price mantissa; PRICE_UNDEF for market orders' },
    { name: 'qty', type: 'i64', doc: 'quantity mantissa' },
    { name: 'createdTimeNs', type: 'i64', doc: 'CLOCK_MONOTONIC ns when the strategy emitted it' },
    { name: 'triggerRecvTimeNs', type: 'i64', doc: 'receive stamp of the market event that caused it (tick-to-order)' },
  ],
});

export const OrderUpdate = record({
  name: 'OrderUpdate',
  slotBytes: 64,
  types: ['ORDER_UPDATE'],
  doc: 'The oms tells a strategy its order changed state or filled.',
  fields: [
    { name: 'type', type: 'u8', doc: 'EventType.ORDER_UPDATE' },
    { name: 'state', type: 'u8', doc: 'OrderState after this update' },
    { name: 'flags', type: 'u16', doc: 'OrderFlag bits (side, fill, final, maker)' },
    { name: 'instrument', type: 'u32', doc: 'interned instrument id' },
    { name: 'strategyId', type: 'u32', doc: 'owning strategy' },
    { name: 'reason', type: 'u16', doc: 'RejectReason (NONE unless rejected)' },
    { name: 'feeAsset', type: 'u16', doc: 'interned asset of `fee`; ASSET_UNDEF if no fee' },
    { name: 'clientOrderId', type: 'u64', doc: 'numeric part of the client order id' },
    { name: 'filledQty', type: 'i64', doc: 'cumulative filled quantity' },
    { name: 'leavesQty', type: 'i64', doc: 'quantity still working' },
    { name: 'lastPx', type: 'i64', doc: 'price of this fill; PRICE_UNDEF without FILL' },
    { name: 'lastQty', type: 'i64', doc: 'quantity of this fill; 0 without FILL' },
    { name: 'fee', type: 'i64', doc: 'fee of this fill at FEE_SCALE (negative: rebate)' },
  ],
});

export const ExecReport = record({
  name: 'ExecReport',
  slotBytes: 128,
  types: ['EXEC_REPORT'],
  doc:
    'A venue report, io thread to oms. Two cache lines: the venue client order id is kept verbatim ' +
    '(24 ASCII bytes) for reconciliation next to all the numeric fields; exec reports come at order ' +
    'rate, not market-data rate, so the second line costs nothing that matters.',
  fields: [
    { name: 'type', type: 'u8', doc: 'EventType.EXEC_REPORT' },
    { name: 'execType', type: 'u8', doc: 'ExecType' },
    { name: 'flags', type: 'u16', doc: 'OrderFlag bits (side, fill, final, maker, ours)' },
    { name: 'instrument', type: 'u32', doc: 'interned instrument id' },
    { name: 'status', type: 'u8', doc: 'OrderState the venue reports' },
    { name: 'orderType', type: 'u8', doc: 'OrderType' },
    { name: 'tif', type: 'u8', doc: 'TimeInForce' },
    { name: 'clientOrderIdLen', type: 'u8', doc: 'bytes used in clientOrderIdText' },
    { name: 'reason', type: 'u16', doc: 'RejectReason (VENUE_REJECT with a venue code in the log)' },
    { name: 'feeAsset', type: 'u16', doc: 'interned asset of `fee`' },
    { name: 'venueOrderId', type: 'u64', doc: 'venue order id; VENUE_ORDER_ID_UNDEF if not yet known' },
    { name: 'clientOrderId', type: 'u64', doc: 'numeric part when the id is ours (OURS flag), else CLIENT_ORDER_ID_UNDEF' },
    { name: 'price', type: 'i64', doc: 'order price mantissa; PRICE_UNDEF for market orders' },
    { name: 'qty', type: 'i64', doc: 'order quantity mantissa' },
    { name: 'cumQty', type: 'i64', doc: 'cumulative filled quantity' },
    { name: 'lastPx', type: 'i64', doc: 'price of this fill; PRICE_UNDEF without FILL' },
    { name: 'lastQty', type: 'i64', doc: 'quantity of this fill' },
    { name: 'fee', type: 'i64', doc: 'fee of this fill at FEE_SCALE' },
    { name: 'tradeId', type: 'u64', doc: 'venue trade id of this fill; TRADE_ID_UNDEF otherwise' },
    { name: 'venueTimeNs', type: 'i64', doc: 'venue transaction time, ns since the Unix epoch' },
    { name: 'recvTimeNs', type: 'i64', doc: 'CLOCK_MONOTONIC ns when the report arrived' },
    {
      name: 'clientOrderIdText',
      type: 'ascii',
      length: SchemaLimits.CLIENT_ORDER_ID_TEXT_BYTES,
      doc: 'client order id as the venue sent it, NUL padded',
    },
  ],
});

export const Control = record({
  name: 'Control',
  slotBytes: 64,
  types: ['CONTROL'],
  doc: 'Operator and engine commands between threads (stop, hot swap, kill switch, limits).',
  fields: [
    { name: 'type', type: 'u8', doc: 'EventType.CONTROL' },
    { name: 'kind', type: 'u8', doc: 'ControlKind' },
    { name: 'flags', type: 'u16', doc: 'reserved, 0' },
    { name: 'instrument', type: 'u32', doc: 'target instrument; INSTRUMENT_UNDEF = all' },
    { name: 'strategyId', type: 'u32', doc: 'target strategy; STRATEGY_UNDEF = all' },
    { name: 'code', type: 'u32', doc: 'RiskLimit (RISK_LIMIT), RejectReason (ACK), ClearReason (SNAPSHOT_REQUEST)' },
    { name: 'requestId', type: 'u64', doc: 'correlates an ACK with its request' },
    { name: 'atSeq', type: 'u64', doc: 'SWAP_AT_SEQ: last event sequence the old worker handles' },
    { name: 'value', type: 'i64', doc: 'RISK_LIMIT: the new limit (mantissa or count)' },
    { name: 'timeNs', type: 'i64', doc: 'CLOCK_MONOTONIC ns when sent' },
  ],
});

/** Every record, in the order the header lists them. */
export const RECORDS = [
  MdLevel,
  MdTrade,
  MdBbo,
  MdMarker,
  MdGap,
  BookChanged,
  OrderIntent,
  OrderUpdate,
  ExecReport,
  Control,
] as const satisfies readonly RecordSpec[];

/** Integer C type of a constant group. */
export type ConstantType = 'u8' | 'u16' | 'u32' | 'u64' | 'i64';

export interface ConstantGroup {
  readonly name: string;
  readonly type: ConstantType;
  readonly values: Readonly<Record<string, number | bigint>>;
}

/** Every constant group, with the integer type it is stored as. */
export const CONSTANT_GROUPS: readonly ConstantGroup[] = [
  { name: 'EventType', type: 'u8', values: EventType },
  { name: 'Side', type: 'u8', values: Side },
  { name: 'Source', type: 'u8', values: Source },
  { name: 'MdFlag', type: 'u16', values: MdFlag },
  { name: 'BookFlag', type: 'u16', values: BookFlag },
  { name: 'IntentAction', type: 'u8', values: IntentAction },
  { name: 'IntentFlag', type: 'u16', values: IntentFlag },
  { name: 'OrderType', type: 'u8', values: OrderType },
  { name: 'TimeInForce', type: 'u8', values: TimeInForce },
  { name: 'OrderState', type: 'u8', values: OrderState },
  { name: 'OrderFlag', type: 'u16', values: OrderFlag },
  { name: 'ExecType', type: 'u8', values: ExecType },
  { name: 'RejectReason', type: 'u16', values: RejectReason },
  { name: 'ClearReason', type: 'u16', values: ClearReason },
  { name: 'ControlKind', type: 'u8', values: ControlKind },
  { name: 'RiskLimit', type: 'u32', values: RiskLimit },
  { name: 'Sentinel', type: 'i64', values: Sentinel },
  { name: 'IdSentinel', type: 'u64', values: IdSentinel },
  { name: 'RefSentinel', type: 'u32', values: RefSentinel },
  { name: 'SchemaLimits', type: 'u32', values: SchemaLimits },
];
