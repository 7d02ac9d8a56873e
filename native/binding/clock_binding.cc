#include "binding/registry.h"
#include "core/clock.h"

namespace {

Napi::Value MonotonicNs(const Napi::CallbackInfo& info) {
  return Napi::BigInt::New(info.Env(), veloz::monotonic_ns());
}

Napi::Value RealtimeNs(const Napi::CallbackInfo& info) {
  return Napi::BigInt::New(info.Env(), veloz::realtime_ns());
}

// A clock reader bound to out[0]: each call writes CLOCK_MONOTONIC ns there as a double
// (exact below 2^53, i.e. for 104 days of uptime) and returns nothing, so code reading
// the clock per message allocates nothing (a returned BigInt, or a number above 2^31,
// is a heap object) and pays no argument checks.
struct ClockCell {
  Napi::Reference<Napi::Value> keep;
  double* out;
};

Napi::Value MonotonicTick(const Napi::CallbackInfo& info) {
  const auto* cell = static_cast<const ClockCell*>(info.Data());
  *cell->out = static_cast<double>(veloz::monotonic_ns());
  return info.Env().Undefined();
}

Napi::Value MonotonicClock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    Napi::TypeError e = Napi::TypeError::New(env, "monotonicClock(out): out must be a Float64Array");
    e.Set("code", Napi::String::New(env, "ERR_INVALID_ARG_TYPE"));
    throw e;
  }
  Napi::Float64Array out = info[0].As<Napi::Float64Array>();
  if (out.ElementLength() < 1) {
    Napi::RangeError e = Napi::RangeError::New(env, "monotonicClock(out): out must hold at least one element");
    e.Set("code", Napi::String::New(env, "ERR_OUT_OF_RANGE"));
    throw e;
  }
  auto* cell = new ClockCell{Napi::Persistent(info[0]), out.Data()};
  Napi::Function tick = Napi::Function::New(env, MonotonicTick, "monotonicTick", cell);
  tick.AddFinalizer([](Napi::Env, ClockCell* c) { delete c; }, cell);
  return tick;
}

void InitClock(Napi::Env env, Napi::Object exports) {
  exports.Set("monotonicNs", Napi::Function::New(env, MonotonicNs, "monotonicNs"));
  exports.Set("realtimeNs", Napi::Function::New(env, RealtimeNs, "realtimeNs"));
  exports.Set("monotonicClock", Napi::Function::New(env, MonotonicClock, "monotonicClock"));
}

}  // namespace

VELOZ_BINDING("clock", InitClock);
