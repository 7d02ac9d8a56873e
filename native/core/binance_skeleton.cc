#include "core/binance_skeleton.h"

#include <cstring>
#include <new>
#include <string_view>
#include <utility>

#include "core/md_decode_status.h"
#include "simdjson.h"

namespace veloz::md::binance {

namespace od = simdjson::ondemand;
using json::Token;

struct SkeletonScanner::Walker {
  od::parser parser;
  // Frames arrive unpadded; simdjson reads up to SIMDJSON_PADDING bytes past the end.
  std::vector<char> padded;
  FieldTable* tables = nullptr;
  std::vector<LevelTokens>* levels = nullptr;

  // Buffers sized for any stream message up front, so growing them (an allocation) only
  // happens for big REST snapshots.
  explicit Walker(size_t max_bytes) : parser(max_bytes) {
    const size_t initial = max_bytes < kInitialBytes ? max_bytes : kInitialBytes;
    if (parser.allocate(initial) != simdjson::SUCCESS) throw std::bad_alloc();
    padded.resize(initial + simdjson::SIMDJSON_PADDING);
  }
  static constexpr size_t kInitialBytes = 64 * 1024;

  // A scalar's raw token, judged by json_scalar.h. A string is then consumed: left
  // alone, simdjson would skip it when moving on, and its skip takes a string followed
  // by ':' for a key ({"data": "s":1} would pass). Other scalars are skipped exactly.
  static bool scalar(od::value& v, Token* out) {
    const std::string_view raw = v.raw_json_token();
    if (!json::scalar_token<true>(raw.data(), raw.size(), out)) return false;
    return out->kind != json::kString || consume_string(v);
  }

  static bool consume_string(od::value& v) {
    od::raw_json_string ignored;
    return v.get_raw_json_string().get(ignored) == simdjson::SUCCESS;
  }

  // Keys point into the padded buffer and were delimited by stage 1: only escapes are left.
  static bool key_ok(std::string_view key) {
    return !json::has_backslash_padded(key.data(), key.size()) || json::valid_string_content(key.data(), key.size());
  }

  // Any value; `depth` is the depth of the container holding it (root container = 1).
  bool value(od::value& v, int depth) {
    od::json_type type;
    if (v.type().get(type) != simdjson::SUCCESS) return false;
    switch (type) {
      case od::json_type::object: {
        if (depth + 1 > kMaxJsonDepth) return false;
        od::object obj;
        if (v.get_object().get(obj) != simdjson::SUCCESS) return false;
        return object(obj, depth + 1);
      }
      case od::json_type::array: {
        if (depth + 1 > kMaxJsonDepth) return false;
        od::array arr;
        if (v.get_array().get(arr) != simdjson::SUCCESS) return false;
        return array(arr, depth + 1);
      }
      default: {
        Token ignored;
        return scalar(v, &ignored);
      }
    }
  }

  // An object whose keys are of no interest; `depth` is its own depth.
  bool object(od::object& obj, int depth) {
    for (auto item : obj) {
      od::field f;
      // escaped_key() looks back from the value's position: read it before the value.
      if (std::move(item).get(f) != simdjson::SUCCESS || !key_ok(f.escaped_key())) return false;
      if (!value(f.value(), depth)) return false;
    }
    return true;
  }

  bool array(od::array& arr, int depth) {
    for (auto item : arr) {
      od::value v;
      if (std::move(item).get(v) != simdjson::SUCCESS || !value(v, depth)) return false;
    }
    return true;
  }

  // The root object (table 0) or the root's "data" object (table 1).
  bool table(od::object& obj, int which, int depth) {
    FieldTable& t = tables[which];
    for (auto item : obj) {
      od::field f;
      if (std::move(item).get(f) != simdjson::SUCCESS) return false;
      // escaped_key() looks back from the value's position: read it before the value.
      const std::string_view key = f.escaped_key();
      if (!key_ok(key)) return false;
      od::value& v = f.value();
      const int id = field_of(key.data(), key.size());
      if (id < 0) {
        if (!value(v, depth)) return false;
        continue;
      }
      Token& slot = t.field[id];
      if (slot.kind != json::kAbsent) {
        t.duplicate = true;
        if (!value(v, depth)) return false;
        continue;
      }
      od::json_type type;
      if (v.type().get(type) != simdjson::SUCCESS) return false;
      if (type == od::json_type::object) {
        slot.kind = json::kObject;
        if (id == kFdata && which == 0) {
          if (depth + 1 > kMaxJsonDepth) return false;
          od::object inner;
          if (v.get_object().get(inner) != simdjson::SUCCESS || !table(inner, 1, depth + 1)) return false;
        } else if (!value(v, depth)) {
          return false;
        }
      } else if (type == od::json_type::array) {
        slot.kind = json::kArray;
        const int side = level_side_of(id);
        if (side < 0) {
          if (!value(v, depth)) return false;
        } else if (!level_list(v, depth + 1, &t, side)) {
          return false;
        }
      } else if (!scalar(v, &slot)) {
        return false;
      }
    }
    return true;
  }

