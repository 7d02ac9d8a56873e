// The object keys the Binance decoder reads, at the root and inside a combined-stream
// "data" object. Keys are matched on their raw bytes (an escaped spelling of a key is
// an unknown key), the same rule as src/venues/binance/decode/fields.ts.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/json_scalar.h"

namespace veloz::md::binance {

enum Field : int {
  kFe = 0,  // "e" event type
  kFE,      // "E" event time, ms
  kFT,      // "T" transaction / trade time, ms
  kFs,      // "s" symbol
  kFU,      // "U" first update id
  kFu,      // "u" last update id
  kFpu,     // "pu" previous message's last update id (futures)
  kFb,      // "b" bids (depth) / best bid price (bookTicker)
  kFa,      // "a" asks (depth) / best ask price (bookTicker) / aggregate id (aggTrade)
  kFB,      // "B" best bid qty
  kFA,      // "A" best ask qty
  kFt,      // "t" trade id
  kFp,      // "p" price
  kFq,      // "q" quantity
  kFm,      // "m" buyer is maker
  kFf,      // "f" first trade id
  kFl,      // "l" last trade id
  kFlastUpdateId,
  kFbids,
  kFasks,
  kFstream,
  kFdata,
  kFresult,
  kFid,
  kFerror,
  kFieldCount
};

// Which level list an array under this key is: 0 b, 1 a, 2 bids, 3 asks; -1 none.
inline int level_side_of(int field) noexcept {
  switch (field) {
    case kFb: return 0;
    case kFa: return 1;
    case kFbids: return 2;
    case kFasks: return 3;
    default: return -1;
  }
}
inline constexpr int kLevelSideCount = 4;

inline int field_of(const char* k, size_t n) noexcept {
  using json::equals;
  switch (n) {
    case 1:
      switch (k[0]) {
        case 'e': return kFe;
        case 'E': return kFE;
        case 'T': return kFT;
        case 's': return kFs;
        case 'U': return kFU;
        case 'u': return kFu;
        case 'b': return kFb;
        case 'a': return kFa;
        case 'B': return kFB;
        case 'A': return kFA;
        case 't': return kFt;
        case 'p': return kFp;
        case 'q': return kFq;
        case 'm': return kFm;
        case 'f': return kFf;
        case 'l': return kFl;
        default: return -1;
      }
    case 2:
      if (equals(k, n, "pu", 2)) return kFpu;
      if (equals(k, n, "id", 2)) return kFid;
      return -1;
    case 4:
      if (equals(k, n, "bids", 4)) return kFbids;
      if (equals(k, n, "asks", 4)) return kFasks;
      if (equals(k, n, "data", 4)) return kFdata;
      return -1;
    case 5:
      return equals(k, n, "error", 5) ? kFerror : -1;
    case 6:
      if (equals(k, n, "stream", 6)) return kFstream;
      if (equals(k, n, "result", 6)) return kFresult;
      return -1;
    case 12:
      return equals(k, n, "lastUpdateId", 12) ? kFlastUpdateId : -1;
    default:
      return -1;
  }
}

// What the validation walk records for one object: the first token of every known
// key, whether a known key came twice, and where each level list sits in the shared
// level array.
struct FieldTable {
  json::Token field[kFieldCount];
  uint32_t level_begin[kLevelSideCount];
  uint32_t level_count[kLevelSideCount];
  bool duplicate;
};

// One element of a level list: [price, qty, ...ignored]. The walk records the first
// two elements' tokens; the decode step checks the shape.
struct LevelTokens {
  json::Token price;
  json::Token qty;
  uint32_t elements;  // elements of the inner array
  bool is_array;
};

}  // namespace veloz::md::binance
