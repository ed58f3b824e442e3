// oxwire — scanning XML character data for the XML -> WBXML reader (xml_reader.hpp) in one pass:
// where the run of bytes that can be taken as they are ends ('<', or a byte that needs decoding:
// & CR '>' 0xEF and the C0 controls XML 1.0 2.2 forbids), and whether a byte other than XML
// whitespace comes before that point (the reader's whitespace rule). The scalar reference and an
// AVX2 kernel (32 bytes per step) give the same answer for every input; tests hold them to it.
#pragma once

#include <oxwire/detail/cpu.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace oxwire::detail {

/// Classes of bytes of character data. stop: ends a plain run ('<' starts markup; & CR '>' 0xEF
/// and the C0 controls other than TAB/LF need decoding or checking: references, line ends, "]]>",
/// U+FFFE/U+FFFF, characters XML 1.0 2.2 does not allow); not_space: anything but SP TAB CR LF.
inline constexpr std::uint8_t xml_text_stop_bit = 1, xml_text_not_space_bit = 2;
inline constexpr std::array<std::uint8_t, 256> xml_text_class = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = xml_text_not_space_bit;
  t[' '] = t['\t'] = t['\n'] = t['\r'] = 0;
  for (int c = 0; c < 0x20; ++c)
    if (c != '\t' && c != '\n') t[c] |= xml_text_stop_bit;
  t['<'] |= xml_text_stop_bit;
  t['&'] |= xml_text_stop_bit;
  t['>'] |= xml_text_stop_bit;
  t[0xEF] |= xml_text_stop_bit;
  return t;
}();

/// The result of a scan of s[0, n).
struct xml_text_run {
  std::size_t stop = 0;    // offset of the first stop byte, or n
  bool not_space = false;  // a byte of s[0, stop) is not XML whitespace
  friend bool operator==(const xml_text_run&, const xml_text_run&) = default;
};

/// Scalar reference: `auto r = xml_text_scan_scalar(p, n); if (r.stop == n) ...all plain`.
[[nodiscard]] inline xml_text_run xml_text_scan_scalar(const std::uint8_t* s,
                                                       std::size_t n) noexcept {
  std::uint8_t seen = 0;
  std::size_t i = 0;
  for (; i < n; ++i) {
    const std::uint8_t c = xml_text_class[s[i]];
    if (c & xml_text_stop_bit) break;
    seen |= c;
  }
  return {i, (seen & xml_text_not_space_bit) != 0};
}

#if OXWIRE_X86

[[nodiscard]] OXWIRE_TARGET_AVX2 inline __m256i xml_text_eq(__m256i v, char c) noexcept {
  return _mm256_cmpeq_epi8(v, _mm256_set1_epi8(c));
}

/// The same as `xml_text_scan_scalar`, 32 bytes per step; n >= 32: the last n % 32 bytes are the
/// end of one more step over the last 32 (the bytes before them hold no stop byte).
[[nodiscard]] OXWIRE_TARGET_AVX2 inline xml_text_run xml_text_scan_avx2(const std::uint8_t* s,
                                                                        std::size_t n) noexcept {
  std::uint32_t not_space = 0;
  for (std::size_t i = 0;; i += 32) {
    const bool last = n - i <= 32;
    if (last) i = n - 32;
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i));
    const __m256i tab_lf = _mm256_or_si256(xml_text_eq(v, '\t'), xml_text_eq(v, '\n'));
    const __m256i control =  // below 0x20, not TAB or LF (CR is in here: a stop byte too)
        _mm256_andnot_si256(tab_lf,
                            _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1F)), v));
    const __m256i markup =
        _mm256_or_si256(_mm256_or_si256(xml_text_eq(v, '<'), xml_text_eq(v, '&')),
                        _mm256_or_si256(xml_text_eq(v, '>'), xml_text_eq(v, '\xEF')));
    const auto stop =
        static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(control, markup)));
    const __m256i space =
        _mm256_or_si256(_mm256_or_si256(tab_lf, xml_text_eq(v, ' ')), xml_text_eq(v, '\r'));
    const auto other = ~static_cast<std::uint32_t>(_mm256_movemask_epi8(space));
    if (stop) {
      not_space |= other & ((stop & (0 - stop)) - 1);
      return {i + static_cast<std::size_t>(std::countr_zero(stop)), not_space != 0};
    }
    not_space |= other;
    if (last) return {n, not_space != 0};
  }
}

#endif

/// The kernel for `set` (the reader passes best_isa()).
[[nodiscard]] inline xml_text_run xml_text_scan(const std::uint8_t* s, std::size_t n,
                                                isa set) noexcept {
#if OXWIRE_X86
  if (set == isa::avx2 && n >= 32) return xml_text_scan_avx2(s, n);
#endif
  (void)set;
  return xml_text_scan_scalar(s, n);
}
[[nodiscard]] inline xml_text_run xml_text_scan(const char* s, std::size_t n, isa set) noexcept {
  return xml_text_scan(reinterpret_cast<const std::uint8_t*>(s), n, set);
}

}  // namespace oxwire::detail
