// oxwire — AVX2 UTF-16LE <-> UTF-8 kernels (x86 only; selected at run time by best_isa()).
//
// Runs of ASCII go 16 or 32 code units per step. At the first non-ASCII unit of a block the
// ASCII prefix is kept and the scalar step converts the run of non-ASCII code points (it reads
// a surrogate pair's second half past the block if needed), then the vector loop resumes at the
// next ASCII unit. Every error and buffer_too_small therefore comes from the scalar step, with
// the same offset the scalar kernel reports. The last < 32 bytes are scalar.
#pragma once

#include <oxwire/detail/cpu.hpp>
#include <oxwire/detail/utf16_scalar.hpp>

#if OXWIRE_X86

namespace oxwire::detail {

/// UTF-16LE -> UTF-8 with an AVX2 ASCII path.
[[nodiscard]] OXWIRE_TARGET_AVX2 inline result<std::size_t> utf16_to_utf8_avx2(
    bytes_view in, std::span<char> out, utf16::policy p) noexcept {
  const std::size_t n = in.size(), cap = out.size();
  if (n % 2) return error{errc::odd_length, n - 1, "odd UTF-16 byte count"};
  const std::uint8_t* const s = in.data();
  char* const d = out.data();
  const __m256i non_ascii = _mm256_set1_epi16(static_cast<short>(0xFF80));
  std::size_t i = 0, o = 0;
  while (n - i >= 32 && cap - o >= 16) {
    if (n - i >= 64 && cap - o >= 32) {  // 32 units, all ASCII: one pack and one store
      const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i));
      const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i + 32));
      if (_mm256_testz_si256(_mm256_or_si256(a, b), non_ascii)) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(d + o),
                            _mm256_permute4x64_epi64(_mm256_packus_epi16(a, b), 0xD8));
        i += 64;
        o += 32;
        continue;
      }
    }
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i));
    const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi16(a, a), 0xD8);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + o), _mm256_castsi256_si128(packed));
    const __m256i ascii =
        _mm256_cmpeq_epi16(_mm256_and_si256(a, non_ascii), _mm256_setzero_si256());
    const auto non_ascii_bits = ~static_cast<std::uint32_t>(_mm256_movemask_epi8(ascii));
    if (non_ascii_bits == 0) {
      i += 32;
      o += 16;
      continue;
    }
    const auto prefix = static_cast<std::size_t>(__builtin_ctz(non_ascii_bits) / 2);
    i += 2 * prefix;
    o += prefix;
    do {
      if (const utf_step r = utf16_to_utf8_step(s, n, i, d, cap, o, p); r.code != errc{})
        return error{r.code, i, r.what};
    } while (i < n && load_u16le(s + i) >= 0x80);
  }
  return utf16_to_utf8_from(in, i, out, o, p);
}

/// UTF-8 -> UTF-16LE with an AVX2 ASCII path (16 bytes zero-extended to 32 per half).
[[nodiscard]] OXWIRE_TARGET_AVX2 inline result<std::size_t> utf8_to_utf16_avx2(
    std::string_view in, mutable_bytes out, utf16::policy p) noexcept {
  const std::size_t n = in.size(), cap = out.size();
  const std::uint8_t* const s = as_bytes(in).data();
  std::uint8_t* const d = out.data();
  std::size_t i = 0, o = 0;
  while (n - i >= 32 && cap - o >= 64) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(d + o),
                        _mm256_cvtepu8_epi16(_mm256_castsi256_si128(v)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(d + o + 32),
                        _mm256_cvtepu8_epi16(_mm256_extracti128_si256(v, 1)));
    const auto non_ascii_bits = static_cast<std::uint32_t>(_mm256_movemask_epi8(v));
    if (non_ascii_bits == 0) {
      i += 32;
      o += 64;
      continue;
    }
    const auto prefix = static_cast<std::size_t>(__builtin_ctz(non_ascii_bits));
    i += prefix;
    o += 2 * prefix;
    do {
      if (const utf_step r = utf8_to_utf16_step(s, n, i, d, cap, o, p); r.code != errc{})
        return error{r.code, i, r.what};
    } while (i < n && s[i] >= 0x80);
  }
  return utf8_to_utf16_from(as_bytes(in), i, out, o, p);
}

}  // namespace oxwire::detail

#endif  // OXWIRE_X86