  // [[price, qty, ...], ...]; `depth` is the depth of the outer array. The hot loop of
  // every depth message, so it classifies tokens by their first byte instead of asking
  // simdjson for each value's type.
  bool level_list(od::value& v, int depth, FieldTable* t, int side) {
    if (depth > kMaxJsonDepth) return false;
    od::array arr;
    if (v.get_array().get(arr) != simdjson::SUCCESS) return false;
    const size_t begin = levels->size();
    for (auto item : arr) {
      od::value element;
      if (std::move(item).get(element) != simdjson::SUCCESS) return false;
      LevelTokens level{};
      od::array inner;
      const simdjson::error_code err = element.get_array().get(inner);
      if (err == simdjson::INCORRECT_TYPE) {
        if (!value(element, depth)) return false;
      } else if (err != simdjson::SUCCESS || depth + 1 > kMaxJsonDepth) {
        return false;
      } else {
        level.is_array = true;
        for (auto part : inner) {
          od::value pv;
          if (std::move(part).get(pv) != simdjson::SUCCESS) return false;
          if (level.elements < 2) {
            Token* into = level.elements == 0 ? &level.price : &level.qty;
            const std::string_view raw = pv.raw_json_token();
            if (raw.empty()) return false;
            if (raw[0] == '{' || raw[0] == '[') {
              into->kind = raw[0] == '{' ? json::kObject : json::kArray;
              if (!value(pv, depth + 1)) return false;
            } else if (!json::scalar_token<true>(raw.data(), raw.size(), into) ||
                       (into->kind == json::kString && !consume_string(pv))) {
              return false;
            }
          } else if (!value(pv, depth + 1)) {
            return false;
          }
          ++level.elements;
        }
      }
      levels->push_back(level);
    }
    t->level_begin[side] = static_cast<uint32_t>(begin);
    t->level_count[side] = static_cast<uint32_t>(levels->size() - begin);
    return true;
  }

  // A root that is not an object or array: the whole trimmed text must be one scalar.
  static bool root_scalar(const char* p, size_t n) {
    size_t i = 0;
    while (i < n && json::is_space(static_cast<unsigned char>(p[i]))) ++i;
    Token ignored;
    return json::scalar_token<false>(p + i, n - i, &ignored);
  }

  bool walk(const uint8_t* frame, size_t len, bool* root_is_object) {
    // simdjson would skip a UTF-8 byte-order mark; RFC 8259 JSON has none.
    if (len >= 3 && frame[0] == 0xEF && frame[1] == 0xBB && frame[2] == 0xBF) return false;
    const size_t need = len + simdjson::SIMDJSON_PADDING;
    if (padded.size() < need) padded.resize(need);
    if (len > 0) std::memcpy(padded.data(), frame, len);  // an empty frame may come with a null pointer
    std::memset(padded.data() + len, 0, simdjson::SIMDJSON_PADDING);
    od::document doc;
    if (parser.iterate(padded.data(), len, padded.size()).get(doc) != simdjson::SUCCESS) return false;
    od::json_type type;
    if (doc.type().get(type) != simdjson::SUCCESS) return false;
    if (type == od::json_type::object) {
      od::object obj;
      if (doc.get_object().get(obj) != simdjson::SUCCESS || !table(obj, 0, 1)) return false;
      *root_is_object = true;
    } else if (type == od::json_type::array) {
      od::array arr;
      if (doc.get_array().get(arr) != simdjson::SUCCESS || !array(arr, 1)) return false;
    } else {
      return root_scalar(padded.data(), len);
    }
    return doc.at_end();
  }
};

SkeletonScanner::SkeletonScanner(size_t max_message_bytes) : walker_(std::make_unique<Walker>(max_message_bytes)) {
  walker_->tables = tables_;
  walker_->levels = &levels_;
}

SkeletonScanner::~SkeletonScanner() = default;

bool SkeletonScanner::scan(const uint8_t* frame, size_t len) {
  std::memset(static_cast<void*>(tables_), 0, sizeof tables_);
  levels_.clear();
  root_is_object_ = false;
  return walker_->walk(frame, len, &root_is_object_);
}

}  // namespace veloz::md::binance
