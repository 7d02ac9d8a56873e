#include <cerrno>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "binding/registry.h"
#include "core/sched.h"

namespace {

namespace sched = veloz::sched;

std::string ErrnoText(int err) {
  char buf[128];
  // GNU strerror_r returns a pointer that may or may not be `buf`.
  const char* text = strerror_r(err, buf, sizeof(buf));
  std::string out = text != nullptr ? text : "unknown error";
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 32)
  if (const char* name = strerrorname_np(err)) out += std::string(" (") + name + ")";
#endif
  return out;
}

std::string CpuListText(const std::vector<double>& cpus) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < cpus.size(); ++i) out << (i > 0 ? "," : "") << cpus[i];
  out << "]";
  return out.str();
}

[[noreturn]] void ThrowAffinity(Napi::Env env, const std::string& message, int err) {
  Napi::Error e = Napi::Error::New(env, message);
  e.Set("code", Napi::String::New(env, "VELOZ_AFFINITY"));
  e.Set("errno", Napi::Number::New(env, err));
  throw e;
}

Napi::Object Result(Napi::Env env, int err, const std::string& what) {
  Napi::Object r = Napi::Object::New(env);
  r.Set("ok", Napi::Boolean::New(env, err == 0));
  r.Set("errno", Napi::Number::New(env, err));
  r.Set("message", Napi::String::New(env, err == 0 ? what + " applied" : what + " failed: " + ErrnoText(err)));
  return r;
}

Napi::Value CurrentTid(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), sched::current_tid());
}

void SetAffinity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) {
    ThrowAffinity(env, "setAffinity expects an array of cpu ids", EINVAL);
  }
  Napi::Array list = info[0].As<Napi::Array>();
  std::vector<double> given;
  given.reserve(list.Length());
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value v = list.Get(i);
    given.push_back(v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1.0);
    if (!v.IsNumber()) {
      ThrowAffinity(env, "setAffinity: cpu list entry " + std::to_string(i) + " is not a number", EINVAL);
    }
  }
  const std::string listText = CpuListText(given);
  if (given.empty()) ThrowAffinity(env, "setAffinity: the cpu list is empty", EINVAL);

  const int configured = sched::configured_cpu_count();
  const int capacity = sched::cpu_set_capacity();
  std::vector<int> cpus;
  cpus.reserve(given.size());
  for (double v : given) {
    if (v != static_cast<double>(static_cast<long long>(v)) || v < 0 || v >= capacity) {
      ThrowAffinity(env,
                    "setAffinity " + listText + ": cpu ids must be integers in [0, " + std::to_string(capacity) + ")",
                    EINVAL);
    }
    int cpu = static_cast<int>(v);
    if (cpu >= configured) {
      ThrowAffinity(env,
                    "setAffinity " + listText + ": cpu " + std::to_string(cpu) + " does not exist on this machine (cpus 0-" +
                        std::to_string(configured - 1) + ")",
                    EINVAL);
    }
    cpus.push_back(cpu);
  }
  int err = sched::set_affinity(cpus);
  if (err != 0) {
    // EINVAL here usually means the cpus are outside this process's cpuset (cgroup,
    // taskset, systemd CPUAffinity=).
    ThrowAffinity(env, "setAffinity " + listText + " failed: " + ErrnoText(err), err);
  }
}

Napi::Value GetAffinity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<int> cpus;
  int err = sched::get_affinity(cpus);
  if (err != 0) ThrowAffinity(env, "getAffinity failed: " + ErrnoText(err), err);
  Napi::Array out = Napi::Array::New(env, cpus.size());
  for (size_t i = 0; i < cpus.size(); ++i) out.Set(static_cast<uint32_t>(i), Napi::Number::New(env, cpus[i]));
  return out;
}

Napi::Value MlockAll(const Napi::CallbackInfo& info) {
  return Result(info.Env(), sched::lock_all_memory(), "mlockall(MCL_CURRENT|MCL_FUTURE)");
}

Napi::Value SetSchedFifo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double p = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : -1;
  const int lo = sched::sched_fifo_min();
  const int hi = sched::sched_fifo_max();
  if (p != static_cast<double>(static_cast<long long>(p)) || p < lo || p > hi) {
    Napi::Object r = Result(env, EINVAL, "SCHED_FIFO");
    r.Set("message", Napi::String::New(env, "SCHED_FIFO priority must be an integer in [" + std::to_string(lo) + ", " +
                                                std::to_string(hi) + "]"));
    return r;
  }
  int prio = static_cast<int>(p);
  return Result(env, sched::set_sched_fifo(prio), "SCHED_FIFO priority " + std::to_string(prio));
}

void InitSched(Napi::Env env, Napi::Object exports) {
  exports.Set("currentTid", Napi::Function::New(env, CurrentTid, "currentTid"));
  exports.Set("setAffinity", Napi::Function::New(env, SetAffinity, "setAffinity"));
  exports.Set("getAffinity", Napi::Function::New(env, GetAffinity, "getAffinity"));
  exports.Set("mlockAll", Napi::Function::New(env, MlockAll, "mlockAll"));
  exports.Set("setSchedFifo", Napi::Function::New(env, SetSchedFifo, "setSchedFifo"));
}

}  // namespace

VELOZ_BINDING("sched", InitSched);
