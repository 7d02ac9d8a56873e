// The fast path of price/quantity parsing in the md decoders: the spelling venues send
// (digits, a point, digits, within int64 at the scale) without per-digit overflow checks
// and with the fraction eight digits at a time. Anything else is left to parse_decimal
// (core/decimal.h), so the status of every input is parse_decimal's.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/decimal.h"
#include "core/json_scalar.h"

namespace veloz::md {

// Eight ASCII digits at p (little-endian load) to their value; false if any byte is
// not a digit. The multiply-shift reduction is the usual SWAR one (pairs, quads, eight).
inline bool eight_digits(const char* p, uint64_t* out) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  if ((((v & 0xF0F0F0F0F0F0F0F0ULL) | (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) != 0x3333333333333333ULL)) {
    return false;
  }
  v -= 0x3030303030303030ULL;
  v = (v * 10) + (v >> 8);
  v = (((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) + (((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >> 32;
  *out = v;
  return true;
}

// The spelling venues use, digits [ '.' digits ], when its value cannot overflow
// (integer digits + scale <= 18): no per-digit overflow checks, and the fraction eight
// digits at a time. That was over a third of a depth message with parse_decimal alone.
// False: not that shape, ask parse_decimal. Same value as parse_decimal wherever it
// answers (the differential tests compare with the TS twin, which mirrors parse_decimal).
inline bool plain_decimal(const char* p, size_t n, int scale, int64_t* out) {
  size_t i = 0;
  uint64_t acc = 0;
  while (i < n && json::is_digit(static_cast<unsigned char>(p[i]))) acc = acc * 10 + static_cast<unsigned>(p[i++] - '0');
  const size_t int_digits = i;
  const size_t keep = static_cast<size_t>(scale);
  if (int_digits == 0 || int_digits + keep > 18) return false;
  size_t kept = 0;
  if (i < n) {
    if (p[i] != '.' || i + 1 == n) return false;
    ++i;
    const size_t frac = n - i < keep ? n - i : keep;
    uint64_t eight;
    while (frac - kept >= 8) {
      if (!eight_digits(p + i, &eight)) return false;
      acc = acc * 100000000ULL + eight;
      i += 8;
      kept += 8;
    }
    for (; kept < frac; ++i, ++kept) {
      const unsigned d = static_cast<unsigned char>(p[i]) - '0';
      if (d > 9) return false;
      acc = acc * 10 + d;
    }
    for (; i < n; ++i) {
      if (p[i] != '0') return false;  // a dropped non-zero digit or a stray byte: parse_decimal says which
    }
  }
  *out = static_cast<int64_t>(acc * static_cast<uint64_t>(veloz::kPow10[keep - kept]));
  return true;
}

}  // namespace veloz::md
