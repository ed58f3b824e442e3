// oxwire — CRC-32 (polynomial 0xEDB88320) from zlib, in the two presets the specs use:
//
//   oxwire::crc32(data)                  standard: initial and final XOR 0xFFFFFFFF (MS-OXOAB)
//   oxwire::crc32_no_final_xor(data)     started at 0, no final XOR: compressed RTF (MS-OXRTFCP
//                                        3.1.3.2) and .msg string-name hashes (MS-OXMSG 2.2.3.2.2)
//
// This header is header-only over zlib: the program links zlib (CMake: ZLIB::ZLIB).
#pragma once

#include <oxwire/core/bytes.hpp>

#include <zlib.h>

#include <cstdint>

namespace oxwire {

/// The standard CRC-32 of `data`.
[[nodiscard]] inline std::uint32_t crc32(bytes_view data) noexcept {
  return static_cast<std::uint32_t>(::crc32_z(0, data.data(), data.size()));
}

/// The CRC-32 of `data` started at `crc` (0 for a whole input) without the final XOR:
/// `crc32_no_final_xor(b, crc32_no_final_xor(a)) == crc32_no_final_xor(a + b)`.
[[nodiscard]] inline std::uint32_t crc32_no_final_xor(bytes_view data,
                                                      std::uint32_t crc = 0) noexcept {
  if (data.empty()) return crc;  // zlib answers its own initial value for no data
  // zlib inverts before and after; undo both.
  return ~static_cast<std::uint32_t>(::crc32_z(~crc & 0xFFFFFFFFu, data.data(), data.size()));
}

}  // namespace oxwire
