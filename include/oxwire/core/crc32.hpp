// oxwire — CRC-32 (polynomial 0xEDB88320) from libdeflate, in the two presets the specs use:
//
//   oxwire::crc32(data)                  standard: initial and final XOR 0xFFFFFFFF (MS-OXOAB)
//   oxwire::crc32_no_final_xor(data)     started at 0, no final XOR: compressed RTF (MS-OXRTFCP
//                                        3.1.3.2) and .msg string-name hashes (MS-OXMSG 2.2.3.2.2)
//
// libdeflate folds with carry-less multiplication where the CPU has it (PCLMUL/VPCLMUL: 12-14 GB/s
// here, 3-6x zlib's crc32_z, whose slicing tables it replaced). This header is header-only over
// libdeflate: the program links it (-ldeflate; pkg-config libdeflate).
#pragma once

#include <oxwire/core/bytes.hpp>

#include <libdeflate.h>

#include <cstdint>

namespace oxwire {

/// The standard CRC-32 of `data`.
[[nodiscard]] inline std::uint32_t crc32(bytes_view data) noexcept {
  return libdeflate_crc32(0, data.data(), data.size());
}

/// The CRC-32 of `data` started at `crc` (0 for a whole input) without the final XOR:
/// `crc32_no_final_xor(b, crc32_no_final_xor(a)) == crc32_no_final_xor(a + b)`.
[[nodiscard]] inline std::uint32_t crc32_no_final_xor(bytes_view data,
                                                      std::uint32_t crc = 0) noexcept {
  // A null buffer asks libdeflate (as zlib) for its initial value, and it inverts before and
  // after: answer the empty input here, undo both inversions otherwise.
  if (data.empty()) return crc;
  return ~libdeflate_crc32(~crc, data.data(), data.size());
}

}  // namespace oxwire
