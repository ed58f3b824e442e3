// oxwire — finding the end of a WBXML inline or string-table string (termstr,
// WAP-192-WBXML 5.8.4.1) and checking that it is UTF-8, in one pass: the scalar reference (8 bytes
// per step while the text is ASCII) and an AVX2 kernel (32 bytes per step, UTF-8 checked as it
// goes). Both give the same answer for every input; the tests and the fuzzer hold them to it.
#pragma once

#include <oxwire/core/reader.hpp>  // detail::to_from_le
#include <oxwire/detail/cpu.hpp>
#include <oxwire/detail/utf8_validate.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace oxwire::detail {

/// Where a NUL-terminated string in p[0, n) ends and whether it is well-formed.
struct cstring_scan {
  std::size_t len = 0;  // bytes before the NUL; n when there is no NUL
  std::size_t bad = 0;  // offset of the first ill-formed UTF-8 sequence before the NUL, else len
  friend bool operator==(const cstring_scan&, const cstring_scan&) = default;
};

/// The NUL at or after `from` and, if `validate`, the first ill-formed sequence in [from, NUL);
/// p[0, from) must be ASCII.
[[nodiscard]] inline cstring_scan wbxml_cstring_tail(const std::uint8_t* p, std::size_t n,
                                                     std::size_t from, bool validate) noexcept {
  const void* nul = n > from ? std::memchr(p + from, 0, n - from) : nullptr;
  if (!nul) return {n, n};
  const auto len = static_cast<std::size_t>(static_cast<const std::uint8_t*>(nul) - p);
  return {len, validate ? from + utf8_invalid_at(p + from, len - from) : len};
}

/// Scalar reference: `auto s = wbxml_cstring_scalar(p, n, true); if (s.len == n) truncated...`.
[[nodiscard]] inline cstring_scan wbxml_cstring_scalar(const std::uint8_t* p, std::size_t n,
                                                       bool validate) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  const std::uint64_t high_mask = validate ? highs : 0;
  std::size_t i = 0;
  for (; n - i >= 8; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    w = to_from_le(w);  // byte 0 in the low bits
    // The lowest set bit of `zero` marks the first 0x00 byte exactly (higher ones may be false).
    const std::uint64_t zero = (w - ones) & ~w & highs;
    const std::uint64_t before = zero ? (zero & (0 - zero)) - 1 : ~std::uint64_t{0};
    if (w & high_mask & before) return wbxml_cstring_tail(p, n, i, validate);
    if (zero) {
      const std::size_t len = i + static_cast<std::size_t>(std::countr_zero(zero)) / 8;
      return {len, len};
    }
  }
  for (; i < n; ++i) {
    if (p[i] == 0) return {i, i};
    if (validate && p[i] >= 0x80) return wbxml_cstring_tail(p, n, i, validate);
  }
  return {n, n};
}

#if OXWIRE_X86

/// AVX2 kernel, any string: `wbxml_cstring_avx2` below calls it for all but short ASCII ones.
[[nodiscard]] [[gnu::noinline]] OXWIRE_TARGET_AVX2 inline cstring_scan wbxml_cstring_avx2_long(
    const std::uint8_t* p, std::size_t n, bool validate) noexcept {
  const __m256i iota = _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                        17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
  utf8_avx2_checker utf8;
  bool multibyte = false;  // a non-ASCII byte was seen: every later block goes through `utf8`
  for (std::size_t i = 0;; i += 32) {
    const std::size_t avail = n - i;
    __m256i v;
    std::uint32_t in_range = ~0u;
    if (avail >= 32) {
      v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    } else {  // the input's last bytes, zero-padded (the padding is not taken for a NUL)
      alignas(32) std::uint8_t tail[32] = {};
      if (avail) std::memcpy(tail, p + i, avail);
      v = _mm256_load_si256(reinterpret_cast<const __m256i*>(tail));
      in_range = (1u << avail) - 1;
    }
    const auto nul = static_cast<std::uint32_t>(
                         _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_setzero_si256()))) &
                     in_range;
    if (validate) {
      const std::uint32_t before = nul ? (nul & (0 - nul)) - 1 : ~0u;
      if (multibyte || (static_cast<std::uint32_t>(_mm256_movemask_epi8(v)) & before)) {
        multibyte = true;
        if (nul)  // bytes from the NUL on become zero: a sequence cut by the NUL is too short
          v = _mm256_and_si256(
              v,
              _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(std::countr_zero(nul))), iota));
        utf8.add(v);
      }
    }
    if (nul) {
      const std::size_t len = i + static_cast<std::size_t>(std::countr_zero(nul));
      if (multibyte && utf8.failed()) return {len, utf8_invalid_at(p, len)};
      return {len, len};
    }
    if (avail <= 32) return {n, n};
  }
}

