// JS face of native/core/binance_md_decoder.h: the "decoder" section of
// src/native/addon.ts. createBinanceMdDecoder() returns an object of methods bound to
// one decoder; it owns all its state (nothing is global), so every worker can have its
// own. Venue input never throws (a status is returned); wrong arguments are programmer
// errors and throw TypeError/RangeError with a Node-style `code`.
//
// The hot call is decodeInto(frame, recvTimeNs): two arguments, no object unwrapping.
// Everything else is bound once: the io block (a BigInt64Array over a
// SharedArrayBuffer holding the result record and the call's ring position) and the
// ring's data region. Shared memory can never be detached, so the addresses stay valid
// for as long as the decoder holds a reference.
//
//   io block (bytes):  0..79 DecodeResultRecord | 80 f64 startPos | 88 f64 freeSlots
#include <cmath>
#include <cstddef>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "binding/registry.h"
#include "core/binance_md_decoder.h"

namespace {

using veloz::md::DecodeResultRecord;
using veloz::md::DecodeStatus;
using veloz::md::binance::Market;
using veloz::md::binance::MdDecoder;
using veloz::md::binance::RingTarget;

constexpr double kMaxSafeInteger = 9007199254740991.0;
constexpr size_t kMaxMessageBytesLimit = size_t{64} << 20;
constexpr size_t kIoStartPos = 80;
constexpr size_t kIoFreeSlots = 88;
constexpr size_t kIoBytes = 96;

template <typename ErrorT>
[[noreturn]] void Throw(Napi::Env env, const char* code, const std::string& message) {
  ErrorT err = ErrorT::New(env, message);
  err.Set("code", code);
  throw err;
}

// A typed array of kind `want` over a SharedArrayBuffer; its address and length.
void* SharedView(Napi::Env env, const Napi::Value& v, napi_typedarray_type want, const char* what, size_t* bytes) {
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_value buffer;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &buffer, nullptr) != napi_ok || type != want) {
    Throw<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", what);
  }
  Napi::Function sab = env.Global().Get("SharedArrayBuffer").As<Napi::Function>();
  bool shared = false;
  if (napi_instanceof(env, buffer, sab, &shared) != napi_ok || !shared) {
    Throw<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", std::string(what) + " over a SharedArrayBuffer");
  }
  const size_t element = want == napi_uint8_array ? 1 : 8;
  *bytes = length * element;
  return data;
}

double Integer(Napi::Env env, const Napi::Value& v, const std::string& what, double max) {
  if (!v.IsNumber()) Throw<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", what + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= max) || std::floor(d) != d) {
    Throw<Napi::RangeError>(env, "ERR_OUT_OF_RANGE", what + " must be an integer in 0.." + std::to_string(static_cast<uint64_t>(max)));
  }
  return d;
}

int64_t TimeNs(Napi::Env env, napi_value v) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_bigint) {
    int64_t x = 0;
    bool lossless = false;
    napi_get_value_bigint_int64(env, v, &x, &lossless);
    if (!lossless) Throw<Napi::RangeError>(env, "ERR_OUT_OF_RANGE", "recvTimeNs must fit int64");
    return x;
  }
  if (t != napi_number) Throw<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", "recvTimeNs must be a bigint or a number");
  double d = 0;
  napi_get_value_double(env, v, &d);
  if (!(std::fabs(d) <= kMaxSafeInteger) || std::floor(d) != d) {
    Throw<Napi::RangeError>(env, "ERR_OUT_OF_RANGE", "recvTimeNs must be a safe integer when it is a number");
  }
  return static_cast<int64_t>(d);
}

struct DecoderState {
  std::unique_ptr<MdDecoder> decoder;
  Napi::Reference<Napi::Value> io_ref;
  unsigned char* io = nullptr;
  Napi::Reference<Napi::Value> ring_ref;
  unsigned char* ring = nullptr;
  uint64_t ring_slots = 0;

  // startPos and freeSlots as the caller left them in the io block.
  RingTarget Target(Napi::Env env) const {
    if (ring == nullptr) Throw<Napi::Error>(env, "ERR_INVALID_STATE", "bindRing() was not called");
    double start;
    double free;
    std::memcpy(&start, io + kIoStartPos, sizeof start);
    std::memcpy(&free, io + kIoFreeSlots, sizeof free);
    if (!(start >= 0 && start <= kMaxSafeInteger) || std::floor(start) != start) {
      Throw<Napi::RangeError>(env, "ERR_OUT_OF_RANGE", "startPos must be a non-negative safe integer");
    }
    if (!(free >= 0 && free <= static_cast<double>(ring_slots)) || std::floor(free) != free) {
      Throw<Napi::RangeError>(env, "ERR_OUT_OF_RANGE", "freeSlots must be an integer in 0.." + std::to_string(ring_slots));
    }
    return RingTarget{ring, ring_slots, static_cast<uint64_t>(start), static_cast<uint64_t>(free)};
  }

  DecodeResultRecord* Result() const { return reinterpret_cast<DecodeResultRecord*>(io); }
};

