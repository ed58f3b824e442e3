// oxwire — WBXML multi-byte integers (WAP-192-WBXML 5.1 mb_u_int32): big-endian groups of 7 bits,
// bit 7 set on every byte but the last, at most 5 bytes for 32 bits.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace oxwire::detail {

enum class mb_status : std::uint8_t { ok, truncated, too_long, overflow };

struct mb_uint32 {
  std::uint32_t value = 0;
  std::uint8_t size = 0;  // bytes consumed when ok
  mb_status status = mb_status::ok;
};

/// Reads an mb_u_int32 from p[0, n).
[[nodiscard]] inline mb_uint32 read_mb_uint32(const std::uint8_t* p, std::size_t n) noexcept {
  std::uint64_t v = 0;
  for (std::uint8_t i = 0; i < 5; ++i) {
    if (i == n) return {0, i, mb_status::truncated};
    v = v << 7 | (p[i] & 0x7Fu);
    if (!(p[i] & 0x80)) {
      if (v > 0xFFFFFFFFu) return {0, static_cast<std::uint8_t>(i + 1), mb_status::overflow};
      return {static_cast<std::uint32_t>(v), static_cast<std::uint8_t>(i + 1), mb_status::ok};
    }
  }
  return {0, 5, mb_status::too_long};
}

/// The shortest mb_u_int32 encoding of v: bytes in out[0, returned size).
[[nodiscard]] constexpr std::size_t put_mb_uint32(std::array<std::uint8_t, 5>& out,
                                                  std::uint32_t v) noexcept {
  std::size_t n = 1;
  for (std::uint32_t rest = v >> 7; rest; rest >>= 7) ++n;
  for (std::size_t i = n; i-- > 0; v >>= 7)
    out[i] = static_cast<std::uint8_t>((v & 0x7F) | (i + 1 < n ? 0x80 : 0));
  return n;
}

}  // namespace oxwire::detail
