// oxwire — AVX2 byte sum kernel (x86 only; selected at run time by best_isa()): VPSADBW against
// zero adds each 8-byte group into a 64-bit lane, 128 bytes per step in four independent
// accumulators; the tail by the scalar kernel.
#pragma once

#include <oxwire/detail/byte_sum_scalar.hpp>
#include <oxwire/detail/cpu.hpp>

#if OXWIRE_X86

namespace oxwire::detail {

OXWIRE_TARGET_AVX2 inline std::uint64_t byte_sum_avx2(const std::uint8_t* p,
                                                      std::size_t n) noexcept {
  const __m256i zero = _mm256_setzero_si256();
  __m256i a = zero, b = zero, c = zero, d = zero;
  std::size_t i = 0;
  for (; i + 128 <= n; i += 128) {
    const auto* v = reinterpret_cast<const __m256i*>(p + i);
    a = _mm256_add_epi64(a, _mm256_sad_epu8(_mm256_loadu_si256(v), zero));
    b = _mm256_add_epi64(b, _mm256_sad_epu8(_mm256_loadu_si256(v + 1), zero));
    c = _mm256_add_epi64(c, _mm256_sad_epu8(_mm256_loadu_si256(v + 2), zero));
    d = _mm256_add_epi64(d, _mm256_sad_epu8(_mm256_loadu_si256(v + 3), zero));
  }
  for (; i + 32 <= n; i += 32)
    a = _mm256_add_epi64(
        a, _mm256_sad_epu8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i)), zero));
  const __m256i s = _mm256_add_epi64(_mm256_add_epi64(a, b), _mm256_add_epi64(c, d));
  const __m128i h = _mm_add_epi64(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
  const auto lanes = static_cast<std::uint64_t>(_mm_cvtsi128_si64(h)) +
                     static_cast<std::uint64_t>(_mm_extract_epi64(h, 1));
  return lanes + byte_sum_scalar(p + i, n - i);
}

}  // namespace oxwire::detail

#endif
