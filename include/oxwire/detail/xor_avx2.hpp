// oxwire — AVX2 XorMagic kernel (x86 only; selected at run time by best_isa()): 128 bytes per
// step in four independent 32-byte lanes, the tail by the scalar kernel.
#pragma once

#include <oxwire/detail/cpu.hpp>
#include <oxwire/detail/xor_scalar.hpp>

#if OXWIRE_X86

namespace oxwire::detail {

OXWIRE_TARGET_AVX2 inline void xor_magic_avx2(std::uint8_t* p, std::size_t n) noexcept {
  const __m256i mask = _mm256_set1_epi8(static_cast<char>(xor_magic));
  std::size_t i = 0;
  for (; i + 128 <= n; i += 128) {
    auto* v = reinterpret_cast<__m256i*>(p + i);
    const __m256i a = _mm256_loadu_si256(v);
    const __m256i b = _mm256_loadu_si256(v + 1);
    const __m256i c = _mm256_loadu_si256(v + 2);
    const __m256i d = _mm256_loadu_si256(v + 3);
    _mm256_storeu_si256(v, _mm256_xor_si256(a, mask));
    _mm256_storeu_si256(v + 1, _mm256_xor_si256(b, mask));
    _mm256_storeu_si256(v + 2, _mm256_xor_si256(c, mask));
    _mm256_storeu_si256(v + 3, _mm256_xor_si256(d, mask));
  }
  for (; i + 32 <= n; i += 32) {
    auto* v = reinterpret_cast<__m256i*>(p + i);
    _mm256_storeu_si256(v, _mm256_xor_si256(_mm256_loadu_si256(v), mask));
  }
  xor_magic_scalar(p + i, n - i);
}

}  // namespace oxwire::detail

#endif
