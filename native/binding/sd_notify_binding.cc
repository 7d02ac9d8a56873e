#include <cerrno>
#include <cstring>
#include <string>

#include "binding/registry.h"
#include "core/sd_notify.h"

namespace {

namespace systemd = veloz::systemd;

std::string ErrnoText(int err) {
  char buf[128];
  const char* text = strerror_r(err, buf, sizeof(buf));
  std::string out = text != nullptr ? text : "unknown error";
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 32)
  if (const char* name = strerrorname_np(err)) out += std::string(" (") + name + ")";
#endif
  return out;
}

Napi::Object Result(Napi::Env env, bool ok, int err, const std::string& message) {
  Napi::Object r = Napi::Object::New(env);
  r.Set("ok", Napi::Boolean::New(env, ok));
  r.Set("errno", Napi::Number::New(env, err));
  r.Set("message", Napi::String::New(env, message));
  return r;
}

// sdNotify(state, socketPath?): socketPath defaults to $NOTIFY_SOCKET.
Napi::Value SdNotify(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) return Result(env, false, EINVAL, "sdNotify expects a state string");
  const std::string state = info[0].As<Napi::String>().Utf8Value();
  std::string path;
  if (info.Length() >= 2 && info[1].IsString()) {
    path = info[1].As<Napi::String>().Utf8Value();
  } else if (const char* env_path = systemd::notify_socket()) {
    path = env_path;
  } else {
    return Result(env, false, 0, "NOTIFY_SOCKET is not set: not started by systemd with Type=notify");
  }
  const int err = systemd::notify(path.c_str(), state.data(), state.size());
  if (err == 0) return Result(env, true, 0, "sent to " + path);
  return Result(env, false, err, "sd_notify to " + path + " failed: " + ErrnoText(err));
}

Napi::Value WatchdogUsec(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(systemd::watchdog_usec()));
}

void InitSdNotify(Napi::Env env, Napi::Object exports) {
  exports.Set("sdNotify", Napi::Function::New(env, SdNotify, "sdNotify"));
  exports.Set("watchdogUsec", Napi::Function::New(env, WatchdogUsec, "watchdogUsec"));
}

}  // namespace

VELOZ_BINDING("systemd", InitSdNotify);
