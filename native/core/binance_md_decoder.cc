#include "core/binance_md_decoder.h"

#include <cstring>
#include <new>

#include "core/decimal.h"
#include "core/plain_decimal.h"
#include "core/schema.h"

namespace veloz::md::binance {

namespace s = veloz::schema;
using json::Token;

namespace {

constexpr int64_t kNsPerMs = 1000000;
constexpr uint64_t kMaxMs = static_cast<uint64_t>(INT64_MAX / kNsPerMs);

DecodeStatus need_u64(const FieldTable& t, int f, uint64_t* out) {
  const Token& k = t.field[f];
  if (k.kind == json::kAbsent) return DecodeStatus::MissingField;
  if (k.kind != json::kNumber) return DecodeStatus::BadType;
  return json::parse_u64(k, out) ? DecodeStatus::Ok : DecodeStatus::BadNumber;
}

DecodeStatus opt_u64(const FieldTable& t, int f, uint64_t* out) {
  return t.field[f].kind == json::kAbsent ? DecodeStatus::Ok : need_u64(t, f, out);
}

// Binance times are epoch milliseconds; events carry nanoseconds, so the product must
// fit int64 (up to the year 2262).
DecodeStatus need_time(const FieldTable& t, int f, int64_t* out) {
  uint64_t ms = 0;
  const DecodeStatus st = need_u64(t, f, &ms);
  if (st != DecodeStatus::Ok) return st;
  if (ms > kMaxMs) return DecodeStatus::BadNumber;
  *out = static_cast<int64_t>(ms) * kNsPerMs;
  return DecodeStatus::Ok;
}

DecodeStatus opt_time(const FieldTable& t, int f, int64_t* out) {
  return t.field[f].kind == json::kAbsent ? DecodeStatus::Ok : need_time(t, f, out);
}

DecodeStatus need_kind(const FieldTable& t, int f, char kind) {
  const char k = t.field[f].kind;
  if (k == json::kAbsent) return DecodeStatus::MissingField;
  return k == kind ? DecodeStatus::Ok : DecodeStatus::BadType;
}

DecodeStatus need_bool(const FieldTable& t, int f, bool* out) {
  const char k = t.field[f].kind;
  if (k == json::kAbsent) return DecodeStatus::MissingField;
  if (k != json::kTrue && k != json::kFalse) return DecodeStatus::BadType;
  *out = k == json::kTrue;
  return DecodeStatus::Ok;
}

// A price or quantity: the string's raw bytes (escapes are not decoded, so an escaped
// digit is a bad decimal) at the instrument's scale, never negative.
DecodeStatus decimal(const Token& tok, int scale, int64_t* out) {
  if (plain_decimal(tok.p, tok.n, scale, out)) return DecodeStatus::Ok;
  switch (parse_decimal(tok.p, tok.n, scale, false, out)) {
    case DecimalStatus::Ok:
      return DecodeStatus::Ok;
    case DecimalStatus::Precision:
      return DecodeStatus::Precision;
    default:
      return DecodeStatus::BadDecimal;
  }
}

DecodeStatus need_decimal(const FieldTable& t, int f, int scale, int64_t* out) {
  const DecodeStatus st = need_kind(t, f, json::kString);
  return st != DecodeStatus::Ok ? st : decimal(t.field[f], scale, out);
}

#define VELOZ_TRY(expr)                                   \
  do {                                                    \
    const DecodeStatus veloz_st_ = (expr);                \
    if (veloz_st_ != DecodeStatus::Ok) return veloz_st_;  \
  } while (0)

template <typename Record>
void store(void* slot, const Record& r) {
  static_assert(sizeof(Record) == MdDecoder::kSlotBytes, "one slot per record");
  std::memcpy(slot, &r, sizeof r);
}

// Header fields shared by every md event of one message.
struct Common {
  uint8_t source;
  uint32_t instrument;
  uint64_t seq;
  int64_t exch_ns;
  int64_t recv_ns;
  uint64_t first_seq;
  uint64_t prev_seq;
};

template <typename Record>
Record header(uint8_t type, uint16_t flags, const Common& c) {
  Record r;
  std::memset(static_cast<void*>(&r), 0, sizeof r);  // alignment holes too: the bytes are compared with the TS twin
  r.type = type;
  r.source = c.source;
  r.flags = flags;
  r.instrument = c.instrument;
  r.seq = c.seq;
  r.exch_time_ns = c.exch_ns;
  r.recv_time_ns = c.recv_ns;
  return r;
}

void put_marker(void* slot, uint8_t type, uint16_t flags, const Common& c, uint32_t level_count, uint32_t bid_count) {
  s::MdMarker m = header<s::MdMarker>(type, flags, c);
  m.level_count = level_count;
  m.reason = s::ClearReason::NONE;
  m.bid_count = bid_count;
  m.first_seq = c.first_seq;
  m.prev_seq = c.prev_seq;
  store(slot, m);
}

void add_batch_end(void* slot) {
  uint16_t flags;
  std::memcpy(&flags, static_cast<unsigned char*>(slot) + offsetof(s::MdLevel, flags), sizeof flags);
  flags |= s::MdFlag::BATCH_END;
  std::memcpy(static_cast<unsigned char*>(slot) + offsetof(s::MdLevel, flags), &flags, sizeof flags);
}

}  // namespace

struct MdDecoder::Context {
  const FieldTable* root;
  const FieldTable* p;  // the payload: root, or the combined stream's data
  const LevelTokens* levels;
  const InstrumentIndex::Entry* instrument;
  Common common;
  DecodeResultRecord r;
  size_t count;  // events staged
  int snapshot_instrument;  // >= 0: decoding a REST snapshot for this entry
};

MdDecoder::MdDecoder(Market market, const std::vector<InstrumentSpec>& instruments, size_t max_message_bytes)
    : market_(market), max_bytes_(max_message_bytes), instruments_(instruments), scanner_(max_message_bytes) {
  staging_.resize(256);
}

MdDecoder::Slot* MdDecoder::staging(size_t count) {
  if (staging_.size() < count) staging_.resize(count + count / 2);
  return staging_.data();
}

int32_t MdDecoder::decode_stream(const uint8_t* frame, size_t len, int64_t recv_ns, const RingTarget& ring,
                                 DecodeResultRecord* result) {
  return run(frame, len, -1, recv_ns, ring, result);
}

int32_t MdDecoder::decode_snapshot(const uint8_t* body, size_t len, int instrument_index, int64_t recv_ns,
                                   const RingTarget& ring, DecodeResultRecord* result) {
  return run(body, len, instrument_index, recv_ns, ring, result);
}

int32_t MdDecoder::run(const uint8_t* frame, size_t len, int snapshot_instrument, int64_t recv_ns, const RingTarget& ring,
                       DecodeResultRecord* result) {
  Context c{};
  c.r.seq = c.r.first_seq = c.r.prev_seq = c.r.last_trade_id = c.r.request_id = s::IdSentinel::SEQ_UNDEF;
  c.r.exch_time_ns = c.r.tx_time_ns = s::Sentinel::TIME_UNDEF;
  c.snapshot_instrument = snapshot_instrument;
  c.common.recv_ns = recv_ns;
  if (snapshot_instrument >= 0) c.r.kind = static_cast<int32_t>(MessageKind::DepthSnapshot);
  DecodeStatus st;
  try {
    if (len > max_bytes_) {
      st = DecodeStatus::TooLarge;
    } else if (!scanner_.scan(frame, len)) {
      st = DecodeStatus::MalformedJson;
    } else {
      c.root = &scanner_.root();
      c.levels = scanner_.levels();
      st = decode(c);
    }
  } catch (const std::bad_alloc&) {
    st = DecodeStatus::TooLarge;  // a buffer could not grow to hold this message
  }
  if (st == DecodeStatus::Ok && c.count > ring.free_slots) st = DecodeStatus::NeedSpace;
  DecodeResultRecord out{};
  std::memset(static_cast<void*>(&out), 0, sizeof out);
  if (st == DecodeStatus::Ok || st == DecodeStatus::NeedSpace) {
    out = c.r;
    out.slots = static_cast<uint32_t>(c.count);
  } else {
    out.seq = out.first_seq = out.prev_seq = out.last_trade_id = out.request_id = s::IdSentinel::SEQ_UNDEF;
    out.exch_time_ns = out.tx_time_ns = s::Sentinel::TIME_UNDEF;
    out.kind = c.r.kind;
  }
  int32_t ret = static_cast<int32_t>(st);
  if (st == DecodeStatus::Ok) {
    const uint64_t first = ring.start_pos & (ring.capacity - 1);
    const uint64_t head = c.count < ring.capacity - first ? c.count : ring.capacity - first;
    std::memcpy(ring.slots + first * kSlotBytes, staging_.data(), head * kSlotBytes);
    std::memcpy(ring.slots, staging_.data() + head, (c.count - head) * kSlotBytes);
    ret = static_cast<int32_t>(c.count);
  }
  out.status = ret;
  out.reserved = 0;
  std::memcpy(result, &out, sizeof out);
  ++counters_[st == DecodeStatus::Ok ? 0 : -static_cast<int32_t>(st)];
  return ret;
}

// Which message this is, then its fields in a fixed order (the order the error codes
// are reported in): wrapper, event type, times, symbol, ids, then prices and levels.
DecodeStatus MdDecoder::decode(Context& c) {
  const FieldTable& root = *c.root;
  if (!scanner_.root_is_object()) return DecodeStatus::UnsupportedEvent;
  if (root.duplicate) return DecodeStatus::DuplicateField;
  if (c.snapshot_instrument >= 0) {
    c.p = &root;
    return depth_snapshot(c);
  }
  const bool wrapped = root.field[kFstream].kind != json::kAbsent;
  c.p = &root;
  if (wrapped) {
    if (root.field[kFstream].kind != json::kString) return DecodeStatus::BadType;
    VELOZ_TRY(need_kind(root, kFdata, json::kObject));
    c.p = &scanner_.data();
    if (c.p->duplicate) return DecodeStatus::DuplicateField;
  }
  const FieldTable& p = *c.p;
  const Token& e = p.field[kFe];
  MessageKind kind = MessageKind::None;
  if (e.kind != json::kAbsent) {
    if (e.kind != json::kString) return DecodeStatus::BadType;
    if (json::equals(e.p, e.n, "depthUpdate", 11)) kind = MessageKind::DepthUpdate;
    else if (json::equals(e.p, e.n, "trade", 5)) kind = MessageKind::Trade;
    else if (json::equals(e.p, e.n, "aggTrade", 8)) kind = MessageKind::AggTrade;
    else if (json::equals(e.p, e.n, "bookTicker", 10)) kind = MessageKind::BookTicker;
    else if (json::equals(e.p, e.n, "serverShutdown", 14)) kind = MessageKind::ServerShutdown;
    else return DecodeStatus::UnsupportedEvent;
  } else if (p.field[kFu].kind != json::kAbsent) {
    kind = MessageKind::BookTicker;  // spot bookTicker has no "e"
  } else if (!wrapped && root.field[kFresult].kind != json::kAbsent) {
    kind = MessageKind::CommandReply;
  } else if (!wrapped && root.field[kFerror].kind != json::kAbsent) {
    kind = MessageKind::CommandError;
  } else {
    return DecodeStatus::UnsupportedEvent;
  }
  c.r.kind = static_cast<int32_t>(kind);
  switch (kind) {
    case MessageKind::DepthUpdate:
      return depth_update(c);
    case MessageKind::Trade:
      return trade(c, false);
    case MessageKind::AggTrade:
      return trade(c, true);
    case MessageKind::BookTicker:
      return book_ticker(c);
    case MessageKind::ServerShutdown:
      return opt_time(p, kFE, &c.r.exch_time_ns);
    default: {
      // {"result":..,"id":N} or {"error":..,"id":N}; Binance answers an unparsable request with "id":null.
      if (root.field[kFid].kind == json::kNull) return DecodeStatus::Ok;
      return need_u64(root, kFid, &c.r.request_id);
    }
  }
}

DecodeStatus MdDecoder::depth_update(Context& c) {
  const FieldTable& p = *c.p;
  VELOZ_TRY(need_time(p, kFE, &c.r.exch_time_ns));
  VELOZ_TRY(opt_time(p, kFT, &c.r.tx_time_ns));
  VELOZ_TRY(need_kind(p, kFs, json::kString));
  const int at = instruments_.find(p.field[kFs].p, p.field[kFs].n);
  if (at < 0) return DecodeStatus::UnknownSymbol;
  c.instrument = &instruments_.at(at);
  c.r.instrument = c.instrument->id;
  VELOZ_TRY(need_u64(p, kFU, &c.r.first_seq));
  VELOZ_TRY(need_u64(p, kFu, &c.r.seq));
  VELOZ_TRY(market_ == Market::UsdM ? need_u64(p, kFpu, &c.r.prev_seq) : opt_u64(p, kFpu, &c.r.prev_seq));
  VELOZ_TRY(need_kind(p, kFb, json::kArray));
  VELOZ_TRY(need_kind(p, kFa, json::kArray));
  c.common = Common{s::Source::VENUE_STREAM, c.r.instrument, c.r.seq, c.r.exch_time_ns, c.common.recv_ns, c.r.first_seq, c.r.prev_seq};
  const size_t bids = p.level_count[level_side_of(kFb)];
  const size_t asks = p.level_count[level_side_of(kFa)];
  if (bids + asks == 0) {
    put_marker(staging(1), s::EventType::SEQ_ADVANCE, s::MdFlag::BATCH_END, c.common, 0, 0);
    c.count = 1;
    return DecodeStatus::Ok;
  }
  staging(bids + asks);
  VELOZ_TRY(levels(c, level_side_of(kFb), true, 0));
  VELOZ_TRY(levels(c, level_side_of(kFa), false, bids));
  c.count = bids + asks;
  add_batch_end(&staging_[c.count - 1]);
  return DecodeStatus::Ok;
}

DecodeStatus MdDecoder::depth_snapshot(Context& c) {
  const FieldTable& p = *c.p;
  c.instrument = &instruments_.at(c.snapshot_instrument);
  c.r.instrument = c.instrument->id;
  VELOZ_TRY(need_u64(p, kFlastUpdateId, &c.r.seq));
  VELOZ_TRY(opt_time(p, kFE, &c.r.exch_time_ns));
  VELOZ_TRY(opt_time(p, kFT, &c.r.tx_time_ns));
  VELOZ_TRY(need_kind(p, kFbids, json::kArray));
  VELOZ_TRY(need_kind(p, kFasks, json::kArray));
  c.common = Common{s::Source::VENUE_SNAPSHOT, c.r.instrument, c.r.seq, c.r.exch_time_ns, c.common.recv_ns,
                    s::IdSentinel::SEQ_UNDEF, s::IdSentinel::SEQ_UNDEF};
  const size_t bids = p.level_count[level_side_of(kFbids)];
  const size_t asks = p.level_count[level_side_of(kFasks)];
  Slot* out = staging(bids + asks + 2);
  VELOZ_TRY(levels(c, level_side_of(kFbids), true, 1));
  VELOZ_TRY(levels(c, level_side_of(kFasks), false, 1 + bids));
  const uint32_t n = static_cast<uint32_t>(bids + asks);
  put_marker(&out[0], s::EventType::SNAPSHOT_BEGIN, s::MdFlag::SNAPSHOT, c.common, n, static_cast<uint32_t>(bids));
  put_marker(&out[n + 1], s::EventType::SNAPSHOT_END, s::MdFlag::SNAPSHOT | s::MdFlag::BATCH_END, c.common, n,
             static_cast<uint32_t>(bids));
  c.count = n + 2;
  return DecodeStatus::Ok;
}

// One side's [price, qty] lists into staging slots [at, at + count): bids before asks,
// each in message order. Staging is already large enough.
DecodeStatus MdDecoder::levels(Context& c, int side, bool bids, size_t at) {
  const FieldTable& p = *c.p;
  const LevelTokens* list = c.levels + p.level_begin[side];
  const uint32_t n = p.level_count[side];
  const bool snapshot = c.common.source == s::Source::VENUE_SNAPSHOT;
  const uint16_t flags = bids ? (snapshot ? s::MdFlag::SNAPSHOT_BID : s::MdFlag::BUY)
                              : (snapshot ? s::MdFlag::SNAPSHOT_ASK : s::MdFlag::SELL);
  const uint8_t type = bids ? s::EventType::LEVEL_BID : s::EventType::LEVEL_ASK;
  Slot* out = staging_.data() + at;
  for (uint32_t i = 0; i < n; ++i) {
    const LevelTokens& l = list[i];
    if (!l.is_array || l.elements < 2 || l.price.kind != json::kString || l.qty.kind != json::kString) {
      return DecodeStatus::BadType;
    }
    s::MdLevel ev = header<s::MdLevel>(type, flags, c.common);
    VELOZ_TRY(decimal(l.price, c.instrument->price_scale, &ev.price));
    VELOZ_TRY(decimal(l.qty, c.instrument->qty_scale, &ev.qty));
    ev.first_seq = c.common.first_seq;
    ev.prev_seq = c.common.prev_seq;
    store(&out[i], ev);
  }
  return DecodeStatus::Ok;
}

DecodeStatus MdDecoder::trade(Context& c, bool aggregated) {
  const FieldTable& p = *c.p;
  VELOZ_TRY(need_time(p, kFE, &c.r.exch_time_ns));
  VELOZ_TRY(opt_time(p, kFT, &c.r.tx_time_ns));
  VELOZ_TRY(need_kind(p, kFs, json::kString));
  const int at = instruments_.find(p.field[kFs].p, p.field[kFs].n);
  if (at < 0) return DecodeStatus::UnknownSymbol;
  c.instrument = &instruments_.at(at);
  c.r.instrument = c.instrument->id;
  if (aggregated) {
    VELOZ_TRY(need_u64(p, kFa, &c.r.seq));
    VELOZ_TRY(need_u64(p, kFf, &c.r.first_seq));
    VELOZ_TRY(need_u64(p, kFl, &c.r.last_trade_id));
  } else {
    VELOZ_TRY(need_u64(p, kFt, &c.r.seq));
  }
  int64_t price = 0;
  int64_t qty = 0;
  bool buyer_maker = false;
  VELOZ_TRY(need_decimal(p, kFp, c.instrument->price_scale, &price));
  VELOZ_TRY(need_decimal(p, kFq, c.instrument->qty_scale, &qty));
  VELOZ_TRY(need_bool(p, kFm, &buyer_maker));
  c.common = Common{s::Source::VENUE_STREAM, c.r.instrument, c.r.seq, c.r.exch_time_ns, c.common.recv_ns,
                    s::IdSentinel::SEQ_UNDEF, s::IdSentinel::SEQ_UNDEF};
  // The buyer was the resting order, so the seller crossed the spread.
  const uint16_t side = buyer_maker ? s::MdFlag::SELL : s::MdFlag::BUY;
  s::MdTrade ev = header<s::MdTrade>(s::EventType::TRADE, side | s::MdFlag::BATCH_END, c.common);
  ev.price = price;
  ev.qty = qty;
  ev.trade_id = c.r.seq;
  store(staging(1), ev);
  c.count = 1;
  return DecodeStatus::Ok;
}

DecodeStatus MdDecoder::book_ticker(Context& c) {
  const FieldTable& p = *c.p;
  VELOZ_TRY(opt_time(p, kFE, &c.r.exch_time_ns));
  VELOZ_TRY(opt_time(p, kFT, &c.r.tx_time_ns));
  VELOZ_TRY(need_kind(p, kFs, json::kString));
  const int at = instruments_.find(p.field[kFs].p, p.field[kFs].n);
  if (at < 0) return DecodeStatus::UnknownSymbol;
  c.instrument = &instruments_.at(at);
  c.r.instrument = c.instrument->id;
  VELOZ_TRY(need_u64(p, kFu, &c.r.seq));
  c.common = Common{s::Source::VENUE_STREAM, c.r.instrument, c.r.seq, c.r.exch_time_ns, c.common.recv_ns,
                    s::IdSentinel::SEQ_UNDEF, s::IdSentinel::SEQ_UNDEF};
  s::MdBbo ev = header<s::MdBbo>(s::EventType::BBO, s::MdFlag::BATCH_END, c.common);
  VELOZ_TRY(need_decimal(p, kFb, c.instrument->price_scale, &ev.bid_price));
  VELOZ_TRY(need_decimal(p, kFB, c.instrument->qty_scale, &ev.bid_qty));
  VELOZ_TRY(need_decimal(p, kFa, c.instrument->price_scale, &ev.ask_price));
  VELOZ_TRY(need_decimal(p, kFA, c.instrument->qty_scale, &ev.ask_qty));
  // An empty side comes as quantity 0; its price means nothing.
  if (ev.bid_qty == 0) ev.bid_price = s::Sentinel::PRICE_UNDEF;
  if (ev.ask_qty == 0) ev.ask_price = s::Sentinel::PRICE_UNDEF;
  store(staging(1), ev);
  c.count = 1;
  return DecodeStatus::Ok;
}

}  // namespace veloz::md::binance
