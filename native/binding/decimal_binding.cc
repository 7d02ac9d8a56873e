// JS face of native/core/decimal.h: the "decimal" section of src/native/addon.ts.
// Errors carry the same `code`, `status`, `input` and message as DecimalError in
// src/core/fixed/errors.ts, so callers cannot tell which side threw.
#include <string>
#include <vector>

#include "binding/registry.h"
#include "core/decimal.h"

namespace {

using veloz::DecimalStatus;
using veloz::RoundingMode;

const char* const kCode[veloz::kDecimalStatusCount] = {
    "",
    "DECIMAL_EMPTY",
    "DECIMAL_SYNTAX",
    "DECIMAL_EXPONENT",
    "DECIMAL_SIGN",
    "DECIMAL_TOO_MANY_DIGITS",
    "DECIMAL_PRECISION",
    "DECIMAL_OVERFLOW",
    "DECIMAL_SCALE",
};

const char* const kReason[veloz::kDecimalStatusCount] = {
    "",
    "is empty",
    "is not a plain decimal number",
    "uses an exponent, which venues never send for prices or quantities",
    "has a sign where none is allowed",
    "has too many digits",
    "has more significant fraction digits than the scale holds",
    "does not fit a signed 64-bit mantissa at this scale",
    "was given a scale outside 0..18",
};

// Mirrors the DecimalError message: decimal <JSON of input, cut at 64 UTF-16 units + '…'>
// <reason> (<detail>). Built with the JS String/JSON functions so the quoting matches to
// the code unit. Error path only.
[[noreturn]] void ThrowDecimal(Napi::Env env, DecimalStatus status, Napi::String input, const std::string& detail) {
  Napi::Object global = env.Global();
  Napi::Object string_proto = global.Get("String").As<Napi::Object>().Get("prototype").As<Napi::Object>();
  Napi::Value shown = input;
  if (input.ToObject().Get("length").As<Napi::Number>().Uint32Value() > 64) {
    Napi::Value head = string_proto.Get("slice").As<Napi::Function>().Call(input, {Napi::Number::New(env, 0), Napi::Number::New(env, 64)});
    shown = string_proto.Get("concat").As<Napi::Function>().Call(head, {Napi::String::New(env, "\xE2\x80\xA6")});
  }
  Napi::Function stringify = global.Get("JSON").As<Napi::Object>().Get("stringify").As<Napi::Function>();
  const int32_t s = static_cast<int32_t>(status);
  std::string message = "decimal " + stringify.Call({shown}).As<Napi::String>().Utf8Value() + " " + kReason[s];
  if (!detail.empty()) message += " (" + detail + ")";
  Napi::Error err = Napi::Error::New(env, message);
  err.Set("name", "DecimalError");
  err.Set("code", kCode[s]);
  err.Set("status", Napi::Number::New(env, s));
  err.Set("input", input);
  throw err;
}

template <typename ErrorT>
[[noreturn]] void ThrowCoded(Napi::Env env, const char* code, const std::string& message) {
  ErrorT err = ErrorT::New(env, message);
  err.Set("code", code);
  throw err;
}

std::string Show(Napi::Value v) { return v.ToString().Utf8Value(); }

// A scale is a small integer; anything else is reported as SCALE by the caller. The
// double here is the JS number of the argument, never a price.
bool ReadScale(const Napi::Value& v, int* scale) {
  if (!v.IsNumber()) return false;
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= veloz::kDecimalMaxScale)) return false;
  *scale = static_cast<int>(d);
  return *scale == d;
}

int ScaleOrThrow(Napi::Env env, const Napi::Value& v, Napi::String input) {
  int scale = 0;
  if (!ReadScale(v, &scale)) ThrowDecimal(env, DecimalStatus::Scale, input, "scale " + Show(v));
  return scale;
}

int64_t MantissaOrThrow(Napi::Env env, const Napi::Value& v, const char* what) {
  if (!v.IsBigInt()) ThrowCoded<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", std::string(what) + " must be a bigint");
  bool lossless = false;
  const int64_t m = v.As<Napi::BigInt>().Int64Value(&lossless);
  if (!lossless) ThrowDecimal(env, DecimalStatus::Overflow, v.ToString(), what);
  return m;
}

Napi::String Formatted(Napi::Env env, int64_t m, int scale) {
  char buf[veloz::kDecimalFormatMaxChars];
  const size_t len = veloz::format_decimal(m, scale, 0, buf, sizeof buf);
  return Napi::String::New(env, buf, len);
}

