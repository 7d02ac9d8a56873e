// JS face of the WAL's native helpers: the "wal" section of src/native/addon.ts.
// walStampRealtime exists because every JS clock read in Node 20 (Date.now,
// performance.now, process.hrtime) allocates, and a WAL append must not: this writes
// CLOCK_REALTIME nanoseconds straight into the record header and returns nothing.
#include <cmath>
#include <cstdint>
#include <string>

#include "binding/registry.h"
#include "core/clock.h"

namespace {

[[noreturn]] void ThrowRange(Napi::Env env, const std::string& message) {
  Napi::RangeError err = Napi::RangeError::New(env, message);
  err.Set("code", "ERR_OUT_OF_RANGE");
  throw err;
}

Napi::Value StampRealtime(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array ||
      !info[1].IsNumber()) {
    Napi::TypeError err = Napi::TypeError::New(env, "walStampRealtime(buf: Uint8Array, offset: number)");
    err.Set("code", "ERR_INVALID_ARG_TYPE");
    throw err;
  }
  Napi::Uint8Array buf = info[0].As<Napi::Uint8Array>();
  const double offset = info[1].As<Napi::Number>().DoubleValue();
  const double length = static_cast<double>(buf.ElementLength());
  if (!(offset >= 0 && offset + 8 <= length) || std::floor(offset) != offset) {
    ThrowRange(env, "walStampRealtime: offset " + info[1].ToString().Utf8Value() + " leaves no 8 bytes in a buffer of " +
                        std::to_string(buf.ElementLength()));
  }
  const uint64_t ns = static_cast<uint64_t>(veloz::realtime_ns());
  uint8_t* p = buf.Data() + static_cast<size_t>(offset);
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(ns >> (8 * i));  // little-endian on every host
  return env.Undefined();
}

void InitWal(Napi::Env env, Napi::Object exports) {
  exports.Set("walStampRealtime", Napi::Function::New(env, StampRealtime, "walStampRealtime"));
}

}  // namespace

VELOZ_BINDING("wal", InitWal);