// Methods hold the state through a strong reference to its External, so the decoder
// lives while any of its methods can still be called.
struct MethodData {
  DecoderState* state;
  Napi::Reference<Napi::External<DecoderState>> keep;
};

DecoderState* StateOf(const Napi::CallbackInfo& info) { return static_cast<MethodData*>(info.Data())->state; }

// decodeInto(frame, recvTimeNs) -> slots written, or a DecodeStatus
Napi::Value DecodeInto(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DecoderState* st = StateOf(info);
  void* data = nullptr;
  size_t length = 0;
  if (napi_get_buffer_info(env, info[0], &data, &length) != napi_ok) {
    Throw<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", "frame must be a Uint8Array");
  }
  const int64_t recv = TimeNs(env, info[1]);
  const RingTarget ring = st->Target(env);
  return Napi::Number::New(env, st->decoder->decode_stream(static_cast<const uint8_t*>(data), length, recv, ring, st->Result()));
}

// decodeSnapshotInto(body, instrumentId, recvTimeNs) -> slots written, or a DecodeStatus
Napi::Value DecodeSnapshotInto(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DecoderState* st = StateOf(info);
  void* data = nullptr;
  size_t length = 0;
  if (napi_get_buffer_info(env, info[0], &data, &length) != napi_ok) {
    Throw<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", "body must be a Uint8Array");
  }
  const double id = Integer(env, info[1], "instrumentId", 4294967295.0);
  const int index = st->decoder->instruments().find_id(static_cast<uint32_t>(id));
  if (index < 0) {
    Throw<Napi::RangeError>(env, "ERR_OUT_OF_RANGE", "instrumentId " + std::to_string(static_cast<uint64_t>(id)) + " is not in this decoder's table");
  }
  const int64_t recv = TimeNs(env, info[2]);
  const RingTarget ring = st->Target(env);
  return Napi::Number::New(env, st->decoder->decode_snapshot(static_cast<const uint8_t*>(data), length, index, recv, ring, st->Result()));
}

// bindRing(region): a Uint8Array over the ring's data region in a SharedArrayBuffer,
// a power-of-two number of 64-byte slots.
Napi::Value BindRing(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DecoderState* st = StateOf(info);
  size_t bytes = 0;
  void* data = SharedView(env, info[0], napi_uint8_array, "ring must be a Uint8Array", &bytes);
  const size_t slots = bytes / MdDecoder::kSlotBytes;
  if (bytes % MdDecoder::kSlotBytes != 0 || slots == 0 || (slots & (slots - 1)) != 0) {
    Throw<Napi::RangeError>(env, "ERR_OUT_OF_RANGE", "ring must span a power-of-two number of 64-byte slots, got " + std::to_string(bytes) + " bytes");
  }
  st->ring_ref = Napi::Persistent(info[0]);
  st->ring = static_cast<unsigned char*>(data);
  st->ring_slots = slots;
  return env.Undefined();
}

// readCounters(out: BigUint64Array): counts per status, index = -status (0 = decoded).
Napi::Value ReadCounters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DecoderState* st = StateOf(info);
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, info[0], &type, &length, &data, nullptr, nullptr) != napi_ok || type != napi_biguint64_array) {
    Throw<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", "out must be a BigUint64Array");
  }
  if (length < static_cast<size_t>(veloz::md::kDecodeStatusCount)) {
    Throw<Napi::RangeError>(env, "ERR_OUT_OF_RANGE", "out must hold " + std::to_string(veloz::md::kDecodeStatusCount) + " counters");
  }
  std::memcpy(data, st->decoder->counters(), sizeof(uint64_t) * veloz::md::kDecodeStatusCount);
  return env.Undefined();
}

Market MarketOf(Napi::Env env, const Napi::Value& v) {
  if (!v.IsString()) Throw<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", "venue must be a string");
  const std::string venue = v.As<Napi::String>().Utf8Value();
  if (venue == "binance") return Market::Spot;
  if (venue == "binance-usdm") return Market::UsdM;
  Throw<Napi::RangeError>(env, "ERR_INVALID_ARG_VALUE", "venue must be 'binance' or 'binance-usdm', got '" + venue + "'");
}

std::vector<veloz::md::InstrumentSpec> Instruments(Napi::Env env, const Napi::Value& v) {
  if (!v.IsArray()) Throw<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", "instruments must be an array");
  Napi::Array list = v.As<Napi::Array>();
  std::vector<veloz::md::InstrumentSpec> specs;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    const std::string where = "instruments[" + std::to_string(i) + "]";
    Napi::Value item = list.Get(i);
    if (!item.IsObject()) Throw<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", where + " must be an object");
    Napi::Object o = item.As<Napi::Object>();
    Napi::Value sym = o.Get("venueSymbol");
    if (!sym.IsString()) Throw<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", where + ".venueSymbol must be a string");
    veloz::md::InstrumentSpec spec{sym.As<Napi::String>().Utf8Value(), 0, 0, 0};
    spec.id = static_cast<uint32_t>(Integer(env, o.Get("instrumentId"), where + ".instrumentId", 4294967295.0));
    spec.price_scale = static_cast<int>(Integer(env, o.Get("priceScale"), where + ".priceScale", 18));
    spec.qty_scale = static_cast<int>(Integer(env, o.Get("qtyScale"), where + ".qtyScale", 18));
    specs.push_back(std::move(spec));
  }
  return specs;
}