// Stack copy for every realistic input; only inputs longer than any valid decimal
// (64 digits + sign + point) go to the heap, and those are errors being classified.
constexpr size_t kInlineBytes = 128;

Napi::Value DecimalParse(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) ThrowCoded<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", "decimalParse: text must be a string");
  napi_value text = info[0];
  int scale = 0;
  const bool scale_ok = ReadScale(info[1], &scale);
  const bool allow_negative = info[2].ToBoolean().Value();

  char inline_buf[kInlineBytes];
  std::vector<char> heap;
  const char* p = inline_buf;
  size_t n = 0;
  NAPI_THROW_IF_FAILED(env, napi_get_value_string_utf8(env, text, inline_buf, kInlineBytes, &n), Napi::Value());
  // UTF-8 conversion never splits a character, so a copy that came close to the end of
  // the buffer may have been cut short: get the full length and copy again.
  if (n + 4 >= kInlineBytes) {
    NAPI_THROW_IF_FAILED(env, napi_get_value_string_utf8(env, text, nullptr, 0, &n), Napi::Value());
    heap.resize(n + 1);
    NAPI_THROW_IF_FAILED(env, napi_get_value_string_utf8(env, text, heap.data(), heap.size(), &n), Napi::Value());
    p = heap.data();
  }

  int64_t m = 0;
  const DecimalStatus st = veloz::parse_decimal(p, n, scale_ok ? scale : -1, allow_negative, &m);
  if (st == DecimalStatus::Ok) return Napi::BigInt::New(env, m);
  Napi::String input = info[0].As<Napi::String>();
  switch (st) {
    case DecimalStatus::Scale:
      ThrowDecimal(env, st, input, "scale " + Show(info[1]));
    case DecimalStatus::Precision:
    case DecimalStatus::Overflow:
      ThrowDecimal(env, st, input, "scale " + std::to_string(scale));
    case DecimalStatus::Syntax:
      // Everything before the offending byte is ASCII, so the byte offset is also the
      // UTF-16 offset DecimalError reports.
      ThrowDecimal(env, st, input, "at offset " + std::to_string(veloz::decimal_malformed_offset(p, n, allow_negative)));
    default:
      ThrowDecimal(env, st, input, "");
  }
}

int MinFractionDigitsOrThrow(Napi::Env env, const Napi::Value& v) {
  if (!v.IsNumber()) ThrowCoded<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", "minFractionDigits must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= -2147483648.0 && d <= 2147483647.0) || static_cast<double>(static_cast<int32_t>(d)) != d) {
    ThrowCoded<Napi::RangeError>(env, "ERR_OUT_OF_RANGE", "minFractionDigits must be an integer, got " + Show(v));
  }
  return static_cast<int32_t>(d);
}

Napi::Value DecimalFormat(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t m = MantissaOrThrow(env, info[0], "mantissa");
  const int scale = ScaleOrThrow(env, info[1], info[0].ToString());
  const int min_frac = info[2].IsUndefined() ? 0 : MinFractionDigitsOrThrow(env, info[2]);
  char buf[veloz::kDecimalFormatMaxChars];
  const size_t len = veloz::format_decimal(m, scale, min_frac, buf, sizeof buf);
  return Napi::String::New(env, buf, len);
}

bool ModeFromName(const std::string& name, RoundingMode* mode) {
  static const struct {
    const char* name;
    RoundingMode mode;
  } kModes[] = {
      {"exact", RoundingMode::Exact}, {"floor", RoundingMode::Floor},   {"ceil", RoundingMode::Ceil},
      {"trunc", RoundingMode::Trunc}, {"halfUp", RoundingMode::HalfUp}, {"halfEven", RoundingMode::HalfEven},
  };
  for (const auto& m : kModes) {
    if (name == m.name) {
      *mode = m.mode;
      return true;
    }
  }
  return false;
}

