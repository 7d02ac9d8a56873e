// Monotonic nanosecond clock shared by every stamp in the engine (receive time,
// latency histograms). CLOCK_MONOTONIC so NTP slews never make latency negative.
#pragma once
#include <cstdint>
#include <ctime>

namespace veloz {

inline int64_t monotonic_ns() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

inline int64_t realtime_ns() noexcept {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

}  // namespace veloz
