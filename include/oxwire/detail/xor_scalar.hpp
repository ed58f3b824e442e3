// oxwire — scalar XorMagic kernel (MS-OXCRPC 3.1.4.1.1.3): the reference and oracle for the SIMD
// kernel, and the tail loop of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace oxwire::detail {

/// The byte every payload byte is XORed with (MS-OXCRPC 3.1.4.1.1.3).
inline constexpr std::uint8_t xor_magic = 0xA5;

/// XORs n bytes at p with 0xA5 in place, one byte at a time (the oracle).
inline void xor_magic_bytewise(std::uint8_t* p, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::uint8_t>(p[i] ^ xor_magic);
}

/// XORs n bytes at p with 0xA5 in place, eight bytes at a time.
inline void xor_magic_scalar(std::uint8_t* p, std::size_t n) noexcept {
  constexpr std::uint64_t mask = 0xA5A5A5A5A5A5A5A5ULL;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    w ^= mask;
    std::memcpy(p + i, &w, 8);
  }
  xor_magic_bytewise(p + i, n - i);
}

}  // namespace oxwire::detail