Napi::Value DecimalRescale(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t m = MantissaOrThrow(env, info[0], "mantissa");
  const int from = ScaleOrThrow(env, info[1], info[0].ToString());
  const int to = ScaleOrThrow(env, info[2], info[0].ToString());
  RoundingMode mode;
  if (!info[3].IsString() || !ModeFromName(info[3].As<Napi::String>().Utf8Value(), &mode)) {
    ThrowCoded<Napi::RangeError>(env, "ERR_OUT_OF_RANGE", "unknown rounding mode " + Show(info[3]));
  }
  int64_t r = 0;
  const DecimalStatus st = veloz::rescale_decimal(m, from, to, mode, &r);
  if (st == DecimalStatus::Ok) return Napi::BigInt::New(env, r);
  if (st == DecimalStatus::Precision) ThrowDecimal(env, st, Formatted(env, m, from), "exact rescale would drop digits");
  ThrowDecimal(env, st, Formatted(env, m, from), "rescale to " + std::to_string(to));
}

// A typed array of the expected kind, as a raw view valid during this call only.
template <typename T>
struct View {
  T* data = nullptr;
  size_t length = 0;
};

template <typename T>
View<T> ViewOrThrow(Napi::Env env, const Napi::Value& v, napi_typedarray_type want, const char* what) {
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (!is_typed || napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok || type != want) {
    ThrowCoded<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", std::string("decimalParseBatch: ") + what);
  }
  return {static_cast<T*>(data), length};
}

Napi::Value DecimalParseBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto bytes = ViewOrThrow<const uint8_t>(env, info[0], napi_uint8_array, "bytes must be a Uint8Array");
  const auto starts = ViewOrThrow<const uint32_t>(env, info[1], napi_uint32_array, "starts must be a Uint32Array");
  const auto ends = ViewOrThrow<const uint32_t>(env, info[2], napi_uint32_array, "ends must be a Uint32Array");
  const auto out = ViewOrThrow<int64_t>(env, info[6], napi_bigint64_array, "out must be a BigInt64Array");
  const auto status = ViewOrThrow<int32_t>(env, info[7], napi_int32_array, "status must be an Int32Array");
  if (!info[3].IsNumber()) ThrowCoded<Napi::TypeError>(env, "ERR_INVALID_ARG_TYPE", "decimalParseBatch: count must be a number");
  const int64_t count_arg = info[3].As<Napi::Number>().Int64Value();
  size_t room = starts.length;
  for (size_t len : {ends.length, out.length, status.length}) room = len < room ? len : room;
  if (count_arg < 0 || static_cast<uint64_t>(count_arg) > room || Napi::Number::New(env, static_cast<double>(count_arg)).StrictEquals(info[3]) == false) {
    ThrowCoded<Napi::RangeError>(env, "ERR_OUT_OF_RANGE",
                                 "decimalParseBatch: count " + Show(info[3]) + " is not an integer in 0.." + std::to_string(room) +
                                     " (the shortest of starts, ends, out, status)");
  }
  const size_t count = static_cast<size_t>(count_arg);
  // Every range is checked before anything is written, so a bad index leaves out and
  // status untouched.
  for (size_t i = 0; i < count; ++i) {
    if (starts.data[i] > ends.data[i] || ends.data[i] > bytes.length) {
      ThrowCoded<Napi::RangeError>(env, "ERR_OUT_OF_RANGE",
                                   "decimalParseBatch: entry " + std::to_string(i) + " spans [" + std::to_string(starts.data[i]) + ", " +
                                       std::to_string(ends.data[i]) + "), outside bytes of length " + std::to_string(bytes.length));
    }
  }
  int scale = 0;
  if (!ReadScale(info[4], &scale)) scale = -1;  // every entry then reports SCALE
  const bool allow_negative = info[5].ToBoolean().Value();
  const char* base = reinterpret_cast<const char*>(bytes.data);
  uint32_t failed = 0;
  for (size_t i = 0; i < count; ++i) {
    int64_t m = 0;
    const DecimalStatus st = veloz::parse_decimal(base + starts.data[i], ends.data[i] - starts.data[i], scale, allow_negative, &m);
    out.data[i] = m;
    status.data[i] = static_cast<int32_t>(st);
    failed += st != DecimalStatus::Ok;
  }
  return Napi::Number::New(env, failed);
}

void InitDecimal(Napi::Env env, Napi::Object exports) {
  exports.Set("decimalParse", Napi::Function::New(env, DecimalParse, "decimalParse"));
  exports.Set("decimalFormat", Napi::Function::New(env, DecimalFormat, "decimalFormat"));
  exports.Set("decimalRescale", Napi::Function::New(env, DecimalRescale, "decimalRescale"));
  exports.Set("decimalParseBatch", Napi::Function::New(env, DecimalParseBatch, "decimalParseBatch"));
}

}  // namespace

VELOZ_BINDING("decimal", InitDecimal);
