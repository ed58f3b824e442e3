// oxwire — the end of an XML name (XML 1.0 2.3 Name, restricted to ASCII: ActiveSync names are
// ASCII) for the XML -> WBXML reader: the scalar reference, one table load per byte, and an SSE2
// kernel (16 bytes per step; SSE2 is part of x86-64, so no dispatch) that gives the same answer
// for every input. The SSE2 step has one predictable branch per name where the byte loop
// mispredicts at the end of each name of a new length.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace oxwire::detail {

/// Bytes of names: bit 0 may start a name (letters, '_'), bit 1 may continue one (also digits,
/// '.', '-', ':').
inline constexpr std::uint8_t xml_name_start_bit = 1, xml_name_char_bit = 2;
inline constexpr std::array<std::uint8_t, 256> xml_name_class = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    t[c] = static_cast<std::uint8_t>(
        (alpha ? 3 : 0) | ((c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' ? 2 : 0));
  }
  return t;
}();

/// Scalar reference: bytes of s[0, n) before the first one that cannot continue a name.
[[nodiscard]] inline std::size_t xml_name_chars_scalar(const std::uint8_t* s,
                                                       std::size_t n) noexcept {
  std::size_t i = 0;
  while (i < n && (xml_name_class[s[i]] & xml_name_char_bit)) ++i;
  return i;
}

/// The end of a name and where its first ':' is (the prefix separator of a qualified name).
struct xml_name_run {
  std::size_t len = 0;    // as xml_name_chars
  std::size_t colon = 0;  // offset of the first ':' in s[0, len), or len
  friend bool operator==(const xml_name_run&, const xml_name_run&) = default;
};

/// Scalar reference: `xml_name_chars_scalar` and the first ':' before that point.
[[nodiscard]] inline xml_name_run xml_name_scan_scalar(const std::uint8_t* s,
                                                       std::size_t n) noexcept {
  const std::size_t len = xml_name_chars_scalar(s, n);
  std::size_t colon = 0;
  while (colon < len && s[colon] != ':') ++colon;
  return {len, colon};
}

#if defined(__SSE2__)

/// The name bytes (bit set) of 16 bytes at s.
[[nodiscard]] inline std::uint32_t xml_name_mask_sse2(__m128i v) noexcept {
  // v in [lo, hi] with signed compares: bytes >= 0x80 are negative, below every range here.
  const auto in = [](__m128i x, char lo, char hi) {
    return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(lo - 1))),
                         _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(hi + 1)), x));
  };
  const __m128i alpha = in(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
  const __m128i other = _mm_or_si128(_mm_or_si128(in(v, '0', ':'), in(v, '-', '.')),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
  return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_or_si128(alpha, other)));
}

/// The same as `xml_name_scan_scalar`, 16 bytes per step (the last n % 16 through the
/// reference): the start tag's name and its prefix in one pass.
[[nodiscard]] inline xml_name_run xml_name_scan_sse2(const std::uint8_t* s,
                                                     std::size_t n) noexcept {
  std::uint32_t colons = 0;  // ':' bytes of the 16 where the first one was seen
  std::size_t colon_base = 0;
  std::size_t i = 0;
  for (; n - i >= 16; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const std::uint32_t stop = ~xml_name_mask_sse2(v) & 0xFFFFu;
    std::uint32_t c =
        static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(':'))));
    if (stop) {
      const std::size_t len = i + static_cast<std::size_t>(std::countr_zero(stop));
      c &= (stop & (0 - stop)) - 1;  // the colons before the stop
      if (colons) return {len, colon_base + static_cast<std::size_t>(std::countr_zero(colons))};
      return {len, c ? i + static_cast<std::size_t>(std::countr_zero(c)) : len};
    }
    if (!colons && c) colons = c, colon_base = i;
  }
  const xml_name_run tail = xml_name_scan_scalar(s + i, n - i);
  if (colons)
    return {i + tail.len, colon_base + static_cast<std::size_t>(std::countr_zero(colons))};
  return {i + tail.len, i + tail.colon};
}

/// The same as `xml_name_chars_scalar`, 16 bytes per step (the last n % 16 through the
/// reference).
[[nodiscard]] inline std::size_t xml_name_chars_sse2(const std::uint8_t* s,
                                                     std::size_t n) noexcept {
  std::size_t i = 0;
  for (; n - i >= 16; i += 16) {
    const std::uint32_t stop =
        ~xml_name_mask_sse2(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i))) & 0xFFFFu;
    if (stop) return i + static_cast<std::size_t>(std::countr_zero(stop));
  }
  return i + xml_name_chars_scalar(s + i, n - i);
}

#endif

/// The kernel this build has.
[[nodiscard]] inline std::size_t xml_name_chars(const std::uint8_t* s, std::size_t n) noexcept {
#if defined(__SSE2__)
  return xml_name_chars_sse2(s, n);
#else
  return xml_name_chars_scalar(s, n);
#endif
}

/// The kernel this build has.
[[nodiscard]] inline xml_name_run xml_name_scan(const std::uint8_t* s, std::size_t n) noexcept {
#if defined(__SSE2__)
  return xml_name_scan_sse2(s, n);
#else
  return xml_name_scan_scalar(s, n);
#endif
}

}  // namespace oxwire::detail
