#include "binding/registry.h"
#include "core/clock.h"

namespace {

Napi::Value MonotonicNs(const Napi::CallbackInfo& info) {
  return Napi::BigInt::New(info.Env(), veloz::monotonic_ns());
}

Napi::Value RealtimeNs(const Napi::CallbackInfo& info) {
  return Napi::BigInt::New(info.Env(), veloz::realtime_ns());
}

void InitClock(Napi::Env env, Napi::Object exports) {
  exports.Set("monotonicNs", Napi::Function::New(env, MonotonicNs, "monotonicNs"));
  exports.Set("realtimeNs", Napi::Function::New(env, RealtimeNs, "realtimeNs"));
}

}  // namespace

VELOZ_BINDING("clock", InitClock);
