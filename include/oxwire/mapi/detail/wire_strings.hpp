// oxwire — the NUL-terminated strings of MAPI structures (MS-OXCDATA 2.11.1.2): UTF-16LE
// (PtypString) and 8-bit (PtypString8), read as views into the input and written from views.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/core/reader.hpp>
#include <oxwire/core/writer.hpp>

#include <bit>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace oxwire::mapi::detail {

/// Index of the first unit of `n` (read by `unit(i)`) that is a surrogate without its partner,
/// or n.
template <class Unit>
[[nodiscard]] constexpr std::size_t find_lone_surrogate(std::size_t n, Unit unit) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned u = unit(i);
    if ((u & 0xF800) != 0xD800) continue;
    if (u < 0xDC00 && i + 1 < n && (unit(i + 1) & 0xFC00) == 0xDC00) {
      ++i;
      continue;
    }
    return i;
  }
  return n;
}

/// Rejects lone surrogates in UTF-16LE bytes; `at` is the absolute offset of s[0].
[[nodiscard]] inline result<void> check_utf16le(bytes_view s, std::size_t at,
                                                const char* what) noexcept {
  const std::uint8_t* p = s.data();
  const std::size_t n = s.size() / 2;
  // Most text has no surrogate at all: one branch-free pass over the high bytes first.
  bool any = false;
  for (std::size_t i = 0; i < n; ++i) any |= (p[2 * i + 1] & 0xF8) == 0xD8;
  if (!any) return {};
  const std::size_t bad =
      find_lone_surrogate(n, [p](std::size_t i) { return unsigned(p[2 * i] | p[2 * i + 1] << 8); });
  if (bad == n) return {};
  return error{oxwire::errc::lone_surrogate, at + 2 * bad, what};
}

/// Where a NUL-terminated UTF-16LE string ends: the units before the first NUL unit (all `n`
/// if there is none), and whether any of them is a surrogate (then the string needs the full
/// check).
struct utf16z_scan {
  std::size_t units = 0;
  bool surrogates = false;
  friend bool operator==(const utf16z_scan&, const utf16z_scan&) = default;
};

/// The reference: one unit at a time.
[[nodiscard]] inline utf16z_scan scan_utf16z_scalar(const std::uint8_t* p, std::size_t n) noexcept {
  bool surrogates = false;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned hi = p[2 * i + 1];
    if ((p[2 * i] | hi) == 0) return {i, surrogates};
    surrogates |= (hi & 0xF8) == 0xD8;
  }
  return {n, surrogates};
}

#if defined(__SSE2__)
/// Eight units per step (SSE2 is part of x86-64, so no dispatch is needed).
[[nodiscard]] inline utf16z_scan scan_utf16z_sse2(const std::uint8_t* p, std::size_t n) noexcept {
  const __m128i zero = _mm_setzero_si128();
  const __m128i mask = _mm_set1_epi16(static_cast<short>(0xF800));
  const __m128i lead = _mm_set1_epi16(static_cast<short>(0xD800));
  bool surrogates = false;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2 * i));
    const auto nul = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi16(v, zero)));
    const auto sur =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_and_si128(v, mask), lead)));
    if (nul != 0) {
      const unsigned first = static_cast<unsigned>(__builtin_ctz(nul)) / 2;
      return {i + first, surrogates || (sur & ((1u << (2 * first)) - 1)) != 0};
    }
    surrogates |= sur != 0;
  }
  const utf16z_scan tail = scan_utf16z_scalar(p + 2 * i, n - i);
  return {i + tail.units, surrogates || tail.surrogates};
}
#endif

[[nodiscard]] inline utf16z_scan scan_utf16z(const std::uint8_t* p, std::size_t n) noexcept {
#if defined(__SSE2__)
  return scan_utf16z_sse2(p, n);
#else
  return scan_utf16z_scalar(p, n);
#endif
}

