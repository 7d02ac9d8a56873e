#include "core/decimal.h"

namespace veloz {

namespace {

bool is_blank(char c) noexcept { return c == ' ' || (c >= '\t' && c <= '\r'); }

}  // namespace

namespace decimal_detail {

DecimalStatus classify_malformed(const char* p, size_t n, size_t bad) noexcept {
  const char c = bad < n ? p[bad] : '\0';
  if (bad < n && (c == 'e' || c == 'E')) return DecimalStatus::Exponent;
  bool blank = true;
  for (size_t k = 0; k < n && blank; ++k) blank = is_blank(p[k]);
  if (blank) return DecimalStatus::Empty;
  if (bad < n && bad > 0 && (c == '-' || c == '+')) return DecimalStatus::Sign;
  return DecimalStatus::Syntax;
}

}  // namespace decimal_detail

size_t decimal_malformed_offset(const char* p, size_t n, bool allow_negative) noexcept {
  using decimal_detail::digit_of;
  size_t i = 0;
  if (n > 0 && p[0] == '-' && allow_negative) i = 1;
  const size_t int_start = i;
  while (i < n && digit_of(p[i]) <= 9) ++i;
  if (i == int_start) return i;
  if (i < n && p[i] == '.') {
    const size_t frac_start = ++i;
    while (i < n && digit_of(p[i]) <= 9) ++i;
    if (i == frac_start) return i;
  }
  return i;
}

size_t format_decimal(int64_t mantissa, int scale, int min_fraction_digits, char* buf, size_t cap) noexcept {
  if (static_cast<unsigned>(scale) > static_cast<unsigned>(kDecimalMaxScale)) return 0;
  const bool negative = mantissa < 0;
  uint64_t abs = negative ? uint64_t{0} - static_cast<uint64_t>(mantissa) : static_cast<uint64_t>(mantissa);
  // Digits of |mantissa|, least significant first, zero-padded to at least scale + 1 so
  // the integer part is never empty.
  char rev[24];
  int count = 0;
  do {
    rev[count++] = static_cast<char>('0' + abs % 10);
    abs /= 10;
  } while (abs != 0);
  while (count < scale + 1) rev[count++] = '0';

  const int keep = min_fraction_digits < 0 ? 0 : (min_fraction_digits > scale ? scale : min_fraction_digits);
  int lowest = 0;  // lowest fraction position printed, after trimming zeros
  while (lowest < scale - keep && rev[lowest] == '0') ++lowest;
  const int frac_len = scale - lowest;
  const size_t len = static_cast<size_t>(negative) + static_cast<size_t>(count - scale) +
                     (frac_len > 0 ? 1 + static_cast<size_t>(frac_len) : 0);
  if (len > cap) return 0;

  char* w = buf;
  if (negative) *w++ = '-';
  for (int k = count - 1; k >= scale; --k) *w++ = rev[k];
  if (frac_len > 0) {
    *w++ = '.';
    for (int k = scale - 1; k >= lowest; --k) *w++ = rev[k];
  }
  return len;
}

}  // namespace veloz
