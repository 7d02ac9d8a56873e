// Each binding file registers itself here with VELOZ_BINDING, so adding a native
// feature never means editing a central list. addon.cc walks the list at load time.
#pragma once
#include <napi.h>

namespace veloz::binding {

using InitFn = void (*)(Napi::Env env, Napi::Object exports);

struct Registration {
  const char* name;
  InitFn init;
  Registration* next;
};

Registration*& registry_head();

struct Registrar {
  Registration reg;
  Registrar(const char* name, InitFn init) : reg{name, init, nullptr} {
    reg.next = registry_head();
    registry_head() = &reg;
  }
};

}  // namespace veloz::binding

#define VELOZ_BINDING_CAT2(a, b) a##b
#define VELOZ_BINDING_CAT(a, b) VELOZ_BINDING_CAT2(a, b)
#define VELOZ_BINDING(name, fn) \
  static ::veloz::binding::Registrar VELOZ_BINDING_CAT(veloz_registrar_, __LINE__)(name, fn)