/// A NUL-terminated UTF-16LE string: its bytes without the terminator, validated. One pass finds
/// the end and whether the full surrogate check is needed.
[[nodiscard]] inline result<bytes_view> read_utf16z(reader& in, const char* what) noexcept {
  const std::size_t at = in.offset();
  const bytes_view rest = in.rest();
  const utf16z_scan sc = scan_utf16z(rest.data(), rest.size() / 2);
  if (sc.units == rest.size() / 2) [[unlikely]]
    return error{oxwire::errc::truncated, at, what};
  const bytes_view s = rest.first(2 * sc.units);
  if (sc.surrogates) {
    if (auto ok = check_utf16le(s, at, what); !ok) [[unlikely]]
      return ok.error();
  }
  (void)in.skip(s.size() + 2);
  return s;
}

/// A NUL-terminated 8-bit string without its terminator.
[[nodiscard]] inline result<std::string_view> read_string8z(reader& in, const char* what) noexcept {
  auto s = in.until_nul(what);
  if (!s) [[unlikely]]
    return s.error();
  return as_chars(*s);
}

/// UTF-16LE bytes as a std::u16string.
[[nodiscard]] inline std::u16string to_u16string(bytes_view b) {
  std::u16string s(b.size() / 2, u'\0');
  if constexpr (std::endian::native == std::endian::little) {
    if (!s.empty()) std::memcpy(s.data(), b.data(), 2 * s.size());
  } else {
    for (std::size_t i = 0; i < s.size(); ++i)
      s[i] = static_cast<char16_t>(oxwire::detail::load_le<std::uint16_t>(b.data() + 2 * i));
  }
  return s;
}

/// Writes `s` and its NUL; errc::invalid_argument at an embedded NUL, errc::lone_surrogate at a
/// lone surrogate (offsets in the output).
template <class Sink>
[[nodiscard]] result<void> write_utf16z(basic_writer<Sink>& w, std::u16string_view s,
                                        const char* what) {
  // One branch-free pass (it vectorises) decides whether the exact checks are needed.
  bool odd = false;
  for (const char16_t c : s) odd |= c == 0 || (c & 0xF800) == 0xD800;
  if (odd) [[unlikely]] {
    if (const auto nul = s.find(u'\0'); nul != std::u16string_view::npos)
      return error{oxwire::errc::invalid_argument, w.size() + 2 * nul, what};
    if (const auto bad =
            find_lone_surrogate(s.size(), [s](std::size_t i) { return unsigned(s[i]); });
        bad != s.size())
      return error{oxwire::errc::lone_surrogate, w.size() + 2 * bad, what};
  }
  if constexpr (std::endian::native == std::endian::little) {
    if (auto r = w.write_bytes(
            bytes_view(reinterpret_cast<const std::uint8_t*>(s.data()), 2 * s.size()), what);
        !r)
      return r;
  } else {
    for (char16_t c : s)
      if (auto r = w.template write<std::uint16_t>(c, what); !r) return r;
  }
  return w.template write<std::uint16_t>(0, what);
}

/// Writes UTF-16LE bytes that were read (and validated) by read_utf16z, and the NUL.
template <class Sink>
[[nodiscard]] result<void> write_utf16z(basic_writer<Sink>& w, bytes_view s, const char* what) {
  if (auto r = w.write_bytes(s, what); !r) return r;
  return w.template write<std::uint16_t>(0, what);
}

/// Writes an 8-bit string and its NUL; errc::invalid_argument at an embedded NUL.
template <class Sink>
[[nodiscard]] result<void> write_string8z(basic_writer<Sink>& w, std::string_view s,
                                          const char* what) {
  if (const auto nul = s.find('\0'); nul != std::string_view::npos) [[unlikely]]
    return error{oxwire::errc::invalid_argument, w.size() + nul, what};
  if (auto r = w.write_bytes(as_bytes(s), what); !r) return r;
  return w.template write<std::uint8_t>(0, what);
}

}  // namespace oxwire::mapi::detail
