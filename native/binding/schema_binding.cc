// Reports the event schema as the C++ compiler laid it out (sizeof/offsetof of the
// generated structs in core/schema.h), so a test can compare it field by field with
// src/core/schema. The numbers come from the compiler, not from the generator's text.
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "binding/registry.h"
#include "core/schema.h"

namespace {

namespace s = veloz::schema;

template <typename T>
Napi::Value ConstantValue(Napi::Env env, T v) {
  if constexpr (std::is_same_v<T, int64_t>) {
    return Napi::BigInt::New(env, v);
  } else if constexpr (std::is_same_v<T, uint64_t>) {
    return Napi::BigInt::New(env, v);
  } else {
    return Napi::Number::New(env, static_cast<double>(v));
  }
}

Napi::Object RecordEntry(Napi::Object records, const char* name, size_t size) {
  if (!records.Has(name)) {
    Napi::Object r = Napi::Object::New(records.Env());
    r.Set("size", Napi::Number::New(records.Env(), static_cast<double>(size)));
    r.Set("fields", Napi::Object::New(records.Env()));
    records.Set(name, r);
  }
  return records.Get(name).As<Napi::Object>();
}

void AddField(Napi::Object records, const char* record, size_t record_size, const char* field, size_t offset,
              size_t size) {
  Napi::Env env = records.Env();
  Napi::Object fields = RecordEntry(records, record, record_size).Get("fields").As<Napi::Object>();
  Napi::Object f = Napi::Object::New(env);
  f.Set("offset", Napi::Number::New(env, static_cast<double>(offset)));
  f.Set("size", Napi::Number::New(env, static_cast<double>(size)));
  fields.Set(field, f);
}

Napi::Value SchemaLayout(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object records = Napi::Object::New(env);
#define VELOZ_RECORD(R) RecordEntry(records, #R, sizeof(s::R));
  VELOZ_SCHEMA_RECORDS(VELOZ_RECORD)
#undef VELOZ_RECORD
#define VELOZ_FIELD(R, cpp, ts) AddField(records, #R, sizeof(s::R), ts, offsetof(s::R, cpp), sizeof(s::R::cpp));
  VELOZ_SCHEMA_FIELDS(VELOZ_FIELD)
#undef VELOZ_FIELD

  Napi::Object constants = Napi::Object::New(env);
#define VELOZ_CONSTANT(G, N) constants.Set(#G "." #N, ConstantValue(env, s::G::N));
  VELOZ_SCHEMA_CONSTANTS(VELOZ_CONSTANT)
#undef VELOZ_CONSTANT

  Napi::Object out = Napi::Object::New(env);
  out.Set("records", records);
  out.Set("constants", constants);
  out.Set("schemaHash", Napi::Number::New(env, static_cast<double>(s::SCHEMA_HASH)));
  return out;
}

void InitSchema(Napi::Env env, Napi::Object exports) {
  exports.Set("schemaLayout", Napi::Function::New(env, SchemaLayout, "schemaLayout"));
}

}  // namespace

VELOZ_BINDING("schema", InitSchema);
