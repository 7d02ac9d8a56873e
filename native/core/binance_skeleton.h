// Step 1 of decoding a Binance message: one validating walk over the whole JSON with
// simdjson On-Demand, recording the raw tokens of the keys the decoder reads (root
// object and, for combined streams, the "data" object) and of every [price, qty] level.
// Nothing is interpreted here, so key order never matters: step 2 (the decoder) reads
// the recorded tokens in a fixed order.
//
// A message is valid JSON when simdjson finds its structure (strings, brackets, commas,
// colons, UTF-8) sound, every scalar is spelled as RFC 8259 says (json_scalar.h), no
// container nests deeper than kMaxJsonDepth, nothing follows the root value and there
// is no byte-order mark. Every value is visited, including unknown fields, so an error
// anywhere in the message is found.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/binance_fields.h"

namespace veloz::md::binance {

class SkeletonScanner {
 public:
  explicit SkeletonScanner(size_t max_message_bytes);
  ~SkeletonScanner();
  SkeletonScanner(const SkeletonScanner&) = delete;
  SkeletonScanner& operator=(const SkeletonScanner&) = delete;

  // Copies frame[0, len) into the padded buffer and walks it. False: not valid JSON.
  // The caller checks len against the maximum first. May throw std::bad_alloc while
  // growing its buffers.
  bool scan(const uint8_t* frame, size_t len);

  bool root_is_object() const noexcept { return root_is_object_; }
  const FieldTable& root() const noexcept { return tables_[0]; }
  // The "data" object of the root; every token absent if there was none.
  const FieldTable& data() const noexcept { return tables_[1]; }
  const LevelTokens* levels() const noexcept { return levels_.data(); }

 private:
  struct Walker;
  std::unique_ptr<Walker> walker_;
  FieldTable tables_[2];
  std::vector<LevelTokens> levels_;
  bool root_is_object_ = false;
};

}  // namespace veloz::md::binance
