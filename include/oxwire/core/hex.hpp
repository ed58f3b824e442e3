// oxwire — hexadecimal text <-> bytes, strict (`decode`) and for spec example dumps
// (`decode_dump`: whitespace, `#` comments and `0x` prefixes allowed).
//
//   std::string text = oxwire::hex::encode(bytes);             // "49002d"
//   auto bytes = oxwire::hex::decode("49002D");                // {0x49, 0x00, 0x2D}
//   auto bytes = oxwire::hex::decode_dump("# RopLogon\n49 00 2d\n");
//
// Errors are errc::invalid_hex at the offending character, or at the end of an odd run of digits
// where the missing digit belongs.
#pragma once

#include <oxwire/core/bytes.hpp>
#include <oxwire/core/error.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace oxwire::detail {

/// 0-15 for a hex digit of either case, -1 for anything else.
[[nodiscard]] constexpr int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  const char lower = static_cast<char>(c | 0x20);  // 'A'-'F' -> 'a'-'f'; no other char lands there
  return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

inline constexpr char hex_lower[] = "0123456789abcdef";
inline constexpr char hex_upper[] = "0123456789ABCDEF";

}  // namespace oxwire::detail

namespace oxwire::hex {

/// Writes the 2 * in.size() digits of `in` to `out` and returns their count:
/// `auto n = hex::encode(bytes, buf, true);`. buffer_too_small (offset: the first input byte
/// whose digits do not fit) when out is shorter than 2 * in.size(); nothing is written then.
[[nodiscard]] inline result<std::size_t> encode(bytes_view in, std::span<char> out,
                                                bool upper = false) noexcept {
  if (out.size() / 2 < in.size())
    return error{errc::buffer_too_small, out.size() / 2, "hex output"};
  const char* digits = upper ? detail::hex_upper : detail::hex_lower;
  for (std::size_t i = 0; i < in.size(); ++i) {
    out[2 * i] = digits[in[i] >> 4];
    out[2 * i + 1] = digits[in[i] & 0xF];
  }
  return 2 * in.size();
}

/// `in` as a new string of hex digits: `hex::encode(bytes)` -> "c00046".
[[nodiscard]] inline std::string encode(bytes_view in, bool upper = false) {
  std::string s(2 * in.size(), '\0');
  (void)encode(in, s, upper);  // cannot fail: s is exactly large enough
  return s;
}

/// Decodes an even number of hex digits (either case, nothing else) into `out` and returns the
/// byte count: `auto n = hex::decode("c00046", buf);`. buffer_too_small (offset: the first digit
/// whose byte does not fit) if out is shorter than in.size() / 2, checked before anything is
/// written; on invalid_hex the bytes before the bad digit have been written.
[[nodiscard]] inline result<std::size_t> decode(std::string_view in, mutable_bytes out) noexcept {
  if (out.size() < in.size() / 2)
    return error{errc::buffer_too_small, 2 * out.size(), "hex output"};
  for (std::size_t i = 0; i < in.size(); i += 2) {
    const int hi = detail::hex_digit(in[i]);
    if (hi < 0) return error{errc::invalid_hex, i, "hex digit"};
    if (i + 1 == in.size()) return error{errc::invalid_hex, in.size(), "odd number of hex digits"};
    const int lo = detail::hex_digit(in[i + 1]);
    if (lo < 0) return error{errc::invalid_hex, i + 1, "hex digit"};
    out[i / 2] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return in.size() / 2;
}

/// Decodes an even number of hex digits into a new vector: `hex::decode("c00046")`.
[[nodiscard]] inline result<std::vector<std::uint8_t>> decode(std::string_view in) {
  std::vector<std::uint8_t> v(in.size() / 2);
  if (auto n = decode(in, v); !n) return n.error();
  return v;
}

/// Decodes a hex dump as the spec examples (specs/examples/*.hex) are written: runs of digits,
/// each an even count and optionally prefixed by `0x`, separated by whitespace, with `#` comments
/// to the end of the line. `hex::decode_dump("# RopRelease\n01 00 0x01\n")` -> {1, 0, 1}.
[[nodiscard]] inline result<std::vector<std::uint8_t>> decode_dump(std::string_view in) {
  const auto ends_run = [&](std::size_t at) {  // end of input, whitespace or a comment
    if (at == in.size()) return true;
    const char c = in[at];
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '#';
  };
  std::vector<std::uint8_t> v;
  v.reserve(in.size() / 3 + 1);
  std::size_t i = 0;
  while (i < in.size()) {
    if (in[i] == '#') {
      const std::size_t eol = in.find('\n', i);
      i = eol == std::string_view::npos ? in.size() : eol + 1;
      continue;
    }
    if (ends_run(i)) {
      ++i;
      continue;
    }
    if (in[i] == '0' && i + 1 < in.size() && (in[i + 1] == 'x' || in[i + 1] == 'X')) {
      i += 2;
      if (ends_run(i)) return error{errc::invalid_hex, i, "hex digits after 0x"};
    }
    std::size_t end = i;  // one run: whole bytes up to the next separator
    while (!ends_run(end)) ++end;
    const std::size_t at = v.size();
    v.resize(at + (end - i) / 2);
    if (auto n = decode(in.substr(i, end - i), mutable_bytes(v).subspan(at)); !n)
      return error{n.error().code, i + n.error().offset, n.error().what};
    i = end;
  }
  return v;
}

}  // namespace oxwire::hex
