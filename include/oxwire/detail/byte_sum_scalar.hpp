// oxwire — scalar byte sum (the TNEF attribute checksum, MS-OXTNEF 2.1.3.3): the reference and
// oracle for the SIMD kernel, and the tail loop of it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace oxwire::detail {

/// The sum of n bytes at p, one byte at a time; exact up to 2^56 bytes.
inline std::uint64_t byte_sum_scalar(const std::uint8_t* p, std::size_t n) noexcept {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += p[i];
  return sum;
}

}  // namespace oxwire::detail
