// Fixed-point decimals: an int64 mantissa at a decimal scale (value = mantissa / 10^scale).
// The twin of src/core/fixed/decimal.ts: same grammar, same DecimalStatus for every
// input, proven by the parity tests. Plain C++17 with no napi.h and no floating point, so
// the market-data decoders can inline parse_decimal straight on simdjson's raw bytes.
//
// Grammar:  ['-'] digit+ ['.' digit+]     ('-' only when allow_negative)
//
// A malformed input is classified by the first byte that cannot continue the grammar
// (n when the input ends too early): 'e'/'E' there is EXPONENT; an input made only of
// ASCII blanks (space, \t \n \v \f \r) is EMPTY; a '+'/'-' there is SIGN; anything else
// is SYNTAX. A '+' first, or a '-' first without allow_negative, is SIGN. Well-formed
// inputs are then checked in order: more than kDecimalMaxDigits digits is
// TOO_MANY_DIGITS, a non-zero fraction digit past `scale` is PRECISION, a value outside
// int64 at `scale` is OVERFLOW. A scale outside 0..18 is SCALE before anything else.
#pragma once
#include <cstddef>
#include <cstdint>

namespace veloz {

// Numeric values are shared with DecimalStatus in src/core/fixed/errors.ts.
enum class DecimalStatus : int32_t {
  Ok = 0,
  Empty = 1,
  Syntax = 2,
  Exponent = 3,
  Sign = 4,
  TooManyDigits = 5,
  Precision = 6,
  Overflow = 7,
  Scale = 8,
};
inline constexpr int32_t kDecimalStatusCount = 9;

// Same order as RoundingMode in src/core/fixed/decimal.ts.
enum class RoundingMode : int32_t { Exact = 0, Floor, Ceil, Trunc, HalfUp, HalfEven };

inline constexpr int kDecimalMaxScale = 18;  // 10^18 still fits int64
inline constexpr size_t kDecimalMaxDigits = 64;
// Longest format_decimal output: "-9.223372036854775808" or "-0.000000000000000001".
inline constexpr size_t kDecimalFormatMaxChars = 21;

inline constexpr int64_t kPow10[kDecimalMaxScale + 1] = {
    1LL,
    10LL,
    100LL,
    1000LL,
    10000LL,
    100000LL,
    1000000LL,
    10000000LL,
    100000000LL,
    1000000000LL,
    10000000000LL,
    100000000000LL,
    1000000000000LL,
    10000000000000LL,
    100000000000000LL,
    1000000000000000LL,
    10000000000000000LL,
    100000000000000000LL,
    1000000000000000000LL,
};

namespace decimal_detail {

// The error path, kept out of line so the inlined parser stays small.
DecimalStatus classify_malformed(const char* p, size_t n, size_t bad) noexcept;

inline unsigned digit_of(char c) noexcept { return static_cast<unsigned>(static_cast<unsigned char>(c)) - '0'; }

}  // namespace decimal_detail

// Parses p[0, n) to a mantissa at `scale`. Writes *out only on Ok. Never reads p[n] or
// beyond; p may be null when n == 0.
inline DecimalStatus parse_decimal(const char* p, size_t n, int scale, bool allow_negative, int64_t* out) noexcept {
  using decimal_detail::digit_of;
  if (static_cast<unsigned>(scale) > static_cast<unsigned>(kDecimalMaxScale)) return DecimalStatus::Scale;
  if (n == 0) return DecimalStatus::Empty;
  size_t i = 0;
  bool negative = false;
  if (p[0] == '-' || p[0] == '+') {
    if (p[0] == '+' || !allow_negative) return DecimalStatus::Sign;
    negative = true;
    i = 1;
  }
  // The digits accumulate in uint64 with checked arithmetic; once it has overflowed the
  // scan still runs to the end, because a syntax error outranks OVERFLOW.
  uint64_t acc = 0;
  bool wide = false;
  const size_t int_start = i;
  for (; i < n; ++i) {
    const unsigned d = digit_of(p[i]);
    if (d > 9) break;
    wide |= __builtin_mul_overflow(acc, uint64_t{10}, &acc);
    wide |= __builtin_add_overflow(acc, uint64_t{d}, &acc);
  }
  if (i == int_start) return decimal_detail::classify_malformed(p, n, i);
  size_t digits = i - int_start;
  size_t frac_used = 0;
  unsigned dropped = 0;  // OR of the fraction digits past `scale`
  if (i < n && p[i] == '.') {
    ++i;
    const size_t frac_start = i;
    const size_t keep_end = n - i > static_cast<size_t>(scale) ? i + static_cast<size_t>(scale) : n;
    for (; i < keep_end; ++i) {
      const unsigned d = digit_of(p[i]);
      if (d > 9) break;
      wide |= __builtin_mul_overflow(acc, uint64_t{10}, &acc);
      wide |= __builtin_add_overflow(acc, uint64_t{d}, &acc);
    }
    frac_used = i - frac_start;
    for (; i < n; ++i) {
      const unsigned d = digit_of(p[i]);
      if (d > 9) break;
      dropped |= d;
    }
    if (i == frac_start) return decimal_detail::classify_malformed(p, n, i);
    digits += i - frac_start;
  }
  if (i != n) return decimal_detail::classify_malformed(p, n, i);
  if (digits > kDecimalMaxDigits) return DecimalStatus::TooManyDigits;
  if (dropped != 0) return DecimalStatus::Precision;
  wide |= __builtin_mul_overflow(acc, static_cast<uint64_t>(kPow10[static_cast<size_t>(scale) - frac_used]), &acc);
  // |INT64_MIN| is one more than INT64_MAX.
  const uint64_t limit = static_cast<uint64_t>(INT64_MAX) + (negative ? 1u : 0u);
  if (wide || acc > limit) return DecimalStatus::Overflow;
  *out = negative ? static_cast<int64_t>(uint64_t{0} - acc) : static_cast<int64_t>(acc);
  return DecimalStatus::Ok;
}

// Offset of the first byte of p[0, n) that cannot continue the grammar (n if none):
// what the error message of a SYNTAX status points at.
size_t decimal_malformed_offset(const char* p, size_t n, bool allow_negative) noexcept;

// Writes the exact decimal of mantissa / 10^scale into buf (no terminating NUL) and
// returns its length. Trailing fraction zeros are trimmed down to min_fraction_digits
// (clamped to 0..scale); the point is left out when no fraction remains. Returns 0,
// writing nothing, when scale is outside 0..18 or the text would not fit in cap bytes
// (kDecimalFormatMaxChars always fits).
size_t format_decimal(int64_t mantissa, int scale, int min_fraction_digits, char* buf, size_t cap) noexcept;

// n / d for d > 0, rounded by `mode`; Precision when mode is Exact and digits would be
// lost. Every rounding in native code goes through here, like divRound in TS.
inline DecimalStatus div_round(int64_t n, int64_t d, RoundingMode mode, int64_t* out) noexcept {
  const int64_t q = n / d;  // truncates toward zero; d > 0, so never INT64_MIN / -1
  const int64_t r = n % d;
  if (r == 0) {
    *out = q;
    return DecimalStatus::Ok;
  }
  // r != 0 implies d >= 2, so |q| <= |n| / 2 and q ± 1 cannot overflow.
  const int64_t away = n < 0 ? q - 1 : q + 1;
  switch (mode) {
    case RoundingMode::Exact:
      return DecimalStatus::Precision;
    case RoundingMode::Trunc:
      *out = q;
      break;
    case RoundingMode::Floor:
      *out = n < 0 ? away : q;
      break;
    case RoundingMode::Ceil:
      *out = n > 0 ? away : q;
      break;
    case RoundingMode::HalfUp:
    case RoundingMode::HalfEven: {
      // 2|r| < 2d <= 2^64: compared in uint64 so a huge divisor cannot overflow it.
      const uint64_t abs_r = r < 0 ? uint64_t{0} - static_cast<uint64_t>(r) : static_cast<uint64_t>(r);
      const uint64_t twice = abs_r * 2;
      const uint64_t ud = static_cast<uint64_t>(d);
      if (twice > ud) {
        *out = away;
      } else if (twice < ud) {
        *out = q;
      } else if (mode == RoundingMode::HalfUp) {
        *out = away;
      } else {
        *out = (q % 2 == 0) ? q : away;
      }
      break;
    }
    default:  // not a RoundingMode: callers map modes from names and never get here
      return DecimalStatus::Syntax;
  }
  return DecimalStatus::Ok;
}

// Moves a mantissa from from_scale to to_scale: up multiplies (Overflow instead of a
// wrap), down divides with `mode` (Precision for Exact when digits would be lost).
inline DecimalStatus rescale_decimal(int64_t mantissa, int from_scale, int to_scale, RoundingMode mode,
                                     int64_t* out) noexcept {
  if (static_cast<unsigned>(from_scale) > static_cast<unsigned>(kDecimalMaxScale) ||
      static_cast<unsigned>(to_scale) > static_cast<unsigned>(kDecimalMaxScale)) {
    return DecimalStatus::Scale;
  }
  if (to_scale >= from_scale) {
    int64_t r;
    if (__builtin_mul_overflow(mantissa, kPow10[to_scale - from_scale], &r)) return DecimalStatus::Overflow;
    *out = r;
    return DecimalStatus::Ok;
  }
  return div_round(mantissa, kPow10[from_scale - to_scale], mode, out);
}

}  // namespace veloz
