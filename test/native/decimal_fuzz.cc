// Standalone fuzz driver for native/core/decimal.{h,cc}, built by
// test/native/decimal-sanitizers.test.ts with -fsanitize=address,undefined. Every input
// lives in a heap block of exactly its own length, so a read past n is an ASan report.
// Checks: status in range; a parsed value formats and re-parses to itself; rescale matches
// an __int128 reference in every mode; format_decimal never writes past `cap`.
//
// usage: decimal_fuzz <iterations> <seed>; exit 0 when every check held.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/decimal.h"

namespace {

using veloz::DecimalStatus;
using veloz::RoundingMode;

uint64_t g_state = 0;

uint64_t next_u64() {  // splitmix64
  uint64_t z = (g_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint32_t below(uint32_t n) { return static_cast<uint32_t>(next_u64() % n); }

int failures = 0;

void fail(const char* what, const std::string& input, int scale) {
  if (++failures <= 10) std::fprintf(stderr, "FAIL %s: \"%s\" scale %d\n", what, input.c_str(), scale);
}

std::string random_input() {
  static const char kAlphabet[] = "0123456789000999.-+eE \t\n";
  std::string s;
  switch (below(4)) {
    case 0: {  // grammar-biased
      const uint32_t n = below(30);
      for (uint32_t k = 0; k < n; ++k) s += below(8) == 0 ? static_cast<char>(below(256)) : kAlphabet[below(sizeof kAlphabet - 1)];
      break;
    }
    case 1: {  // well-formed, sometimes long
      if (below(3) == 0) s += '-';
      const uint32_t int_digits = 1 + (below(4) == 0 ? below(25) : below(8));
      for (uint32_t k = 0; k < int_digits; ++k) s += static_cast<char>('0' + below(10));
      if (below(2) == 0) {
        s += '.';
        const uint32_t frac = 1 + below(22);
        for (uint32_t k = 0; k < frac; ++k) s += static_cast<char>('0' + (below(3) == 0 ? 0 : below(10)));
      }
      break;
    }
    case 2: {  // a formatted int64, maybe mutated
      char buf[veloz::kDecimalFormatMaxChars];
      const int64_t m = static_cast<int64_t>(next_u64() >> below(64));  // any sign, INT64_MIN included
      const size_t len = veloz::format_decimal(m, static_cast<int>(below(19)), 0, buf, sizeof buf);
      s.assign(buf, len);
      if (!s.empty() && below(2) == 0) s[below(static_cast<uint32_t>(s.size()))] = static_cast<char>(below(256));
      break;
    }
    default: {  // long runs around the digit limit, and binary noise
      const uint32_t n = below(200);
      const char c = "0919 \0"[below(6)];
      s.assign(n, c);
      if (below(2) == 0) s += '.';
      if (below(2) == 0) s += static_cast<char>(below(256));
    }
  }
  return s;
}

// The exact outcome of rescale, computed in 128 bits with floor division.
DecimalStatus reference_rescale(int64_t m, int from, int to, RoundingMode mode, int64_t* out) {
  __int128 v;
  if (to >= from) {
    v = static_cast<__int128>(m) * veloz::kPow10[to - from];
  } else {
    const __int128 d = veloz::kPow10[from - to];
    const __int128 n = m;
    __int128 f = n / d;
    if (n % d != 0 && n < 0) --f;  // floor
    const __int128 r = n - f * d;  // 0 <= r < d
    switch (mode) {
      case RoundingMode::Exact:
        if (r != 0) return DecimalStatus::Precision;
        v = f;
        break;
      case RoundingMode::Floor:
        v = f;
        break;
      case RoundingMode::Ceil:
        v = r == 0 ? f : f + 1;
        break;
      case RoundingMode::Trunc:
        v = (n < 0 && r != 0) ? f + 1 : f;
        break;
      case RoundingMode::HalfUp:
        v = 2 * r < d ? f : 2 * r > d ? f + 1 : (n < 0 ? f : f + 1);
        break;
      case RoundingMode::HalfEven:
        v = 2 * r < d ? f : 2 * r > d ? f + 1 : (f % 2 == 0 ? f : f + 1);
        break;
      default:
        return DecimalStatus::Syntax;
    }
  }
  if (v > INT64_MAX || v < INT64_MIN) return DecimalStatus::Overflow;
  *out = static_cast<int64_t>(v);
  return DecimalStatus::Ok;
}

void check_parse(const std::string& input) {
  const size_t n = input.size();
  char* block = static_cast<char*>(std::malloc(n == 0 ? 1 : n));
  if (n > 0) std::memcpy(block, input.data(), n);
  const int scale = static_cast<int>(below(21)) - 1;  // -1..19
  const bool allow_negative = below(2) == 0;
  int64_t m = 0x5a5a;
  const DecimalStatus st = veloz::parse_decimal(n == 0 ? nullptr : block, n, scale, allow_negative, &m);
  const int32_t s = static_cast<int32_t>(st);
  if (s < 0 || s >= veloz::kDecimalStatusCount) fail("status out of range", input, scale);
  if (st == DecimalStatus::Syntax) {
    const size_t at = veloz::decimal_malformed_offset(block, n, allow_negative);
    if (at > n) fail("malformed offset past the end", input, scale);
  }
  if (st == DecimalStatus::Ok) {
    const size_t cap = below(veloz::kDecimalFormatMaxChars + 1);
    char* text = static_cast<char*>(std::malloc(cap == 0 ? 1 : cap));
    const size_t len = veloz::format_decimal(m, scale, static_cast<int>(below(22)) - 2, text, cap);
    if (len > cap) fail("format wrote past cap", input, scale);
    if (len > 0) {
      int64_t back = 0;
      if (veloz::parse_decimal(text, len, scale, true, &back) != DecimalStatus::Ok || back != m) {
        fail("format/parse round trip", input, scale);
      }
    }
    std::free(text);
  }
  std::free(block);
}

void check_rescale() {
  // Any int64 now and then; otherwise magnitudes of every size, either sign.
  const int64_t small = static_cast<int64_t>(next_u64() >> (1 + below(63)));
  const int64_t m = below(4) == 0 ? static_cast<int64_t>(next_u64()) : (below(2) ? small : -small);
  const int from = static_cast<int>(below(19));
  const int to = static_cast<int>(below(19));
  const RoundingMode mode = static_cast<RoundingMode>(below(6));
  int64_t got = 0;
  int64_t want = 0;
  const DecimalStatus a = veloz::rescale_decimal(m, from, to, mode, &got);
  const DecimalStatus b = reference_rescale(m, from, to, mode, &want);
  if (a != b || (a == DecimalStatus::Ok && got != want)) {
    fail("rescale vs int128 reference", std::to_string(m) + " " + std::to_string(from) + "->" + std::to_string(to) + " mode " +
                                            std::to_string(static_cast<int>(mode)),
         from);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const long iterations = argc > 1 ? std::atol(argv[1]) : 200000;
  g_state = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  for (long i = 0; i < iterations; ++i) {
    check_parse(random_input());
    check_rescale();
  }
  // Edges that random draws reach rarely.
  for (const char* edge : {"", "-", ".", "-9223372036854775808", "9223372036854775808", "18446744073709551616"}) check_parse(edge);
  if (failures > 0) {
    std::fprintf(stderr, "%d failures in %ld iterations\n", failures, iterations);
    return 1;
  }
  std::printf("decimal_fuzz: %ld iterations, every check held\n", iterations);
  return 0;
}
