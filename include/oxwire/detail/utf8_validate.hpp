// oxwire — UTF-8 validation (Unicode 3.9, table 3-7) with an ASCII fast path; used where a
// decoder hands out UTF-8 views without converting them (WBXML strings).
#pragma once

#include <oxwire/detail/utf16_scalar.hpp>  // utf8_leads

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace oxwire::detail {

/// Offset of the first byte of the first ill-formed sequence in p[0, n), or n when all of it is
/// well-formed UTF-8: `if (auto at = utf8_invalid_at(s, n); at != n) ...`.
[[nodiscard]] inline std::size_t utf8_invalid_at(const std::uint8_t* p, std::size_t n) noexcept {
  constexpr std::uint64_t high_bits = 0x8080808080808080ULL;
  std::size_t i = 0;
  while (i < n) {
    while (n - i >= 16) {  // 16 ASCII bytes per step
      std::uint64_t a, b;
      std::memcpy(&a, p + i, 8);
      std::memcpy(&b, p + i + 8, 8);
      if ((a | b) & high_bits) break;
      i += 16;
    }
    if (i == n) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    const utf8_lead lead = utf8_leads[p[i]];
    if (lead.len == 0 || n - i < lead.len || p[i + 1] < lead.lo || p[i + 1] > lead.hi) return i;
    for (std::size_t k = 2; k < lead.len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    i += lead.len;
  }
  return n;
}

}  // namespace oxwire::detail
