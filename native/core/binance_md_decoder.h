// Binance market data (spot and USD-M futures) to 64-byte md events, no JSON objects
// and no floating point. One decoder per thread; it owns every buffer it needs.
//
//   frame ──► SkeletonScanner (validate all, record tokens) ──► decode step (fixed field
//   order, decimals to int64) ──► staging slots ──► ring slots, only when all succeeded
//
// A failed message writes nothing to the ring, so the caller publishes only on success.
// Twin: src/venues/binance/decode/ts-decoder.ts, byte for byte.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/binance_skeleton.h"
#include "core/instrument_index.h"
#include "core/md_decode_status.h"

namespace veloz::md::binance {

enum class Market : int { Spot = 0, UsdM = 1 };

// Where events go: slot i of a message lands at ((start_pos + i) & (capacity - 1)).
struct RingTarget {
  uint8_t* slots;       // slot 0 of the ring's data region
  uint64_t capacity;    // slots, a power of two
  uint64_t start_pos;   // producer position of the first free slot
  uint64_t free_slots;  // how many may be written, <= capacity
};

class MdDecoder {
 public:
  static constexpr size_t kSlotBytes = 64;

  MdDecoder(Market market, const std::vector<InstrumentSpec>& instruments, size_t max_message_bytes);

  // A websocket frame: a raw stream payload, a combined-stream wrapper, or a command
  // reply. Returns slots written (>= 0) or a DecodeStatus; fills *result.
  int32_t decode_stream(const uint8_t* frame, size_t len, int64_t recv_ns, const RingTarget& ring,
                        DecodeResultRecord* result);

  // A REST depth snapshot body for the instrument at `instrument_index`.
  int32_t decode_snapshot(const uint8_t* body, size_t len, int instrument_index, int64_t recv_ns,
                          const RingTarget& ring, DecodeResultRecord* result);

  const InstrumentIndex& instruments() const noexcept { return instruments_; }
  const uint64_t* counters() const noexcept { return counters_; }
  size_t max_message_bytes() const noexcept { return max_bytes_; }

 private:
  struct Slot {
    alignas(64) unsigned char bytes[kSlotBytes];
  };
  struct Context;

  int32_t run(const uint8_t* frame, size_t len, int snapshot_instrument, int64_t recv_ns, const RingTarget& ring,
              DecodeResultRecord* result);
  DecodeStatus decode(Context& c);
  DecodeStatus depth_update(Context& c);
  DecodeStatus depth_snapshot(Context& c);
  DecodeStatus trade(Context& c, bool aggregated);
  DecodeStatus book_ticker(Context& c);
  DecodeStatus levels(Context& c, int side, bool bids, size_t at);
  Slot* staging(size_t count);

  Market market_;
  size_t max_bytes_;
  InstrumentIndex instruments_;
  SkeletonScanner scanner_;
  std::vector<Slot> staging_;
  uint64_t counters_[kDecodeStatusCount] = {};
};

}  // namespace veloz::md::binance
