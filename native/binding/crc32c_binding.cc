// JS face of native/core/crc32c.h: the "crc32c" section of src/native/addon.ts.
// Arguments are checked here once; the core never sees a bad range.
#include <cmath>
#include <string>

#include "binding/registry.h"
#include "core/crc32c.h"

namespace {

template <typename ErrorT>
[[noreturn]] void ThrowCoded(Napi::Env env, const char* code, const std::string& message) {
  ErrorT err = ErrorT::New(env, message);
  err.Set("code", code);
  throw err;
}

// Reads an optional integer argument in [0, max]; `fallback` when undefined.
double ReadIndex(const Napi::CallbackInfo& info, size_t i, const char* what, double fallback, double max) {
  if (info.Length() <= i || info[i].IsUndefined()) return fallback;
  if (!info[i].IsNumber()) ThrowCoded<Napi::TypeError>(info.Env(), "ERR_INVALID_ARG_TYPE", std::string("crc32c: ") + what + " must be a number");
  const double d = info[i].As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= max) || std::floor(d) != d) {
    ThrowCoded<Napi::RangeError>(info.Env(), "ERR_OUT_OF_RANGE",
                                 std::string("crc32c: ") + what + " must be an integer in 0.." + std::to_string(static_cast<uint64_t>(max)) +
                                     ", got " + info[i].ToString().Utf8Value());
  }
  return d;
}

using Fn = uint32_t (*)(uint32_t, const uint8_t*, size_t) noexcept;

template <Fn fn>
Napi::Value Crc(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    ThrowCoded<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", "crc32c: buf must be a Uint8Array");
  }
  Napi::Uint8Array buf = info[0].As<Napi::Uint8Array>();
  const double length = static_cast<double>(buf.ElementLength());
  const double start = ReadIndex(info, 1, "start", 0, length);
  const double end = ReadIndex(info, 2, "end", length, length);
  if (end < start) {
    ThrowCoded<Napi::RangeError>(env, "ERR_OUT_OF_RANGE",
                                 "crc32c: end " + std::to_string(static_cast<uint64_t>(end)) + " is before start " +
                                     std::to_string(static_cast<uint64_t>(start)));
  }
  const double init = ReadIndex(info, 3, "init", 0, 4294967295.0);
  const uint32_t crc = fn(static_cast<uint32_t>(init), buf.Data() + static_cast<size_t>(start), static_cast<size_t>(end - start));
  return Napi::Number::New(env, crc);
}

void InitCrc32c(Napi::Env env, Napi::Object exports) {
  exports.Set("crc32c", Napi::Function::New(env, Crc<veloz::crc32c::extend>, "crc32c"));
  exports.Set("crc32cSoftware", Napi::Function::New(env, Crc<veloz::crc32c::extend_software>, "crc32cSoftware"));
  exports.Set("crc32cHardware", Napi::Boolean::New(env, veloz::crc32c::hardware_available()));
}

}  // namespace

VELOZ_BINDING("crc32c", InitCrc32c);
