// oxwire — AVX2 base64 kernels (x86 only; selected at run time by best_isa()).
//
// W. Muła, D. Lemire, "Faster Base64 Encoding and Decoding Using AVX2 Instructions" (2018):
// 32 characters are validated and translated with pshufb lookups on their nibbles, then packed
// to 24 bytes. A block with any other character (padding, whitespace, a fault) goes to the
// scalar state machine from its first character, so errors carry the scalar offsets; the
// vector loop resumes at the next quantum boundary. The lookup tables are derived from the
// alphabet at compile time.
#pragma once

#include <oxwire/detail/base64_scalar.hpp>
#include <oxwire/detail/cpu.hpp>

#if OXWIRE_X86

namespace oxwire::detail {

/// pshufb tables for one alphabet. A character c is in the alphabet iff
/// (lo[c & 15] & hi[c >> 4]) == 0; its value is c + roll[(c >> 4) | (c == special ? 8 : 0)].
struct base64_avx2_tables {
  std::array<std::int8_t, 16> lo{}, hi{}, roll{};
  std::uint8_t special = 0;
  bool ok = true;  // the alphabet fits the scheme
};

template <base64::alphabet A>
inline constexpr base64_avx2_tables base64_avx2 = [] {
  constexpr const auto& values = base64_values<A>;
  base64_avx2_tables t;
  // Valid low nibbles per high nibble; each distinct set becomes one class bit.
  std::array<std::uint16_t, 16> valid{};
  for (unsigned c = 0; c < 256; ++c)
    if (values[c] < 64) valid[c >> 4] = static_cast<std::uint16_t>(valid[c >> 4] | 1u << (c & 15));
  std::array<std::uint16_t, 8> sets{};
  unsigned classes = 0;
  for (unsigned h = 0; h < 16; ++h) {
    unsigned k = 0;
    while (k < classes && sets[k] != valid[h]) ++k;
    if (k == classes) {
      if (classes == sets.size()) {
        t.ok = false;
        return t;
      }
      sets[classes++] = valid[h];
    }
    t.hi[h] = static_cast<std::int8_t>(1u << k);
  }
  for (unsigned l = 0; l < 16; ++l)
    for (unsigned k = 0; k < classes; ++k)
      if (!(sets[k] >> l & 1)) t.lo[l] = static_cast<std::int8_t>(t.lo[l] | 1u << k);
  // Per high nibble one offset value - c; at most one character in all may differ from it.
  bool have_special = false;
  for (unsigned h = 0; h < 8; ++h) {
    bool first = true;
    for (unsigned l = 0; l < 16; ++l) {
      const unsigned c = h << 4 | l;
      if (values[c] >= 64) continue;
      const auto delta = static_cast<std::int8_t>(values[c] - c);
      if (first) {
        t.roll[h] = delta;
        first = false;
      } else if (delta != t.roll[h]) {
        if (have_special) t.ok = false;
        have_special = true;
        t.special = static_cast<std::uint8_t>(c);
        t.roll[h | 8] = delta;
      }
    }
  }
  return t;
}();

[[nodiscard]] OXWIRE_TARGET_AVX2 inline __m256i broadcast_table(
    const std::array<std::int8_t, 16>& t) noexcept {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data())));
}

