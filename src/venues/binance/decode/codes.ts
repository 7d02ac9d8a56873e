/**
 * Outcome codes, message kinds and the io block of the Binance market-data decoders.
 * The numbers are shared with native/core/md_decode_status.h; a test compares them with
 * what the addon was compiled with.
 */

/**
 * What a decode call returns when it fails (a success returns the slot count, >= 0).
 * Stable: metrics and logs use the names. Each call bumps counters[-status]
 * (counters[0] counts decoded messages).
 */
export const DecodeStatus = {
  OK: 0,
  /** Not strict RFC 8259 JSON, or containers nested deeper than MAX_JSON_DEPTH. */
  MALFORMED_JSON: -1,
  /** Longer than the decoder's maxMessageBytes. */
  TOO_LARGE: -2,
  /** Valid JSON, but not a message this decoder knows. */
  UNSUPPORTED_EVENT: -3,
  MISSING_FIELD: -4,
  /** A field has the wrong JSON type, or a level is not [price, qty, ...] strings. */
  BAD_TYPE: -5,
  /** A field the decoder reads appears twice in one object. */
  DUPLICATE_FIELD: -6,
  /** An id or time is not a non-negative integer that fits (u64; ms whose ns fit int64). */
  BAD_NUMBER: -7,
  UNKNOWN_SYMBOL: -8,
  /** A price or quantity is not a plain non-negative decimal string that fits int64. */
  BAD_DECIMAL: -9,
  /** A price or quantity has more decimals than the instrument's scale. */
  PRECISION: -10,
  /** Valid, but needs more slots than are free: result.slots says how many. Nothing written. */
  NEED_SPACE: -11,
} as const;
export type DecodeStatus = (typeof DecodeStatus)[keyof typeof DecodeStatus];
export type DecodeStatusName = keyof typeof DecodeStatus;

export const DECODE_STATUS_COUNT = 12;

/** Names indexed by -status, the order of the counters. */
export const DECODE_STATUS_NAMES: readonly DecodeStatusName[] = (() => {
  const names: DecodeStatusName[] = [];
  for (const [name, code] of Object.entries(DecodeStatus)) names[-code] = name as DecodeStatusName;
  return names;
})();

/** The stable name of a status (or 'OK' for any slot count). */
export function decodeStatusName(status: number): DecodeStatusName | 'UNKNOWN' {
  if (status >= 0) return 'OK';
  return DECODE_STATUS_NAMES[-status] ?? 'UNKNOWN';
}

export const MessageKind = {
  NONE: 0,
  DEPTH_UPDATE: 1,
  TRADE: 2,
  AGG_TRADE: 3,
  BOOK_TICKER: 4,
  DEPTH_SNAPSHOT: 5,
  /** The venue will close the connection: reconnect now. No events. */
  SERVER_SHUTDOWN: 6,
  /** {"result":..,"id":N}: a SUBSCRIBE/UNSUBSCRIBE answer. No events. */
  COMMAND_REPLY: 7,
  /** {"error":..,"id":N}. No events. */
  COMMAND_ERROR: 8,
} as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];
export type MessageKindName = keyof typeof MessageKind;
export const MESSAGE_KIND_NAMES: readonly MessageKindName[] = Object.keys(MessageKind) as MessageKindName[];

/** Containers nested deeper than this (root = 1) make a message MALFORMED_JSON. */
export const MAX_JSON_DEPTH = 16;
/** Longest venue symbol an instrument table may hold. */
export const MAX_SYMBOL_BYTES = 40;
/** Default largest frame: a 5000-level-per-side REST snapshot is about 350 kB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
export const MAX_MESSAGE_BYTES_LIMIT = 64 << 20;

/**
 * The io block shared by a decoder and its caller (a SharedArrayBuffer, 96 bytes):
 *
 *   0      4       8          12      16        24    32        40           48          56        64          72         80         88        96
 *   | kind | status | instrument | slots | firstSeq | seq | prevSeq | lastTradeId | exchTimeNs | txTimeNs | requestId | reserved | startPos | freeSlots |
 *   |<------------------------------------- result record, written by the decoder ------------------------------------------->|<- call params (f64) ->|
 *
 * The result record is fully written on success and on NEED_SPACE; after any other
 * failure only kind (when known) and status are set, the rest holds defaults (0,
 * SEQ_UNDEF, TIME_UNDEF). firstSeq: depth U, aggTrade f. seq: depth u, snapshot
 * lastUpdateId, trade t, aggTrade a, bookTicker u. prevSeq: futures depth pu.
 * lastTradeId: aggTrade l. exchTimeNs: E. txTimeNs: T. requestId: command id.
 */
export const IO = {
  kind: 0,
  status: 4,
  instrument: 8,
  slots: 12,
  firstSeq: 16,
  seq: 24,
  prevSeq: 32,
  lastTradeId: 40,
  exchTimeNs: 48,
  txTimeNs: 56,
  requestId: 64,
  startPos: 80,
  freeSlots: 88,
} as const;
export const RESULT_BYTES = 80;
export const IO_BYTES = 96;
