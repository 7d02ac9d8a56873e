// glibc 2.38 compatibility for prebuilt binaries (uWebSockets.js) on glibc 2.36 hosts.
//
// uWS.js's Linux binaries are linked against glibc 2.38 and reference three C23 entry
// points (__isoc23_strtol/strtoul/sscanf) that Debian 12's glibc 2.36 lacks; everything
// else they use exists in 2.36. scripts/patch-uws.mjs marks those references
// unversioned and the GLIBC_2.38 requirement weak; this module, loaded RTLD_GLOBAL
// before uWS (src/net/uws.ts), supplies them. The only C23 difference of these
// functions is accepting a "0b" binary prefix, which uWS never relies on.
#include <node_api.h>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#define VELOZ_EXPORT extern "C" __attribute__((visibility("default")))

VELOZ_EXPORT long __isoc23_strtol(const char* s, char** end, int base) { return strtol(s, end, base); }

VELOZ_EXPORT unsigned long __isoc23_strtoul(const char* s, char** end, int base) { return strtoul(s, end, base); }

VELOZ_EXPORT int __isoc23_sscanf(const char* s, const char* format, ...) {
  va_list ap;
  va_start(ap, format);
  int n = vsscanf(s, format, ap);
  va_end(ap);
  return n;
}

static napi_value Init(napi_env env, napi_value exports) { return exports; }

NAPI_MODULE(veloz_glibc_compat, Init)
