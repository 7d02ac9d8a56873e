// Strict RFC 8259 checks of single JSON tokens, shared by the decoders' validation walk.
// simdjson finds the structure (and validates UTF-8, string boundaries and control
// characters); every scalar's spelling is judged here, so the decoder accepts exactly
// the JSON that the TypeScript twin (src/venues/binance/decode/json-scan.ts) accepts.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace veloz::md::json {

inline bool is_space(unsigned char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline bool is_digit(unsigned char c) noexcept { return static_cast<unsigned>(c - '0') < 10u; }
inline bool is_hex(unsigned char c) noexcept {
  return is_digit(c) || static_cast<unsigned>((c | 0x20) - 'a') < 6u;
}

// Length of p[0, n) without trailing JSON whitespace.
inline size_t trim_end(const char* p, size_t n) noexcept {
  while (n > 0 && is_space(static_cast<unsigned char>(p[n - 1]))) --n;
  return n;
}

// The bytes between a string's quotes: no raw quote or control character, and every
// backslash starts one of the eight escapes. A lone surrogate escape is grammatical.
inline bool valid_string_content(const char* p, size_t n) noexcept {
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    if (c == '"' || c < 0x20) return false;
    if (c != '\\') continue;
    if (++i >= n) return false;
    switch (p[i]) {
      case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        break;
      case 'u':
        if (n - i < 5) return false;
        for (size_t k = 1; k <= 4; ++k) {
          if (!is_hex(static_cast<unsigned char>(p[i + k]))) return false;
        }
        i += 4;
        break;
      default:
        return false;
    }
  }
  return true;
}

// Whether p[0, n) holds a backslash, eight bytes at a time. The loads may run up to
// seven bytes past n, so p[0, n + 7) must be readable (a padded simdjson buffer is).
inline bool has_backslash_padded(const char* p, size_t n) noexcept {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  for (size_t i = 0; i < n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, sizeof w);
    const uint64_t x = w ^ (kOnes * '\\');
    // Exact for the lowest zero byte; a false hit can only sit above a true one, and
    // bytes past n are above every byte that counts (little-endian), so masking is safe.
    uint64_t zero = (x - kOnes) & ~x & kHigh;
    if (n - i < 8) zero &= (uint64_t{1} << ((n - i) * 8)) - 1;
    if (zero != 0) return true;
  }
  return false;
}

// number = [ "-" ] ( "0" / 1-9 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ]
inline bool valid_number(const char* p, size_t n) noexcept {
  size_t i = 0;
  if (i < n && p[i] == '-') ++i;
  if (i >= n) return false;
  if (p[i] == '0') {
    ++i;
  } else if (is_digit(static_cast<unsigned char>(p[i]))) {
    while (i < n && is_digit(static_cast<unsigned char>(p[i]))) ++i;
  } else {
    return false;
  }
  if (i < n && p[i] == '.') {
    const size_t start = ++i;
    while (i < n && is_digit(static_cast<unsigned char>(p[i]))) ++i;
    if (i == start) return false;
  }
  if (i < n && (p[i] == 'e' || p[i] == 'E')) {
    ++i;
    if (i < n && (p[i] == '+' || p[i] == '-')) ++i;
    const size_t start = i;
    while (i < n && is_digit(static_cast<unsigned char>(p[i]))) ++i;
    if (i == start) return false;
  }
  return i == n;
}

// Token kinds the decoders record; 0 means "field absent".
enum TokenKind : char {
  kAbsent = 0,
  kString = 's',
  kNumber = 'n',
  kTrue = 't',
  kFalse = 'f',
  kNull = 'z',
  kObject = 'o',
  kArray = 'a',
};

struct Token {
  const char* p = nullptr;  // string: first byte after the opening quote
  uint32_t n = 0;           // string: bytes before the closing quote
  char kind = kAbsent;
};

inline bool equals(const char* p, size_t n, const char* lit, size_t lit_n) noexcept {
  if (n != lit_n) return false;
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != lit[i]) return false;
  }
  return true;
}

// Classifies a scalar token (trailing whitespace allowed) into *out; false if the
// spelling is not a JSON string, number, true, false or null. kStage1Checked: the token
// comes from simdjson's structural index inside its padded buffer, so a string's extent,
// its control characters and its UTF-8 are already proven and only escapes are left.
template <bool kStage1Checked>
inline bool scalar_token(const char* p, size_t n, Token* out) noexcept {
  n = trim_end(p, n);
  if (n == 0) return false;
  switch (p[0]) {
    case '"':
      if (n < 2 || p[n - 1] != '"') return false;
      if (kStage1Checked ? has_backslash_padded(p + 1, n - 2) && !valid_string_content(p + 1, n - 2)
                         : !valid_string_content(p + 1, n - 2)) {
        return false;
      }
      *out = Token{p + 1, static_cast<uint32_t>(n - 2), kString};
      return true;
    case 't':
      if (!equals(p, n, "true", 4)) return false;
      *out = Token{p, 4, kTrue};
      return true;
    case 'f':
      if (!equals(p, n, "false", 5)) return false;
      *out = Token{p, 5, kFalse};
      return true;
    case 'n':
      if (!equals(p, n, "null", 4)) return false;
      *out = Token{p, 4, kNull};
      return true;
    default:
      if (!valid_number(p, n)) return false;
      *out = Token{p, static_cast<uint32_t>(n), kNumber};
      return true;
  }
}

// A number token that is a plain non-negative integer ("0" or 1-9 *DIGIT) within
// uint64; anything else (sign, fraction, exponent, too big) is false.
inline bool parse_u64(const Token& t, uint64_t* out) noexcept {
  if (t.kind != kNumber || t.n == 0) return false;
  if (t.p[0] == '0') {
    if (t.n != 1) return false;
    *out = 0;
    return true;
  }
  uint64_t v = 0;
  for (uint32_t i = 0; i < t.n; ++i) {
    const unsigned d = static_cast<unsigned char>(t.p[i]) - '0';
    if (d > 9) return false;
    if (__builtin_mul_overflow(v, uint64_t{10}, &v) || __builtin_add_overflow(v, uint64_t{d}, &v)) return false;
  }
  *out = v;
  return true;
}

}  // namespace veloz::md::json
