// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum of every WAL record.
// Plain C++ (no napi.h). `extend` continues a finished CRC value, so
// extend(extend(0, a), b) == extend(0, a ++ b); the standard check value is
// extend(0, "123456789") == 0xE3069283.
#pragma once
#include <cstddef>
#include <cstdint>

namespace veloz::crc32c {

// Best implementation this CPU has: SSE4.2 crc32 instructions when present (checked
// once at run time, since the addon is built without -msse4.2), else slicing-by-8.
uint32_t extend(uint32_t crc, const uint8_t* data, size_t size) noexcept;

// The portable slicing-by-8 path, always compiled; tests hold it to the same values.
uint32_t extend_software(uint32_t crc, const uint8_t* data, size_t size) noexcept;

// Whether `extend` uses the hardware instructions on this machine.
bool hardware_available() noexcept;

}  // namespace veloz::crc32c