// createBinanceMdDecoder(venue, instruments, maxMessageBytes, io)
Napi::Value CreateBinanceMdDecoder(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Market market = MarketOf(env, info[0]);
  const std::vector<veloz::md::InstrumentSpec> specs = Instruments(env, info[1]);
  const double max_bytes = Integer(env, info[2], "maxMessageBytes", static_cast<double>(kMaxMessageBytesLimit));
  if (max_bytes < 1) Throw<Napi::RangeError>(env, "ERR_OUT_OF_RANGE", "maxMessageBytes must be at least 1");
  size_t io_bytes = 0;
  void* io = SharedView(env, info[3], napi_bigint64_array, "io must be a BigInt64Array", &io_bytes);
  if (io_bytes < kIoBytes) Throw<Napi::RangeError>(env, "ERR_OUT_OF_RANGE", "io must hold at least 12 elements (96 bytes)");

  auto state = std::make_unique<DecoderState>();
  try {
    state->decoder = std::make_unique<MdDecoder>(market, specs, static_cast<size_t>(max_bytes));
  } catch (const std::invalid_argument& e) {
    Throw<Napi::RangeError>(env, "ERR_INVALID_ARG_VALUE", e.what());
  }
  state->io_ref = Napi::Persistent(info[3]);
  state->io = static_cast<unsigned char*>(io);
  Napi::External<DecoderState> holder = Napi::External<DecoderState>::New(env, state.release(), [](Napi::Env, DecoderState* s) { delete s; });

  Napi::Object out = Napi::Object::New(env);
  auto method = [&](const char* name, Napi::Value (*fn)(const Napi::CallbackInfo&)) {
    auto* data = new MethodData{holder.Data(), Napi::Persistent(holder)};
    Napi::Function f = Napi::Function::New(env, fn, name, data);
    f.AddFinalizer([](Napi::Env, MethodData* d) { delete d; }, data);
    out.Set(name, f);
  };
  method("decodeInto", DecodeInto);
  method("decodeSnapshotInto", DecodeSnapshotInto);
  method("bindRing", BindRing);
  method("readCounters", ReadCounters);
  return out;
}

// The numbers this build was compiled with, for the test that compares them with codes.ts.
Napi::Value MdDecodeConstants(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object statuses = Napi::Object::New(env);
  for (int32_t i = 0; i < veloz::md::kDecodeStatusCount; ++i) statuses.Set(veloz::md::kDecodeStatusNames[i], -i);
  Napi::Object kinds = Napi::Object::New(env);
  for (int32_t i = 0; i < veloz::md::kMessageKindCount; ++i) kinds.Set(veloz::md::kMessageKindNames[i], i);
  Napi::Object result = Napi::Object::New(env);
#define VELOZ_RESULT_FIELD(name, field) result.Set(name, static_cast<double>(offsetof(DecodeResultRecord, field)));
  VELOZ_RESULT_FIELD("kind", kind)
  VELOZ_RESULT_FIELD("status", status)
  VELOZ_RESULT_FIELD("instrument", instrument)
  VELOZ_RESULT_FIELD("slots", slots)
  VELOZ_RESULT_FIELD("firstSeq", first_seq)
  VELOZ_RESULT_FIELD("seq", seq)
  VELOZ_RESULT_FIELD("prevSeq", prev_seq)
  VELOZ_RESULT_FIELD("lastTradeId", last_trade_id)
  VELOZ_RESULT_FIELD("exchTimeNs", exch_time_ns)
  VELOZ_RESULT_FIELD("txTimeNs", tx_time_ns)
  VELOZ_RESULT_FIELD("requestId", request_id)
#undef VELOZ_RESULT_FIELD
  result.Set("startPos", static_cast<double>(kIoStartPos));
  result.Set("freeSlots", static_cast<double>(kIoFreeSlots));
  Napi::Object out = Napi::Object::New(env);
  out.Set("statuses", statuses);
  out.Set("kinds", kinds);
  out.Set("ioOffsets", result);
  out.Set("resultBytes", static_cast<double>(sizeof(DecodeResultRecord)));
  out.Set("ioBytes", static_cast<double>(kIoBytes));
  out.Set("maxJsonDepth", veloz::md::kMaxJsonDepth);
  out.Set("maxSymbolBytes", static_cast<double>(veloz::md::kMaxSymbolBytes));
  return out;
}

void InitDecoder(Napi::Env env, Napi::Object exports) {
  exports.Set("createBinanceMdDecoder", Napi::Function::New(env, CreateBinanceMdDecoder, "createBinanceMdDecoder"));
  exports.Set("mdDecodeConstants", Napi::Function::New(env, MdDecodeConstants, "mdDecodeConstants"));
}

}  // namespace

VELOZ_BINDING("decoder", InitDecoder);
