// oxwire — UTF-8 validation (Unicode 3.9, table 3-7): the scalar reference with an ASCII fast path,
// and an AVX2 block checker (the lookup algorithm of Keiser and Lemire, "Validating UTF-8 in less
// than one instruction per byte", 2021) that only says whether an error occurred; the scalar
// function then finds where.
#pragma once

#include <oxwire/detail/cpu.hpp>
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

#if OXWIRE_X86

/// Checks consecutive 32-byte blocks of one UTF-8 string; `failed()` once any block (or the end,
/// see `finish`) holds an ill-formed sequence. Blocks are fed in order; bytes past the string's
/// end must be ASCII (e.g. zero) so that a sequence cut by the end shows as too short.
class utf8_avx2_checker {
 public:
  OXWIRE_TARGET_AVX2 utf8_avx2_checker() noexcept
      : error_(_mm256_setzero_si256()),
        prev_(_mm256_setzero_si256()),
        prev_incomplete_(_mm256_setzero_si256()) {}

  OXWIRE_TARGET_AVX2 void add(__m256i in) noexcept {
    if (_mm256_movemask_epi8(in) == 0) {  // ASCII: only a sequence left open before can fail
      error_ = _mm256_or_si256(error_, prev_incomplete_);
    } else {
      error_ = _mm256_or_si256(error_, block_errors(in));
      // Lead bytes in the last three positions that need more bytes than the block has.
      const __m256i max_value =
          _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                           -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, static_cast<char>(0xF0 - 1),
                           static_cast<char>(0xE0 - 1), static_cast<char>(0xC0 - 1));
      prev_incomplete_ = _mm256_subs_epu8(in, max_value);
    }
    prev_ = in;
  }

  /// A sequence still open after the last block is an error too.
  OXWIRE_TARGET_AVX2 void finish() noexcept { error_ = _mm256_or_si256(error_, prev_incomplete_); }

  [[nodiscard]] OXWIRE_TARGET_AVX2 bool failed() const noexcept {
    return !_mm256_testz_si256(error_, error_);
  }

 private:
  template <int N>
  [[nodiscard]] OXWIRE_TARGET_AVX2 __m256i prev(__m256i in) const noexcept {
    return _mm256_alignr_epi8(in, _mm256_permute2x128_si256(prev_, in, 0x21), 16 - N);
  }

  [[nodiscard]] OXWIRE_TARGET_AVX2 static __m256i high_nibbles(__m256i v) noexcept {
    return _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi8(0x0F));
  }

  [[nodiscard]] OXWIRE_TARGET_AVX2 __m256i block_errors(__m256i in) const noexcept {
    // Each bit is one kind of error a (byte 1, byte 2) pair can show; a pair is an error when
    // the three nibble lookups all have the bit.
    constexpr char too_short = 1 << 0;   // lead or ASCII, then a lead or ASCII where a cont. is due
    constexpr char too_long = 1 << 1;    // ASCII then continuation
    constexpr char overlong_3 = 1 << 2;  // E0 80..9F
    constexpr char too_large = 1 << 3;   // F4 90..BF, F5..FF
    constexpr char surrogate = 1 << 4;   // ED A0..BF
    constexpr char overlong_2 = 1 << 5;  // C0, C1
    constexpr char too_large_1000 = 1 << 6;
    constexpr char overlong_4 = 1 << 6;                    // F0 80..8F
    constexpr char two_conts = static_cast<char>(1 << 7);  // continuation after continuation
    constexpr char carry = too_short | too_long | two_conts;
    const __m256i prev1 = prev<1>(in);
    const __m256i byte_1_high = _mm256_shuffle_epi8(
        _mm256_setr_epi8(too_long, too_long, too_long, too_long, too_long, too_long, too_long,
                         too_long, two_conts, two_conts, two_conts, two_conts,
                         too_short | overlong_2, too_short, too_short | overlong_3 | surrogate,
                         too_short | too_large | too_large_1000 | overlong_4, too_long, too_long,
                         too_long, too_long, too_long, too_long, too_long, too_long, two_conts,
                         two_conts, two_conts, two_conts, too_short | overlong_2, too_short,
                         too_short | overlong_3 | surrogate,
                         too_short | too_large | too_large_1000 | overlong_4),
        high_nibbles(prev1));
    constexpr char big = carry | too_large | too_large_1000;
    const __m256i byte_1_low = _mm256_shuffle_epi8(
        _mm256_setr_epi8(carry | overlong_3 | overlong_2 | overlong_4, carry | overlong_2, carry,
                         carry, carry | too_large, big, big, big, big, big, big, big, big,
                         big | surrogate, big, big, carry | overlong_3 | overlong_2 | overlong_4,
                         carry | overlong_2, carry, carry, carry | too_large, big, big, big, big,
                         big, big, big, big, big | surrogate, big, big),
        _mm256_and_si256(prev1, _mm256_set1_epi8(0x0F)));
    constexpr char c8 =
        too_long | overlong_2 | two_conts | overlong_3 | too_large_1000 | overlong_4;
    constexpr char c9 = too_long | overlong_2 | two_conts | overlong_3 | too_large;
    constexpr char cab = too_long | overlong_2 | two_conts | surrogate | too_large;
    const __m256i byte_2_high = _mm256_shuffle_epi8(
        _mm256_setr_epi8(too_short, too_short, too_short, too_short, too_short, too_short,
                         too_short, too_short, c8, c9, cab, cab, too_short, too_short, too_short,
                         too_short, too_short, too_short, too_short, too_short, too_short,
                         too_short, too_short, too_short, c8, c9, cab, cab, too_short, too_short,
                         too_short, too_short),
        high_nibbles(in));
    const __m256i special =
        _mm256_and_si256(_mm256_and_si256(byte_1_high, byte_1_low), byte_2_high);
    // Third and fourth bytes of 3- and 4-byte sequences must be continuations, and only they.
    const __m256i third = _mm256_subs_epu8(prev<2>(in), _mm256_set1_epi8(0xE0 - 0x80));
    const __m256i fourth = _mm256_subs_epu8(prev<3>(in), _mm256_set1_epi8(0xF0 - 0x80));
    const __m256i must23 =
        _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8(static_cast<char>(0x80)));
    return _mm256_xor_si256(must23, special);
  }

  __m256i error_;
  __m256i prev_;
  __m256i prev_incomplete_;
};

#endif

}  // namespace oxwire::detail
