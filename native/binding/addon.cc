// The only NODE_API_MODULE of the addon. Bindings self-register (registry.h); this
// file only runs them. Everything the addon exports is declared in src/native/addon.ts.
#include "binding/registry.h"

namespace veloz::binding {

Registration*& registry_head() {
  static Registration* head = nullptr;
  return head;
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  Napi::Array names = Napi::Array::New(env);
  uint32_t i = 0;
  for (Registration* r = registry_head(); r != nullptr; r = r->next) {
    r->init(env, exports);
    names.Set(i++, Napi::String::New(env, r->name));
  }
  exports.Set("bindings", names);
  return exports;
}

}  // namespace veloz::binding

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  return veloz::binding::Init(env, exports);
}

NODE_API_MODULE(veloz_native, InitAddon)
