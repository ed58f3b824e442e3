// oxwire — finding the bytes of WBXML text that XML output cannot copy as they are (& < > CR, the
// C0 controls XML 1.0 forbids, and the lead byte of U+FFFE/U+FFFF): the scalar reference and an
// AVX2 kernel (32 bytes per step) that gives the same answer for every input.
#pragma once

#include <oxwire/detail/cpu.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace oxwire::detail {

/// Bytes of text that need more than copying: & < > CR, and C0 controls XML 1.0 forbids
/// (XML 1.0 2.2: only TAB, LF and CR below 0x20), and 0xEF (may start U+FFFE or U+FFFF).
inline constexpr std::array<bool, 256> xml_special = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = c != '\t' && c != '\n';
  t['&'] = t['<'] = t['>'] = true;
  t[0xEF] = true;
  return t;
}();

/// Offset of the first special byte of s[0, n), or n: the scalar reference.
[[nodiscard]] inline std::size_t xml_special_at_scalar(const std::uint8_t* s,
                                                       std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    if (xml_special[s[i]]) return i;
  return n;
}

#if OXWIRE_X86

/// The same as `xml_special_at_scalar`, 32 bytes per step.
[[nodiscard]] OXWIRE_TARGET_AVX2 inline std::size_t xml_special_at_avx2(const std::uint8_t* s,
                                                                        std::size_t n) noexcept {
  std::size_t i = 0;
  for (; n - i >= 32; i += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i));
    const __m256i control =
        _mm256_andnot_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\t')),
                                            _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n'))),
                            _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1F)), v));
    const __m256i markup = _mm256_or_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('&')),
                        _mm256_cmpeq_epi8(v, _mm256_set1_epi8('<'))),
        _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('>')),
                        _mm256_cmpeq_epi8(v, _mm256_set1_epi8(static_cast<char>(0xEF)))));
    const auto m =
        static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(control, markup)));
    if (m) return i + static_cast<std::size_t>(std::countr_zero(m));
  }
  return i + xml_special_at_scalar(s + i, n - i);
}

#endif

/// The kernel for `set`.
[[nodiscard]] inline std::size_t xml_special_at(const std::uint8_t* s, std::size_t n,
                                                isa set) noexcept {
#if OXWIRE_X86
  if (set == isa::avx2 && n >= 32) return xml_special_at_avx2(s, n);
#endif
  (void)set;
  return xml_special_at_scalar(s, n);
}

}  // namespace oxwire::detail