/// base64 -> bytes, 32 characters per step.
template <base64::alphabet A>
[[nodiscard]] OXWIRE_TARGET_AVX2 inline result<std::size_t> base64_decode_avx2(
    std::string_view in, mutable_bytes out, base64::mode m) noexcept {
  constexpr const base64_avx2_tables& t = base64_avx2<A>;
  static_assert(t.ok, "alphabet does not fit the nibble lookup");
  const __m256i lut_lo = broadcast_table(t.lo), lut_hi = broadcast_table(t.hi),
                lut_roll = broadcast_table(t.roll);
  const __m256i nibble = _mm256_set1_epi8(0x0F), special = _mm256_set1_epi8(t.special),
                eight = _mm256_set1_epi8(8);
  // RFC 4648 4: four 6-bit values -> three bytes, big-endian within each 32-bit lane.
  const __m256i merge_pairs = _mm256_set1_epi32(0x01400140),
                merge_quads = _mm256_set1_epi32(0x00011000);
  const __m256i to_bytes = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,
                                            2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
  const __m256i compact = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7);
  const char* const s = in.data();
  const std::size_t n = in.size();
  base64_state st;
  while (n - st.i >= 32 && out.size() - st.o >= 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + st.i));
    const __m256i hi = _mm256_and_si256(_mm256_srli_epi32(v, 4), nibble);
    if (!_mm256_testz_si256(_mm256_shuffle_epi8(lut_lo, _mm256_and_si256(v, nibble)),
                            _mm256_shuffle_epi8(lut_hi, hi))) {
      if (auto r = base64_decode_run<A>(in, out, m, st, st.i + 32); !r) return r.error();
      continue;
    }
    const __m256i roll_at =
        _mm256_or_si256(hi, _mm256_and_si256(_mm256_cmpeq_epi8(v, special), eight));
    const __m256i six = _mm256_add_epi8(v, _mm256_shuffle_epi8(lut_roll, roll_at));
    const __m256i bytes = _mm256_madd_epi16(_mm256_maddubs_epi16(six, merge_pairs), merge_quads);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.data() + st.o),
                        _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(bytes, to_bytes), compact));
    st.i += 32;
    st.o += 24;
  }
  if (auto r = base64_decode_run<A>(in, out, m, st, n); !r) return r.error();
  return base64_decode_finish(in, out, m, st);
}

/// bytes -> base64, 24 bytes per step (reads 32, so stops 32 bytes before the end); `out` holds
/// at least the encoded size.
template <base64::alphabet A>
OXWIRE_TARGET_AVX2 inline std::size_t base64_encode_avx2(bytes_view in, std::span<char> out,
                                                         bool pad) noexcept {
  constexpr std::string_view chars = base64_chars<A>;
  const __m256i spread = _mm256_setr_epi32(0, 1, 2, 2, 3, 4, 5, 5);
  const __m256i triples = _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,  //
                                           1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
  // Index -> character: one offset per range A-Z, a-z, 0-9, [62], [63].
  const auto off = [](int c, int v) { return static_cast<char>(c - v); };
  const __m128i shift128 =
      _mm_setr_epi8(off('a', 26), off('0', 52), off('0', 52), off('0', 52), off('0', 52),
                    off('0', 52), off('0', 52), off('0', 52), off('0', 52), off('0', 52),
                    off('0', 52), off(chars[62], 62), off(chars[63], 63), 'A', 0, 0);
  const __m256i shift = _mm256_broadcastsi128_si256(shift128);
  std::size_t i = 0, o = 0;
  for (; in.size() - i >= 32; i += 24, o += 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in.data() + i));
    v = _mm256_shuffle_epi8(_mm256_permutevar8x32_epi32(v, spread), triples);
    const __m256i hi6 = _mm256_mulhi_epu16(_mm256_and_si256(v, _mm256_set1_epi32(0x0FC0FC00)),
                                           _mm256_set1_epi32(0x04000040));
    const __m256i lo6 = _mm256_mullo_epi16(_mm256_and_si256(v, _mm256_set1_epi32(0x003F03F0)),
                                           _mm256_set1_epi32(0x01000010));
    const __m256i idx = _mm256_or_si256(hi6, lo6);
    __m256i range = _mm256_subs_epu8(idx, _mm256_set1_epi8(51));
    range = _mm256_or_si256(range, _mm256_and_si256(_mm256_cmpgt_epi8(_mm256_set1_epi8(26), idx),
                                                    _mm256_set1_epi8(13)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.data() + o),
                        _mm256_add_epi8(_mm256_shuffle_epi8(shift, range), idx));
  }
  return base64_encode_from<A>(in, i, out, o, pad);
}

}  // namespace oxwire::detail

#endif  // OXWIRE_X86
