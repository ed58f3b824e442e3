// oxwire — scalar UTF-16LE <-> UTF-8 kernels: the reference the SIMD kernels are tested against.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace oxwire::utf16 {

/// What to do with ill-formed input: fail, or put U+FFFD in its place (Unicode 3.9).
enum class policy { strict, replace };

}  // namespace oxwire::utf16

namespace oxwire::detail {

/// Outcome of converting one code point; `code == errc{}` is success.
struct utf_step {
  errc code{};
  const char* what = "";
};

[[nodiscard]] inline std::uint32_t load_u16le(const std::uint8_t* p) noexcept {
  return static_cast<std::uint32_t>(p[0] | p[1] << 8);
}

/// UTF-8 length of a code point that is not a surrogate.
[[nodiscard]] inline std::size_t utf8_length(std::uint32_t cp) noexcept {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/// Writes `len` = utf8_length(cp) bytes (Unicode 3.9, table 3-6).
inline void put_utf8(char* out, std::uint32_t cp, std::size_t len) noexcept {
  auto b = [](std::uint32_t v) { return static_cast<char>(static_cast<std::uint8_t>(v)); };
  switch (len) {
    case 1: out[0] = b(cp); return;
    case 2:
      out[0] = b(0xC0 | cp >> 6);
      out[1] = b(0x80 | (cp & 0x3F));
      return;
    case 3:
      out[0] = b(0xE0 | cp >> 12);
      out[1] = b(0x80 | (cp >> 6 & 0x3F));
      out[2] = b(0x80 | (cp & 0x3F));
      return;
    default:
      out[0] = b(0xF0 | cp >> 18);
      out[1] = b(0x80 | (cp >> 12 & 0x3F));
      out[2] = b(0x80 | (cp >> 6 & 0x3F));
      out[3] = b(0x80 | (cp & 0x3F));
  }
}

/// Converts the code point at byte `i` of UTF-16LE input (one code unit or a surrogate pair,
/// even if the pair runs past a SIMD block) and advances `i` and `o`. On failure `i` is the
/// byte offset of the failure. `n` is even.
[[nodiscard]] inline utf_step utf16_to_utf8_step(const std::uint8_t* in, std::size_t n,
                                                 std::size_t& i, char* out, std::size_t cap,
                                                 std::size_t& o, utf16::policy p) noexcept {
  std::uint32_t cp = load_u16le(in + i);
  std::size_t used = 2;
  if (cp - 0xD800 < 0x800) {  // RFC 2781 2.2
    const bool high = cp < 0xDC00;
    if (high && i + 4 <= n && load_u16le(in + i + 2) - 0xDC00 < 0x400) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (load_u16le(in + i + 2) - 0xDC00);
      used = 4;
    } else if (p == utf16::policy::strict) {
      return {errc::lone_surrogate, high ? "high surrogate without low" : "low surrogate alone"};
    } else {
      cp = 0xFFFD;
    }
  }
  const std::size_t len = utf8_length(cp);
  if (cap - o < len) return {errc::buffer_too_small, "UTF-8 output full"};
  put_utf8(out + o, cp, len);
  i += used;
  o += len;
  return {};
}

/// Converts UTF-16LE from byte `i` to the end, writing from `o`; returns the end of the output.
[[nodiscard]] inline result<std::size_t> utf16_to_utf8_from(bytes_view in, std::size_t i,
                                                            std::span<char> out, std::size_t o,
                                                            utf16::policy p) noexcept {
  while (i < in.size())
    if (const utf_step s =
            utf16_to_utf8_step(in.data(), in.size(), i, out.data(), out.size(), o, p);
        s.code != errc{})
      return error{s.code, i, s.what};
  return o;
}

/// UTF-16LE (MS-OXCDATA 2.11.1 PtypString) -> UTF-8, one code point at a time.
[[nodiscard]] inline result<std::size_t> utf16_to_utf8_scalar(bytes_view in, std::span<char> out,
                                                              utf16::policy p) noexcept {
  if (in.size() % 2) return error{errc::odd_length, in.size() - 1, "odd UTF-16 byte count"};
  return utf16_to_utf8_from(in, 0, out, 0, p);
}

/// A UTF-8 lead byte: sequence length (0: never a lead) and the range of the second byte.
struct utf8_lead {
  std::uint8_t len = 0, lo = 0x80, hi = 0xBF;
};

// Unicode 3.9, table 3-7 (well-formed UTF-8 byte sequences).
inline constexpr std::array<utf8_lead, 256> utf8_leads = [] {
  std::array<utf8_lead, 256> t{};
  for (int b = 0; b < 0x80; ++b) t[b] = {1, 0, 0};
  for (int b = 0xC2; b <= 0xDF; ++b) t[b].len = 2;
  for (int b = 0xE0; b <= 0xEF; ++b) t[b].len = 3;
  for (int b = 0xF0; b <= 0xF4; ++b) t[b].len = 4;
  t[0xE0].lo = 0xA0;  // overlong
  t[0xED].hi = 0x9F;  // surrogates
  t[0xF0].lo = 0x90;  // overlong
  t[0xF4].hi = 0x8F;  // > U+10FFFF
  return t;
}();

inline void put_u16le(std::uint8_t* out, std::uint32_t unit) noexcept {
  out[0] = static_cast<std::uint8_t>(unit);
  out[1] = static_cast<std::uint8_t>(unit >> 8);
}

/// Converts the UTF-8 sequence at `i` and advances `i` and `o`; on failure `i` is the offset of
/// the sequence's first byte. With policy::replace each maximal subpart of an ill-formed
/// sequence becomes one U+FFFD (Unicode 3.9, "U+FFFD Substitution of Maximal Subparts").
[[nodiscard]] inline utf_step utf8_to_utf16_step(const std::uint8_t* in, std::size_t n,
                                                 std::size_t& i, std::uint8_t* out, std::size_t cap,
                                                 std::size_t& o, utf16::policy p) noexcept {
  if (in[i] < 0x80) {
    if (cap - o < 2) return {errc::buffer_too_small, "UTF-16 output full"};
    put_u16le(out + o, in[i++]);
    o += 2;
    return {};
  }
  const utf8_lead lead = utf8_leads[in[i]];
  std::size_t len = 0;  // bytes of the maximal subpart
  if (lead.len != 0) {
    len = 1;
    if (lead.len > 1 && i + 1 < n && in[i + 1] >= lead.lo && in[i + 1] <= lead.hi) {
      len = 2;
      while (len < lead.len && i + len < n && (in[i + len] & 0xC0) == 0x80) ++len;
    }
  }
  std::uint32_t cp = 0xFFFD;
  if (len != 0 && len == lead.len) {
    static constexpr std::uint8_t lead_bits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    cp = in[i] & lead_bits[len];
    for (std::size_t k = 1; k < len; ++k) cp = cp << 6 | (in[i + k] & 0x3F);
  } else if (p == utf16::policy::strict) {
    return {errc::invalid_utf8,
            lead.len == 0 ? (in[i] < 0xC0 ? "stray continuation byte" : "byte never in UTF-8")
            : len == 1 && i + 1 < n && (in[i + 1] & 0xC0) == 0x80
                ? "overlong, surrogate or above U+10FFFF"
                : "incomplete sequence"};
  } else {
    len = len == 0 ? 1 : len;
  }
  const std::size_t units = cp < 0x10000 ? 1 : 2;
  if (cap - o < 2 * units) return {errc::buffer_too_small, "UTF-16 output full"};
  if (units == 1) {
    put_u16le(out + o, cp);
  } else {  // RFC 2781 2.1
    put_u16le(out + o, 0xD800 + ((cp - 0x10000) >> 10));
    put_u16le(out + o + 2, 0xDC00 + (cp & 0x3FF));
  }
  i += len;
  o += 2 * units;
  return {};
}

/// Converts UTF-8 from byte `i` to the end, writing from `o`; returns the end of the output.
[[nodiscard]] inline result<std::size_t> utf8_to_utf16_from(bytes_view in, std::size_t i,
                                                            mutable_bytes out, std::size_t o,
                                                            utf16::policy p) noexcept {
  while (i < in.size())
    if (const utf_step s =
            utf8_to_utf16_step(in.data(), in.size(), i, out.data(), out.size(), o, p);
        s.code != errc{})
      return error{s.code, i, s.what};
  return o;
}

/// UTF-8 -> UTF-16LE, one sequence at a time.
[[nodiscard]] inline result<std::size_t> utf8_to_utf16_scalar(std::string_view in,
                                                              mutable_bytes out,
                                                              utf16::policy p) noexcept {
  return utf8_to_utf16_from(as_bytes(in), 0, out, 0, p);
}

}  // namespace oxwire::detail