/// AVX2 kernel; the same result as `wbxml_cstring_scalar` for every input. Inlined: a string
/// that ends within 32 bytes and is ASCII costs one load and two mask tests.
[[nodiscard]] OXWIRE_TARGET_AVX2 inline cstring_scan wbxml_cstring_avx2(const std::uint8_t* p,
                                                                        std::size_t n,
                                                                        bool validate) noexcept {
  if (n >= 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const auto nul = static_cast<std::uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_setzero_si256())));
    const auto high = validate ? static_cast<std::uint32_t>(_mm256_movemask_epi8(v)) : 0u;
    if (nul && !(high & ((nul & (0 - nul)) - 1))) {
      const auto len = static_cast<std::size_t>(std::countr_zero(nul));
      return {len, len};
    }
  }
  return wbxml_cstring_avx2_long(p, n, validate);
}

/// For a tokenizer that reads strings in document order: keeps the NUL and high-bit masks of the
/// 64-byte block the last string started in, so that a short ASCII string costs a shift and a
/// count of trailing zeros, off the load-to-load path of the token loop. Same results as
/// `wbxml_cstring_avx2(p + from, n - from, validate)`.
class wbxml_cstring_blocks_avx2 {
 public:
  [[nodiscard]] OXWIRE_TARGET_AVX2 cstring_scan find(const std::uint8_t* p, std::size_t n,
                                                     std::size_t from, bool validate) noexcept {
    const std::uint64_t check = validate ? ~0ULL : 0ULL;
    if (from - base_ >= 64) load(p, n, from & ~std::size_t{63});
    const auto off = static_cast<unsigned>(from - base_);
    std::uint64_t nul = nul_ >> off;
    if (nul && !((high_ >> off) & ((nul & (0 - nul)) - 1) & check)) {
      const auto len = static_cast<std::size_t>(std::countr_zero(nul));
      return {len, len};
    }
    // Not ended in this block: ASCII blocks go on at 64 bytes a step; anything else goes to the
    // general kernel (which also finds where the UTF-8 goes wrong).
    if (!nul && !((high_ >> off) & check)) {
      while (base_ + 64 < n) {
        load(p, n, base_ + 64);
        nul = nul_;
        const std::uint64_t below = nul ? (nul & (0 - nul)) - 1 : ~0ULL;
        if (high_ & below & check) break;
        if (nul) {
          const std::size_t len = base_ - from + static_cast<std::size_t>(std::countr_zero(nul));
          return {len, len};
        }
      }
    }
    return wbxml_cstring_avx2_long(p + from, n - from, validate);
  }

 private:
  OXWIRE_TARGET_AVX2 void load(const std::uint8_t* p, std::size_t n, std::size_t at) noexcept {
    base_ = at;
    const std::size_t avail = n - at;
    __m256i a, b;
    std::uint64_t in_range = ~0ULL;
    if (avail >= 64) {
      a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + at));
      b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + at + 32));
    } else {  // the input's last bytes, zero-padded (the padding is not taken for a NUL)
      alignas(32) std::uint8_t tail[64] = {};
      if (avail) std::memcpy(tail, p + at, avail);
      a = _mm256_load_si256(reinterpret_cast<const __m256i*>(tail));
      b = _mm256_load_si256(reinterpret_cast<const __m256i*>(tail + 32));
      in_range = (1ULL << avail) - 1;
    }
    const __m256i zero = _mm256_setzero_si256();
    const auto mask = [](int lo, int hi) {
      return static_cast<std::uint32_t>(lo) |
             static_cast<std::uint64_t>(static_cast<std::uint32_t>(hi)) << 32;
    };
    nul_ = mask(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, zero)),
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(b, zero))) &
           in_range;
    high_ = mask(_mm256_movemask_epi8(a), _mm256_movemask_epi8(b));
  }

  std::size_t base_ = ~std::size_t{0} - 63;  // start of the cached block; none yet
  std::uint64_t nul_ = 0;                    // bit i: byte base_ + i is 0x00
  std::uint64_t high_ = 0;                   // bit i: byte base_ + i is >= 0x80
};

#endif

/// The kernel for `set` (the tokenizer passes best_isa()).
[[nodiscard]] inline cstring_scan wbxml_cstring(const std::uint8_t* p, std::size_t n, bool validate,
                                                isa set) noexcept {
#if OXWIRE_X86
  if (set == isa::avx2) return wbxml_cstring_avx2(p, n, validate);
#endif
  (void)set;
  return wbxml_cstring_scalar(p, n, validate);
}

}  // namespace oxwire::detail
