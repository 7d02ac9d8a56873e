// Outcome codes, message kinds and the result record of the market-data decoders.
// The numbers are shared with src/venues/binance/decode/codes.ts; a test compares
// what this header compiles to (the decoder binding reports it) with the TS values.
#pragma once
#include <cstddef>
#include <cstdint>

namespace veloz::md {

// Returned by a decode call: >= 0 is the number of slots written, < 0 one of these.
// Each failure is counted in counters[-status]; counters[0] counts decoded messages.
enum class DecodeStatus : int32_t {
  Ok = 0,
  MalformedJson = -1,     // not strict RFC 8259 JSON (or nested deeper than kMaxJsonDepth)
  TooLarge = -2,          // frame longer than the decoder's maxMessageBytes
  UnsupportedEvent = -3,  // valid JSON, but not a message this decoder knows
  MissingField = -4,      // a required field is absent
  BadType = -5,           // a field has the wrong JSON type (or a level is not [price, qty, ...])
  DuplicateField = -6,    // a field the decoder reads appears twice in one object
  BadNumber = -7,         // an id or time is not a non-negative integer that fits
  UnknownSymbol = -8,     // the symbol is not in the instrument table
  BadDecimal = -9,        // a price or quantity is not a plain decimal that fits int64
  Precision = -10,        // a price or quantity has more decimals than the instrument scale
  NeedSpace = -11,        // valid, but needs more slots than are free (result.slots says how many)
};
inline constexpr int32_t kDecodeStatusCount = 12;
// Stable names, indexed by -status (the same names as DecodeStatus in codes.ts).
inline constexpr const char* kDecodeStatusNames[kDecodeStatusCount] = {
    "OK",           "MALFORMED_JSON", "TOO_LARGE",      "UNSUPPORTED_EVENT", "MISSING_FIELD", "BAD_TYPE",
    "DUPLICATE_FIELD", "BAD_NUMBER",  "UNKNOWN_SYMBOL", "BAD_DECIMAL",       "PRECISION",     "NEED_SPACE",
};

enum class MessageKind : int32_t {
  None = 0,
  DepthUpdate = 1,
  Trade = 2,
  AggTrade = 3,
  BookTicker = 4,
  DepthSnapshot = 5,
  ServerShutdown = 6,
  CommandReply = 7,  // {"result":..,"id":N}: a SUBSCRIBE/UNSUBSCRIBE answer
  CommandError = 8,  // {"error":..,"id":N}
};
inline constexpr int32_t kMessageKindCount = 9;
inline constexpr const char* kMessageKindNames[kMessageKindCount] = {
    "NONE",           "DEPTH_UPDATE",    "TRADE",         "AGG_TRADE",     "BOOK_TICKER",
    "DEPTH_SNAPSHOT", "SERVER_SHUTDOWN", "COMMAND_REPLY", "COMMAND_ERROR",
};

// Containers nested deeper than this make a message MalformedJson (root object = 1).
inline constexpr int kMaxJsonDepth = 16;
// Symbols longer than this are never in the table.
inline constexpr size_t kMaxSymbolBytes = 40;

// The per-call header a decoder writes next to the events, 80 bytes, little-endian.
// Fully written on success and on NeedSpace; on any other failure only kind (when
// known) and status are set and every other field holds its default (0 or UNDEF).
struct DecodeResultRecord {
  int32_t kind;            // MessageKind
  int32_t status;          // the value the call returned (slot count or DecodeStatus)
  uint32_t instrument;     // instrument id; 0 when none
  uint32_t slots;          // slots written; on NeedSpace, slots needed
  uint64_t first_seq;      // depth U; aggTrade f (first trade id)
  uint64_t seq;            // depth u, snapshot lastUpdateId, trade t, aggTrade a, bookTicker u
  uint64_t prev_seq;       // futures depth pu
  uint64_t last_trade_id;  // aggTrade l
  int64_t exch_time_ns;    // E in ns
  int64_t tx_time_ns;      // T in ns (futures depth, trades)
  uint64_t request_id;     // id of a command reply or error
  uint64_t reserved;       // 0
};
static_assert(sizeof(DecodeResultRecord) == 80, "result record is 80 bytes");
static_assert(offsetof(DecodeResultRecord, first_seq) == 16, "first_seq");
static_assert(offsetof(DecodeResultRecord, exch_time_ns) == 48, "exch_time_ns");
static_assert(offsetof(DecodeResultRecord, request_id) == 64, "request_id");

}  // namespace veloz::md
