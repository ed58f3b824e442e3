// oxwire — UTF-16LE <-> UTF-8 for the string properties and fields of the protocols
// (MS-OXCDATA 2.11.1 PtypString, MS-OXCROPS strings, MS-ASWBXML opaque text).
//
//   auto text = oxwire::utf16::to_utf8(wire_bytes);           // result<std::string>
//   auto wire = oxwire::utf16::from_utf8("Grüße", policy::replace);
//
// Decoding is total: every input gives a value or an error with the byte offset of the
// offending code unit or sequence. AVX2 kernels are used when the CPU has them.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>
#include <oxwire/detail/cpu.hpp>
#include <oxwire/detail/utf16_avx2.hpp>
#include <oxwire/detail/utf16_scalar.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire::detail {

/// UTF-16LE -> UTF-8 with the best kernel for this CPU.
[[nodiscard]] inline result<std::size_t> utf16_to_utf8_best(bytes_view in, std::span<char> out,
                                                            utf16::policy p) noexcept {
#if OXWIRE_X86
  if (best_isa() == isa::avx2) return utf16_to_utf8_avx2(in, out, p);
#endif
  return utf16_to_utf8_scalar(in, out, p);
}

/// UTF-8 -> UTF-16LE with the best kernel for this CPU.
[[nodiscard]] inline result<std::size_t> utf8_to_utf16_best(std::string_view in, mutable_bytes out,
                                                            utf16::policy p) noexcept {
#if OXWIRE_X86
  if (best_isa() == isa::avx2) return utf8_to_utf16_avx2(in, out, p);
#endif
  return utf8_to_utf16_scalar(in, out, p);
}

}  // namespace oxwire::detail

namespace oxwire::utf16 {

// policy (detail/utf16_scalar.hpp): strict fails on lone surrogates and ill-formed UTF-8;
// replace writes U+FFFD for each lone surrogate and each maximal ill-formed subpart.
// An odd UTF-16 byte count is an error under both (errc::odd_length at offset size - 1).

/// Most UTF-8 bytes `utf16_bytes` of UTF-16LE can become (3 per code unit).
[[nodiscard]] constexpr std::size_t utf8_bound(std::size_t utf16_bytes) noexcept {
  return utf16_bytes / 2 * 3;
}

/// Most UTF-16LE bytes `utf8_bytes` of UTF-8 can become (one code unit per byte).
[[nodiscard]] constexpr std::size_t utf16_bound(std::size_t utf8_bytes) noexcept {
  return utf8_bytes * 2;
}

/// Decodes UTF-16LE into `out`; returns the bytes written. Errors: odd_length, lone_surrogate
/// (strict), buffer_too_small; offsets are byte offsets into `utf16le`.
[[nodiscard]] inline result<std::size_t> to_utf8(bytes_view utf16le, std::span<char> out,
                                                 policy p = policy::strict) noexcept {
  return detail::utf16_to_utf8_best(utf16le, out, p);
}

/// Decodes UTF-16LE into a new string.
[[nodiscard]] inline result<std::string> to_utf8(bytes_view utf16le, policy p = policy::strict) {
  std::string s(utf8_bound(utf16le.size()), '\0');
  const auto n = detail::utf16_to_utf8_best(utf16le, s, p);
  if (!n) return n.error();
  s.resize(*n);
  return s;
}

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/// Host `char16_t` strings are UTF-16LE on little-endian hosts; offsets are in bytes.
[[nodiscard]] inline bytes_view as_utf16le(std::u16string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size() * 2};
}

[[nodiscard]] inline result<std::size_t> to_utf8(std::u16string_view s, std::span<char> out,
                                                 policy p = policy::strict) noexcept {
  return to_utf8(as_utf16le(s), out, p);
}

[[nodiscard]] inline result<std::string> to_utf8(std::u16string_view s, policy p = policy::strict) {
  return to_utf8(as_utf16le(s), p);
}
#endif

/// Encodes validated UTF-8 as UTF-16LE into `out`; returns the bytes written. Errors:
/// invalid_utf8 (strict) at the first byte of the ill-formed sequence, buffer_too_small.
[[nodiscard]] inline result<std::size_t> from_utf8(std::string_view utf8, mutable_bytes out,
                                                   policy p = policy::strict) noexcept {
  return detail::utf8_to_utf16_best(utf8, out, p);
}

/// Encodes validated UTF-8 as new UTF-16LE bytes.
[[nodiscard]] inline result<std::vector<std::uint8_t>> from_utf8(std::string_view utf8,
                                                                 policy p = policy::strict) {
  std::vector<std::uint8_t> v(utf16_bound(utf8.size()));
  const auto n = detail::utf8_to_utf16_best(utf8, v, p);
  if (!n) return n.error();
  v.resize(*n);
  return v;
}

}  // namespace oxwire::utf16
