// Venue symbol -> instrument, case-insensitive (ASCII): Binance stream names are
// lowercase, JSON payloads uppercase. Open addressing over FNV-1a of the uppercased
// bytes, built once; a lookup allocates nothing. Twin: instrument-index.ts.
#pragma once
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/md_decode_status.h"

namespace veloz::md {

struct InstrumentSpec {
  std::string venue_symbol;
  uint32_t id;
  int price_scale;
  int qty_scale;
};

class InstrumentIndex {
 public:
  struct Entry {
    std::string key;  // uppercased venue symbol
    uint32_t id;
    int price_scale;
    int qty_scale;
  };

  // Throws std::invalid_argument naming the entry for an empty or too long symbol, a
  // non-printable byte, id 0, a scale outside 0..18, or a symbol or id given twice.
  explicit InstrumentIndex(const std::vector<InstrumentSpec>& specs) {
    size_t cap = 8;
    while (cap < specs.size() * 2) cap <<= 1;
    slots_.assign(cap, -1);
    mask_ = cap - 1;
    for (const InstrumentSpec& s : specs) {
      const std::string where = "instrument " + std::to_string(entries_.size()) + " (\"" + s.venue_symbol + "\")";
      if (s.venue_symbol.empty() || s.venue_symbol.size() > kMaxSymbolBytes) {
        throw std::invalid_argument(where + ": venueSymbol must have 1.." + std::to_string(kMaxSymbolBytes) + " bytes");
      }
      for (char c : s.venue_symbol) {
        if (c <= 0x20 || c >= 0x7F || c == '"' || c == '\\') throw std::invalid_argument(where + ": venueSymbol must be printable ASCII without quotes or backslashes");
      }
      if (s.id == 0) throw std::invalid_argument(where + ": instrumentId 0 is reserved");
      if (s.price_scale < 0 || s.price_scale > 18 || s.qty_scale < 0 || s.qty_scale > 18) {
        throw std::invalid_argument(where + ": priceScale and qtyScale must be 0..18");
      }
      for (const Entry& e : entries_) {
        if (e.id == s.id) throw std::invalid_argument(where + ": instrumentId " + std::to_string(s.id) + " is given twice");
      }
      std::string key = s.venue_symbol;
      for (char& c : key) c = upper(c);
      if (find(key.data(), key.size()) >= 0) throw std::invalid_argument(where + ": venueSymbol is given twice (case-insensitively)");
      size_t h = hash(key.data(), key.size()) & mask_;
      while (slots_[h] >= 0) h = (h + 1) & mask_;
      slots_[h] = static_cast<int32_t>(entries_.size());
      entries_.push_back(Entry{key, s.id, s.price_scale, s.qty_scale});
    }
  }

  // Index of the entry for p[0, n) in any letter case, or -1.
  int find(const char* p, size_t n) const noexcept {
    if (n == 0 || n > kMaxSymbolBytes) return -1;
    char key[kMaxSymbolBytes];
    for (size_t i = 0; i < n; ++i) key[i] = upper(p[i]);
    for (size_t h = hash(key, n) & mask_;; h = (h + 1) & mask_) {
      const int32_t at = slots_[h];
      if (at < 0) return -1;
      const std::string& k = entries_[static_cast<size_t>(at)].key;
      if (k.size() == n && k.compare(0, n, key, n) == 0) return at;
    }
  }

  int find_id(uint32_t id) const noexcept {
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].id == id) return static_cast<int>(i);
    }
    return -1;
  }

  const Entry& at(int i) const noexcept { return entries_[static_cast<size_t>(i)]; }
  size_t size() const noexcept { return entries_.size(); }

 private:
  static char upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }
  static uint32_t hash(const char* p, size_t n) noexcept {
    uint32_t h = 0x811C9DC5u;
    for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * 0x01000193u;
    return h;
  }

  std::vector<Entry> entries_;
  std::vector<int32_t> slots_;
  size_t mask_ = 0;
};

}  // namespace veloz::md
